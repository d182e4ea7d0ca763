/**
 * Differential test: the same generated NetFlow v5, NetFlow v9 and IPFIX datagrams, written into a
 * pcap on a non-standard UDP port, decoded by CareGuard and by tshark (`-d udp.port==N,cflow`),
 * compared record by record and field by field. Skipped with a printed reason when tshark is
 * missing, except under CI=true where its absence fails.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasCommand } from '../capture/testing/tools.js';
import { udpFrame } from '../capture/testing/frames.js';
import { writePcap } from '../capture/testing/pcap-writer.js';
import type { FlowLogRecord } from './model.js';
import { FlowDecoder } from './netflow/decoder.js';
import { ipfixPackets, syntheticFlows, v5Packets, v9Packets } from './testing/flows.js';

const PORT = 39999;
const EXPORT_MS = 1_700_000_123_456;


const available = hasCommand('tshark');
if (!available && process.env.CI !== 'true') console.warn('skipping the NetFlow/IPFIX tshark differential: tshark is not installed (apt-get install tshark)');

type Tree = { [k: string]: string | Tree | Tree[] };
interface TheirFrame {
  version: number;
  /** header export time and sysUptime, ms */
  exportMs: number;
  sysUptimeMs: number | undefined;
  records: Tree[];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** tshark's absolute time text ("Nov 14, 2023 22:11:06.573000000 UTC") as epoch ms */
function absMs(s: string): number {
  const m = /^(\w{3}) +(\d+), (\d{4}) (\d\d):(\d\d):(\d\d)\.(\d+) UTC$/.exec(s);
  if (!m) throw new Error(`unexpected tshark time ${s}`);
  return Date.UTC(Number(m[3]), MONTHS.indexOf(m[1] as string), Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6])) + Number(`0.${m[7]}`) * 1000;
}
const relMs = (s: string): number => Math.round(Number(s) * 1000);
/** A field's value; with --no-duplicate-keys a repeated field (RFC 5103 reverse counters reuse the
 * forward names) is an array, whose `nth` element is taken */
const str = (t: Tree, k: string, nth = 0): string | undefined => {
  const v = t[k];
  if (typeof v === 'string') return nth === 0 ? v : undefined;
  return Array.isArray(v) && typeof v[nth] === 'string' ? (v[nth] as unknown as string) : undefined;
};
const optNum = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

function collectRecords(node: Tree | Tree[] | string, out: Tree[]): void {
  if (typeof node === 'string') return;
  if (Array.isArray(node)) return node.forEach((n) => collectRecords(n, out));
  if ('cflow.srcaddr' in node || 'cflow.srcaddrv6' in node) {
    out.push(node);
    return;
  }
  for (const v of Object.values(node)) collectRecords(v, out);
}

function tsharkFrames(file: string): TheirFrame[] {
  const json = execFileSync('tshark', ['-n', '-r', file, '-d', `udp.port==${PORT},cflow`, '-T', 'json', '--no-duplicate-keys', '-J', 'cflow'], {
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, TZ: 'UTC' },
  });
  const frames = JSON.parse(json) as { _source: { layers: { cflow: Tree } } }[];
  return frames.map((f) => {
    const c = f._source.layers.cflow;
    const records: Tree[] = [];
    collectRecords(c, records);
    const up = str(c, 'cflow.sysuptime');
    return { version: Number(str(c, 'cflow.version')), exportMs: absMs(str(c, 'cflow.timestamp') ?? ''), sysUptimeMs: up === undefined ? undefined : relMs(up), records };
  });
}

/** Their record in our terms; times resolved from sysUptime as an exporter's clock says they are. */
function theirs(t: Tree, frame: TheirFrame) {
  const times = (t['cflow.timedelta_tree'] ?? {}) as Tree;
  const time = (abs: string, rel: string): number | undefined => {
    const a = str(times, abs);
    if (a !== undefined) return absMs(a);
    const r = str(times, rel);
    return r === undefined || frame.sysUptimeMs === undefined ? undefined : frame.exportMs - (frame.sysUptimeMs - relMs(r));
  };
  const vlan = str(t, 'cflow.vlanid') ?? str(t, 'cflow.dot1q_vlan_id');
  const flags = str(t, 'cflow.tcpflags');
  return {
    srcIp: str(t, 'cflow.srcaddr') ?? str(t, 'cflow.srcaddrv6'),
    dstIp: str(t, 'cflow.dstaddr') ?? str(t, 'cflow.dstaddrv6'),
    srcPort: Number(str(t, 'cflow.srcport')),
    dstPort: Number(str(t, 'cflow.dstport')),
    protocol: Number(str(t, 'cflow.protocol')),
    bytes: Number(str(t, 'cflow.octets')),
    packets: Number(str(t, 'cflow.packets')),
    revBytes: optNum(str(t, 'cflow.octets', 1)),
    revPackets: optNum(str(t, 'cflow.packets', 1)),
    tcpFlags: flags === undefined ? undefined : parseInt(flags, 16) & 0xff,
    vlan: vlan === undefined ? undefined : Number(vlan),
    startMs: time('cflow.abstimestart', 'cflow.timestart'),
    endMs: time('cflow.abstimeend', 'cflow.timeend'),
    inputInterface: str(t, 'cflow.inputint') === undefined ? undefined : Number(str(t, 'cflow.inputint')),
    service: str(t, 'cflow.appl_name'),
  };
}

