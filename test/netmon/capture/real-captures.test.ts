import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileSource, readPackets } from '../../../src/netmon/capture/index.js';
import type { FlowSummary } from '../../../src/netmon/model.js';
import { readCaptureFile } from '../../../src/netmon/pipeline/read-capture.js';
import { assertPrerequisites, pcapDir, prerequisites, tshark } from './support.js';

const needs = { data: true, tools: ['tshark'] };
const files = ['dicom-dcmtk-loopback.pcap', 'hl7.pcap', 'mqtt.pcap', 'google_ssl.pcap', 'http.pcapng', 'dhcp-fuzz.pcapng'];

interface Ours {
  summaries: FlowSummary[];
  /** reassembled bytes per "ip:port" sender, per flow id */
  streams: Map<number, Map<string, number[]>>;
  gaps: number;
}

async function runOurs(file: string): Promise<Ours> {
  const summaries: FlowSummary[] = [];
  const streams = new Map<number, Map<string, number[]>>();
  let gaps = 0;
  await readCaptureFile(file, {
    onFlowStart: (key, info) => {
      const bySender = new Map<string, number[]>([
        [`${key.client.ip}:${key.client.port}`, []],
        [`${key.server.ip}:${key.server.port}`, []],
      ]);
      streams.set(info.id, bySender);
      return {
        onData: (dir, d) => bySender.get(dir === 'c2s' ? `${key.client.ip}:${key.client.port}` : `${key.server.ip}:${key.server.port}`)?.push(...d),
        onGap: () => gaps++,
      };
    },
    onFlowEnd: (s) => summaries.push(s),
  });
  return { summaries, streams, gaps };
}

interface TheirFlow {
  endpoints: Set<string>;
  bySender: Map<string, { packets: number; bytes: number }>;
}

/** Per-conversation, per-sender packet and byte counts from tshark's own dissection. */
function tsharkFlows(file: string): TheirFlow[] {
  const out = tshark(['-n', '-r', file, '-E', 'occurrence=f', '-T', 'fields', '-e', 'tcp.stream', '-e', 'udp.stream', '-e', 'ip.src', '-e', 'ipv6.src', '-e', 'tcp.srcport', '-e', 'udp.srcport', '-e', 'ip.dst', '-e', 'ipv6.dst', '-e', 'tcp.dstport', '-e', 'udp.dstport', '-e', 'frame.len']);
  const flows = new Map<string, TheirFlow>();
  // Leading fields may be empty (UDP has no tcp.stream): trim only the end.
  for (const line of out.trimEnd().split('\n')) {
    const [tcpStream, udpStream, sip4, sip6, stport, suport, dip4, dip6, dtport, duport, len] = line.split('\t');
    const stream = tcpStream ? `tcp${tcpStream}` : udpStream ? `udp${udpStream}` : undefined;
    if (stream === undefined) continue;
    const src = `${sip4 || sip6}:${stport || suport}`;
    const dst = `${dip4 || dip6}:${dtport || duport}`;
    const f = flows.get(stream) ?? { endpoints: new Set<string>(), bySender: new Map() };
    f.endpoints.add(src).add(dst);
    const v = f.bySender.get(src) ?? { packets: 0, bytes: 0 };
    v.packets++;
    v.bytes += Number(len);
    f.bySender.set(src, v);
    flows.set(stream, f);
  }
  return [...flows.values()];
}

/** Reassembled TCP payload per stream, keyed by its two endpoints, as `tshark -z follow,tcp,raw` reports it. */
function tsharkFollow(file: string, streams: number): Map<string, Record<string, string>> {
  const args = ['-n', '-q', '-r', file];
  for (let i = 0; i < streams; i++) args.push('-z', `follow,tcp,raw,${i}`);
  const out = new Map<string, Record<string, string>>();
  for (const block of tshark(args).split('Follow: tcp,raw').slice(1)) {
    const nodes = [...block.matchAll(/^Node [01]: (.+)$/gm)].map((m) => m[1] as string);
    const hex: [string, string] = ['', ''];
    for (const line of block.split('\n')) {
      if (!/^\t?[0-9a-f]+$/.test(line)) continue;
      if (line.startsWith('\t')) hex[1] += line.slice(1);
      else hex[0] += line;
    }
    out.set([...nodes].sort().join(' '), { [nodes[0] as string]: hex[0], [nodes[1] as string]: hex[1] });
  }
  return out;
}

const toHex = (b: number[]) => Buffer.from(b).toString('hex');

