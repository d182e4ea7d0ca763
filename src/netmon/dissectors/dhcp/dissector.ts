/**
 * @module DHCP dissector (UDP, one datagram per onData): message type, client MAC and id, host name
 * (option 12), vendor class (option 60), parameter request list fingerprint (option 55), client FQDN
 * (option 81), requested/assigned addresses. Damaged option areas are reported, not fatal.
 */
import type { Direction, FlowKey, FrameMeta, ObservationSink, StreamConsumer } from '../../model.js';
import type { Detection, Dissector } from '../contract.js';
import { readU32be } from '../support/bytes.js';
import { flowEmitter, type Emit } from '../support/emitter.js';
import { DHCP_FIXED, MESSAGE_TYPES, clientFqdn, clientIdentifier, parseDhcp, text } from './message.js';

const ID = 'dhcp';
const VERSION = '1.0.0';

function detect(b: Uint8Array): Detection {
  if (b.length < DHCP_FIXED + 4) return 'no';
  const op = b[0] as number;
  const hlen = b[2] as number;
  return (op === 1 || op === 2) && hlen <= 16 && readU32be(b, DHCP_FIXED) === 0x63825363 ? 'yes' : 'no';
}

const ipOption = (v: Uint8Array | undefined): string | null => (v && v.length >= 4 ? `${v[0]}.${v[1]}.${v[2]}.${v[3]}` : null);

class DhcpConsumer implements StreamConsumer {
  constructor(private readonly emit: Emit) {}

  onData(dir: Direction, data: Uint8Array, meta: FrameMeta): void {
    const m = parseDhcp(data);
    const o = m.options;
    const typeCode = o.get(53)?.[0];
    const prl = o.get(55);
    this.emit(m.op === 1 ? 'dhcp.request' : 'dhcp.reply', dir, meta, {
      op: m.op === 1 ? 'BOOTREQUEST' : m.op === 2 ? 'BOOTREPLY' : `unknown-${m.op}`,
      messageType: typeCode === undefined ? null : (MESSAGE_TYPES[typeCode] || `unknown-${typeCode}`),
      messageTypeCode: typeCode ?? null,
      transactionId: m.xid,
      clientMac: m.clientMac,
      clientIp: m.ciaddr,
      yourIp: m.yiaddr,
      relayIp: m.giaddr,
      hostname: text(o.get(12)),
      vendorClass: text(o.get(60)),
      clientId: clientIdentifier(o.get(61)),
      clientFqdn: clientFqdn(o.get(81)),
      requestedIp: ipOption(o.get(50)),
      serverId: ipOption(o.get(54)),
      parameterRequestList: prl ? [...prl].join(',') : null,
      optionOrder: m.optionOrder.join(','),
      magicCookie: m.magicCookie,
      truncatedAt: m.truncatedAt,
      truncatedOption: m.truncatedOption,
    });
  }
}

export const dhcpDissector: Dissector = {
  id: ID,
  version: VERSION,
  transport: 'udp',
  defaultPorts: [67, 68],
  detect,
  create(key: FlowKey, emit: ObservationSink): StreamConsumer {
    return new DhcpConsumer(flowEmitter({ id: ID, version: VERSION }, key, emit));
  },
};