function ours(r: FlowLogRecord) {
  return {
    srcIp: r.srcIp,
    dstIp: r.dstIp,
    srcPort: r.srcPort,
    dstPort: r.dstPort,
    protocol: r.protocol,
    bytes: r.forward.bytes,
    packets: r.forward.packets,
    revBytes: r.reverse?.bytes,
    revPackets: r.reverse?.packets,
    tcpFlags: r.tcpFlags,
    vlan: r.vlan,
    startMs: r.startMs,
    endMs: r.endMs,
    inputInterface: r.inputInterface,
    service: r.service,
  };
}

describe.skipIf(!available && process.env.CI !== 'true')('NetFlow v5/v9 and IPFIX against tshark', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'careguard-flows-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('decodes every record of every datagram as tshark does, field by field', () => {
    if (!available) throw new Error('tshark is not installed (CI=true requires it)');
    const flows = syntheticFlows(360, 2024, EXPORT_MS);
    const datagrams = [
      ...v5Packets(flows, { exportMs: EXPORT_MS, perPacket: 30 }),
      ...v9Packets(flows, { exportMs: EXPORT_MS, perPacket: 25, templateEvery: 4, domain: 11 }),
      ...ipfixPackets(flows, { exportMs: EXPORT_MS, perPacket: 20, templateEvery: 3, domain: 12 }),
    ];
    const file = path.join(dir, 'flows.pcap');
    writeFileSync(file, writePcap(datagrams.map((d, i) => ({ ts: EXPORT_MS * 1000 + i, data: udpFrame('10.9.9.9', '10.0.0.1', 40000, PORT, d) }))));

    const decoder = new FlowDecoder();
    const mine = datagrams.map((d) => decoder.decode(d, { address: '10.9.9.9', port: 40000 }, EXPORT_MS));
    const their = tsharkFrames(file);
    expect(their).toHaveLength(datagrams.length);

    let compared = 0;
    const fieldsCompared: Record<string, number> = {};
    const byVersion: Record<number, number> = {};
    for (const [i, frame] of their.entries()) {
      const m = mine[i];
      expect(m?.errors, `frame ${i + 1}`).toEqual([]);
      expect(m?.version, `frame ${i + 1}`).toBe(frame.version);
      expect(m?.records.length, `frame ${i + 1} record count`).toBe(frame.records.length);
      for (const [j, t] of frame.records.entries()) {
        const want = theirs(t, frame);
        const got = ours(m?.records[j] as FlowLogRecord);
        // tshark prints the whole applicationName; CareGuard keeps the first 256 characters
        if (want.service !== undefined) want.service = want.service === '' ? undefined : want.service.slice(0, 256);
        for (const k of Object.keys(want) as (keyof typeof want)[]) {
          if (want[k] === undefined) continue;
          fieldsCompared[k] = (fieldsCompared[k] ?? 0) + 1;
          if (typeof want[k] === 'number' && k.endsWith('Ms')) expect(got[k], `frame ${i + 1} record ${j + 1} ${k}`).toBeCloseTo(want[k] as number, 3);
          else expect(got[k], `frame ${i + 1} record ${j + 1} ${k}`).toBe(want[k]);
        }
        compared++;
        byVersion[frame.version] = (byVersion[frame.version] ?? 0) + 1;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(600);
    // every record had its addresses, ports, counters and times compared; the optional fields some
    for (const k of ['srcIp', 'dstIp', 'srcPort', 'dstPort', 'protocol', 'bytes', 'packets', 'startMs', 'endMs', 'tcpFlags']) expect(fieldsCompared[k], k).toBe(compared);
    for (const k of ['vlan', 'inputInterface', 'service', 'revBytes', 'revPackets']) expect(fieldsCompared[k], k).toBeGreaterThan(50);
    console.log(`tshark differential: ${compared} records compared (${JSON.stringify(byVersion)}), fields: ${JSON.stringify(fieldsCompared)}`);
    expect(Object.keys(byVersion).sort()).toEqual(['10', '5', '9']);
  });
});
