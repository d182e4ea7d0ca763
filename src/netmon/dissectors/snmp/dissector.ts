/**
 * @module SNMP dissector (UDP 161/162): version, PDU type, request id, requested OIDs and — in responses —
 * the system group values that identify a device (sysDescr, sysObjectID, sysName, sysLocation). v1/v2c
 * community strings are a cleartext shared secret: only their presence, length and whether they are a
 * factory default are recorded, never the value. v3 reports the user and whether auth/privacy are used.
 */
import type { Direction, FlowKey, FrameMeta, ObservationSink, StreamConsumer, WireFinding } from '../../model.js';
import type { Detection, Dissector } from '../contract.js';
import { ByteReader } from '../support/bytes.js';
import { flowEmitter, type Emit } from '../support/emitter.js';
import { printableAscii } from '../support/text.js';
import { expectTlv, integer, oid, readTlv } from '../support/ber.js';

const ID = 'snmp';
const VERSION = '1.0.0';
const MAX_VARBINDS = 16;
const DEFAULT_COMMUNITIES = new Set(['public', 'private', 'community', 'admin', 'default', 'snmp', 'manager']);
const PDU_TYPES: Record<number, string> = {
  0xa0: 'get-request', 0xa1: 'get-next-request', 0xa2: 'response', 0xa3: 'set-request', 0xa4: 'trap-v1',
  0xa5: 'get-bulk-request', 0xa6: 'inform-request', 0xa7: 'trap-v2', 0xa8: 'report',
};
const SYSTEM_OIDS: Record<string, string> = {
  '1.3.6.1.2.1.1.1.0': 'sysDescr', '1.3.6.1.2.1.1.2.0': 'sysObjectID', '1.3.6.1.2.1.1.5.0': 'sysName', '1.3.6.1.2.1.1.6.0': 'sysLocation',
};

function detect(b: Uint8Array): Detection {
  if (b.length < 7 || b[0] !== 0x30) return 'no';
  let i = 2;
  const l = b[1] as number;
  if (l & 0x80) {
    if (l === 0x80 || (l & 0x7f) > 4) return 'no';
    i += l & 0x7f;
  }
  return b[i] === 0x02 && b[i + 1] === 0x01 && [0, 1, 3].includes(b[i + 2] as number) && b[i + 3] === (b[i + 2] === 3 ? 0x30 : 0x04) ? 'yes' : 'no';
}

function varbinds(pdu: ByteReader, isResponse: boolean): { oids: string[]; system: Record<string, string> } {
  const list = expectTlv(pdu, 0x30, 'varbind list');
  const oids: string[] = [];
  const system: Record<string, string> = {};
  while (list.remaining > 0) {
    const vb = expectTlv(list, 0x30, 'varbind');
    const name = oid(expectTlv(vb, 0x06, 'varbind name'));
    const value = readTlv(vb, 'varbind value');
    if (oids.length < MAX_VARBINDS) oids.push(name);
    const label = SYSTEM_OIDS[name];
    if (isResponse && label) system[label] = value.tag === 0x06 ? oid(value.value) : printableAscii(value.value.rest(), 256);
  }
  return { oids, system };
}

class SnmpConsumer implements StreamConsumer {
  constructor(private readonly emit: Emit) {}

  onData(dir: Direction, data: Uint8Array, meta: FrameMeta): void {
    const msg = expectTlv(new ByteReader(data, 'snmp'), 0x30, 'message');
    const version = integer(expectTlv(msg, 0x02, 'version'));
    if (version === 3) return this.v3(dir, msg, meta);
    const community = expectTlv(msg, 0x04, 'community').rest();
    const pduTlv = readTlv(msg, 'PDU');
    const pduType = PDU_TYPES[pduTlv.tag] ?? `unknown-0x${pduTlv.tag.toString(16)}`;
    let requestId: number | null = null;
    let bound: ReturnType<typeof varbinds> = { oids: [], system: {} };
    if (pduTlv.tag !== 0xa4) {
      requestId = integer(expectTlv(pduTlv.value, 0x02, 'request id'));
      expectTlv(pduTlv.value, 0x02, 'error status');
      expectTlv(pduTlv.value, 0x02, 'error index');
      bound = varbinds(pduTlv.value, pduTlv.tag === 0xa2);
    }
    const wellKnown = DEFAULT_COMMUNITIES.has(new TextDecoder('latin1').decode(community).toLowerCase());
    const versionName = version === 0 ? 'v1' : version === 1 ? 'v2c' : `unknown-${version}`;
    const findings: WireFinding[] = [
      {
        code: 'snmp.community-string',
        severity: wellKnown || pduTlv.tag === 0xa3 ? 'high' : 'medium',
        message: `SNMP ${versionName} ${pduType} carries a ${community.length}-byte community string in cleartext${wellKnown ? ' (a factory default)' : ''}`,
      },
    ];
    this.emit('snmp.message', dir, meta, {
      version: versionName,
      pduType,
      requestId,
      communityPresent: community.length > 0,
      communityLength: community.length,
      communityIsDefault: wellKnown,
      oids: bound.oids,
      system: bound.system,
    }, findings);
  }

  private v3(dir: Direction, msg: ByteReader, meta: FrameMeta): void {
    const global = expectTlv(msg, 0x30, 'msgGlobalData');
    expectTlv(global, 0x02, 'msgID');
    expectTlv(global, 0x02, 'msgMaxSize');
    const flags = expectTlv(global, 0x04, 'msgFlags').rest()[0] ?? 0;
    const usm = expectTlv(new ByteReader(expectTlv(msg, 0x04, 'msgSecurityParameters').rest(), 'snmp'), 0x30, 'USM parameters');
    expectTlv(usm, 0x04, 'engine id');
    expectTlv(usm, 0x02, 'engine boots');
    expectTlv(usm, 0x02, 'engine time');
    const user = printableAscii(expectTlv(usm, 0x04, 'user name').rest(), 64);
    const auth = (flags & 1) !== 0;
    const priv = (flags & 2) !== 0;
    const findings: WireFinding[] = auth ? [] : [{ code: 'snmp.v3-no-auth', severity: 'medium', message: `SNMPv3 message for user "${user}" without authentication` }];
    this.emit('snmp.message', dir, meta, { version: 'v3', user, authentication: auth, privacy: priv, communityPresent: false }, findings);
  }
}

export const snmpDissector: Dissector = {
  id: ID,
  version: VERSION,
  transport: 'udp',
  defaultPorts: [161, 162],
  detect,
  create(key: FlowKey, emit: ObservationSink): StreamConsumer {
    return new SnmpConsumer(flowEmitter({ id: ID, version: VERSION }, key, emit));
  },
};