describe.skipIf(!prerequisites('real captures vs tshark', needs))('real captures compared with tshark', () => {
  beforeAll(() => assertPrerequisites(needs));

  it.each(files)('%s: reads the same packets with the same nanosecond timestamps and lengths as tshark', async (name) => {
    const file = path.join(pcapDir, name);
    const expected = tshark(['-n', '-r', file, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len'])
      .trim()
      .split('\n')
      .map((l) => {
        const [n, t, len, cap] = l.split('\t') as [string, string, string, string];
        const [sec, frac = ''] = t.split('.');
        return [Number(n), (BigInt(sec as string) * 1_000_000_000n + BigInt(frac.padEnd(9, '0'))).toString(), Number(len), Number(cap)];
      });
    const ours = [];
    for await (const p of readPackets(fileSource(file))) ours.push([p.frame, (BigInt(p.ts) * 1000n + BigInt(p.tsNanos)).toString(), p.origLen, p.caplen]);
    expect(ours).toEqual(expected);
  });

  it.each(files)('%s: counts the same packets and bytes per flow and sender as tshark', async (name) => {
    const file = path.join(pcapDir, name);
    const theirs = tsharkFlows(file);
    const { summaries } = await runOurs(file);
    expect(summaries).toHaveLength(theirs.length);
    for (const s of summaries) {
      const client = `${s.key.client.ip}:${s.key.client.port}`;
      const server = `${s.key.server.ip}:${s.key.server.port}`;
      const match = theirs.find((t) => t.endpoints.size === 2 && t.endpoints.has(client) && t.endpoints.has(server));
      const ours = new Map<string, { packets: number; bytes: number }>();
      if (s.c2s.packets > 0) ours.set(client, { packets: s.c2s.packets, bytes: s.c2s.bytes });
      if (s.s2c.packets > 0) ours.set(server, { packets: s.s2c.packets, bytes: s.s2c.bytes });
      expect({ flow: `${client} ${server}`, counts: ours }).toEqual({ flow: `${client} ${server}`, counts: match?.bySender });
    }
  });

  it.each(files.filter((f) => !f.startsWith('dhcp')))('%s: reassembles each TCP stream to the bytes tshark follows', async (name) => {
    const file = path.join(pcapDir, name);
    const ours = await runOurs(file);
    const tcpFlows = ours.summaries.filter((s) => s.key.transport === 'tcp');
    const theirs = tsharkFollow(file, tcpFlows.length);
    expect(theirs.size).toBe(tcpFlows.length);
    for (const [, bySender] of ours.streams) {
      const senders = [...bySender.keys()].sort();
      const mine = Object.fromEntries([...bySender].map(([k, v]) => [k, toHex(v)]));
      expect({ flow: senders.join(' '), bytes: mine }).toEqual({ flow: senders.join(' '), bytes: theirs.get(senders.join(' ')) });
    }
    expect(ours.gaps).toBe(0);
  });

  it('mqtt.pcap: starts the first session at the SYN-ACK and keys the Azure CONNECT by its VLAN 1008', async () => {
    const { summaries } = await runOurs(path.join(pcapDir, 'mqtt.pcap'));
    expect(summaries.map((s) => [s.key.client.port, s.key.server.port, s.roleSource, s.key.vlan])).toEqual([
      [41892, 1883, 'syn-ack', undefined],
      [35035, 1883, 'port', [1008]],
    ]);
  });

  it('google_ssl.pcap: drops the resent segments tshark calls spurious retransmissions', async () => {
    const { summaries } = await runOurs(path.join(pcapDir, 'google_ssl.pcap'));
    const spurious = tshark(['-n', '-r', path.join(pcapDir, 'google_ssl.pcap'), '-Y', 'tcp.analysis.spurious_retransmission', '-T', 'fields', '-e', 'frame.number']).trim().split('\n');
    expect(summaries[0]?.tcp?.retransmittedSegments).toBe(spurious.length);
  });

  it('dicom-dcmtk-loopback.pcap: keys the loopback flows with the all-zero MAC addresses seen on the wire', async () => {
    const { summaries } = await runOurs(path.join(pcapDir, 'dicom-dcmtk-loopback.pcap'));
    expect(summaries).toHaveLength(3);
    expect(new Set(summaries.map((s) => `${s.key.client.mac}|${s.key.server.mac}|${s.key.server.port}|${s.closeReason}`))).toEqual(new Set(['00:00:00:00:00:00|00:00:00:00:00:00|11112|fin']));
  });
});
