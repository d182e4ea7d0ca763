/**
 * @module SMB dissector over NetBIOS session service / direct TCP (MS-SMB, MS-SMB2): negotiate requests
 * (dialects offered) and responses (dialect chosen, signing required), and any use of SMBv1 — the protocol
 * behind EternalBlue/WannaCry that still runs on old medical workstations.
 */
import type { Direction, FlowKey, FrameMeta, ObservationSink, StreamConsumer, WireFinding } from '../../model.js';
import type { Detection, Dissector } from '../contract.js';
import { ByteAccumulator } from '../support/accumulator.js';
import { ByteReader, readU32be } from '../support/bytes.js';
import { flowEmitter, type Emit } from '../support/emitter.js';
import { printableAscii } from '../support/text.js';

const ID = 'smb';
const VERSION = '1.0.0';
/** negotiate messages are small; longer messages (reads/writes) are only looked at up to here */
const KEEP = 4096;
const MAX_DIALECTS = 32;

function detect(b: Uint8Array): Detection {
  if (b.length === 0) return 'need-more';
  if (b[0] === 0x81) return b.length < 4 ? 'need-more' : ((b[1] as number) & 0xfe) === 0 && ((b[2] as number) << 8 | (b[3] as number)) === 68 ? 'yes' : 'no';
  if (b[0] !== 0) return 'no';
  if (b.length < 8) return 'need-more';
  const magic = readU32be(b, 4);
  return magic === 0xff534d42 || magic === 0xfe534d42 || magic === 0xfd534d42 ? 'yes' : 'no';
}

const SMB2_DIALECTS: Record<number, string> = { 0x0202: 'SMB 2.0.2', 0x0210: 'SMB 2.1', 0x0222: 'SMB 2.2.2', 0x0224: 'SMB 2.2.4', 0x02ff: 'SMB 2.???', 0x0300: 'SMB 3.0', 0x0302: 'SMB 3.0.2', 0x0311: 'SMB 3.1.1' };
const smb2Dialect = (d: number) => SMB2_DIALECTS[d] ?? `0x${d.toString(16).padStart(4, '0')}`;

class SmbConsumer implements StreamConsumer {
  private readonly frames: Record<Direction, { header: ByteAccumulator; body: ByteAccumulator; length: number; remaining: number; inBody: boolean; type: number }>;
  private v1Reported = false;

  constructor(private readonly emit: Emit) {
    const mk = () => ({ header: new ByteAccumulator(4, 4), body: new ByteAccumulator(KEEP, 256), length: 0, remaining: 0, inBody: false, type: 0 });
    this.frames = { c2s: mk(), s2c: mk() };
  }

  onData(dir: Direction, data: Uint8Array, meta: FrameMeta): void {
    const f = this.frames[dir];
    let pos = 0;
    while (pos < data.length) {
      if (!f.inBody) {
        pos = f.header.fillTo(4, data, pos);
        if (f.header.length < 4) return;
        const h = f.header.view();
        f.type = h[0] as number;
        // direct TCP (445) uses a 24-bit length; NetBIOS (139) 17 bits: the extra bits are zero there anyway
        f.length = readU32be(h, 0) & 0xffffff;
        f.remaining = f.length;
        f.header.reset();
        f.inBody = true;
        if (f.length > 0) continue;
      }
      const n = Math.min(f.remaining, data.length - pos);
      f.body.fillTo(KEEP, data.subarray(0, pos + n), pos);
      pos += n;
      f.remaining -= n;
      if (f.remaining === 0) {
        f.inBody = false;
        if (f.type === 0) this.message(dir, f.body.view(), meta);
        f.body.reset();
      }
    }
  }

  private message(dir: Direction, m: Uint8Array, meta: FrameMeta): void {
    if (m.length < 4) return;
    const magic = readU32be(m, 0);
    if (magic === 0xff534d42) this.smb1(dir, m, meta);
    else if (magic === 0xfe534d42) this.smb2(dir, m, meta);
  }

