/**
 * @module DNS dissector: queries and answers over UDP (one message per datagram) or TCP (2-byte length
 * framing). Detection requires the whole message to parse cleanly. mDNS (mdns/) reuses the consumer.
 */
import type { Dissector } from '../contract.js';
import { detectDnsMessage, dnsFamilyDissector } from './consumer.js';

export const dnsDissector: Dissector = dnsFamilyDissector({
  id: 'dns',
  version: '1.0.0',
  transport: 'both',
  defaultPorts: [53, 5355],
  detect: (b, _dir, key) => detectDnsMessage(b, key),
});
