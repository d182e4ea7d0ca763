/**
 * @module mDNS dissector: the DNS wire format on port 5353 plus DNS-SD device identity (identity.ts).
 * Detection is DNS's (the whole message parses cleanly) and additionally requires port 5353: mDNS is DNS
 * on that port.
 */
import type { FlowKey } from '../../model.js';
import type { Dissector } from '../contract.js';
import { detectDnsMessage, dnsFamilyDissector } from '../dns/consumer.js';
import { mdnsIdentity } from './identity.js';

const isMdnsPort = (key: FlowKey) => key.server.port === 5353 || key.client.port === 5353;

export const mdnsDissector: Dissector = dnsFamilyDissector({
  id: 'mdns',
  version: '1.0.0',
  transport: 'udp',
  defaultPorts: [5353],
  detect: (b, _dir, key) => (isMdnsPort(key) ? detectDnsMessage(b, key) : 'no'),
  extraFields: mdnsIdentity,
});