  private smb1(dir: Direction, m: Uint8Array, meta: FrameMeta): void {
    const r = new ByteReader(m, 'smb');
    r.skip(4, 'protocol');
    const command = r.u8('command');
    r.skip(4, 'status');
    const reply = (r.u8('flags') & 0x80) !== 0;
    if (command === 0x72 && !reply) {
      r.skip(32 - 10, 'header');
      r.skip(r.u8('word count') * 2, 'words');
      const byteCount = r.u16le('byte count');
      const dialects = smb1Dialects(r.take(Math.min(byteCount, r.remaining), 'dialects'));
      const smb2Offered = dialects.some((d) => d.startsWith('SMB 2'));
      const findings: WireFinding[] = smb2Offered
        ? [{ code: 'smb.v1-offered', severity: 'low', message: 'SMB client still sends an SMBv1 negotiate (also offering SMB2)' }]
        : [{ code: 'smb.v1', severity: 'high', message: 'SMB client offers only SMBv1 dialects' }];
      this.emit('smb.negotiate-request', dir, meta, { smbVersion: 1, dialects, smb2Offered }, findings);
      return;
    }
    if (this.v1Reported) return;
    this.v1Reported = true;
    this.emit('smb.v1-session', dir, meta, { command, reply }, [
      { code: 'smb.v1', severity: 'high', message: `SMBv1 ${reply ? 'response' : 'request'} (command 0x${command.toString(16)}) on the wire` },
    ]);
  }

  private smb2(dir: Direction, m: Uint8Array, meta: FrameMeta): void {
    const r = new ByteReader(m, 'smb');
    r.skip(12, 'header');
    const command = r.u16le('command');
    r.skip(2, 'credits');
    const response = (r.u32le('flags') & 1) === 1;
    if (command !== 0) return;
    r.skip(64 - 20, 'header');
    if (!response) {
      r.skip(2, 'structure size');
      const count = r.u16le('dialect count');
      const securityMode = r.u16le('security mode');
      r.skip(2 + 4 + 16 + 8, 'reserved, capabilities, client guid, contexts');
      const dialects: string[] = [];
      for (let i = 0; i < count && r.remaining >= 2; i++) if (dialects.length < MAX_DIALECTS) dialects.push(smb2Dialect(r.u16le('dialect')));
      this.emit('smb.negotiate-request', dir, meta, { smbVersion: 2, dialects, signingRequired: (securityMode & 2) !== 0 });
      return;
    }
    r.skip(2, 'structure size');
    const securityMode = r.u16le('security mode');
    const dialect = r.u16le('dialect revision');
    const signingRequired = (securityMode & 2) !== 0;
    const findings: WireFinding[] = signingRequired ? [] : [{ code: 'smb.signing-not-required', severity: 'medium', message: 'SMB server does not require message signing' }];
    this.emit('smb.negotiate-response', dir, meta, { smbVersion: 2, dialect: smb2Dialect(dialect), signingRequired }, findings);
  }
}

/** SMB1 dialect strings: 0x02 followed by a NUL-terminated name, repeated */
function smb1Dialects(bytes: Uint8Array): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < bytes.length && out.length < MAX_DIALECTS) {
    if (bytes[i] !== 0x02) break;
    let end = i + 1;
    while (end < bytes.length && bytes[end] !== 0) end++;
    out.push(printableAscii(bytes.subarray(i + 1, end), 64));
    i = end + 1;
  }
  return out;
}

export const smbDissector: Dissector = {
  id: ID,
  version: VERSION,
  transport: 'tcp',
  defaultPorts: [445, 139],
  detect,
  create(key: FlowKey, emit: ObservationSink): StreamConsumer {
    return new SmbConsumer(flowEmitter({ id: ID, version: VERSION }, key, emit));
  },
};
