import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fallbackOuiDatabase } from '../discovery/index.js';
import { analyzeFlowLog, FlowLogReportBuilder } from './analyze.js';
import { canonicalIp } from './ip.js';
import type { FlowLogRecord } from './model.js';
import { FlowDecoder } from './netflow/decoder.js';
import { flowLogToSummary } from './summary.js';
import { syntheticFlows, v9Packets } from './testing/flows.js';
import { zeekTsvLog } from './testing/zeek-samples.js';

const base: FlowLogRecord = {
  origin: 'netflow-v9',
  startMs: 1_000,
  endMs: 2_500.5,
  srcIp: '10.0.0.9',
  dstIp: '10.0.0.1',
  srcPort: 104,
  dstPort: 50123,
  protocol: 6,
  protocolName: 'tcp',
  forward: { bytes: 900, packets: 3 },
  tcpFlags: 0x12,
  vlan: 7,
  location: { exporter: '10.1.1.1:2055', sequence: 4, byteOffset: 24 },
};

describe('flow records as FlowSummary', () => {
  it('makes the higher port the client of a unidirectional NetFlow record (server -> client here)', () => {
    const s = flowLogToSummary(base, 5);
    expect(s).toEqual({
      id: 5,
      key: { transport: 'tcp', client: { ip: '10.0.0.1', port: 50123 }, server: { ip: '10.0.0.9', port: 104 }, vlan: [7] },
      roleGuessed: true,
      roleSource: 'port',
      c2s: { packets: 0, bytes: 0, payloadBytes: 0 },
      s2c: { packets: 3, bytes: 900, payloadBytes: 0 },
      firstTs: 1_000_000,
      lastTs: 2_500_500,
      firstFrame: 5,
      lastFrame: 5,
      closeReason: 'timeout',
      tcp: { handshakeSeen: true, retransmittedSegments: 0, overlapBytes: 0, outOfOrderSegments: 0, gapBytes: 0 },
    });
  });

  it('keeps Zeek originators as clients, uses the log line as frame and maps conn_state to the close reason', () => {
    const z: FlowLogRecord = { ...base, origin: 'zeek', srcPort: 50123, dstPort: 104, connState: 'REJ', reverse: { bytes: 40, packets: 1 }, location: { file: 'conn.log', line: 12 } };
    const s = flowLogToSummary(z, 1);
    expect(s).toMatchObject({ roleSource: 'syn', roleGuessed: false, firstFrame: 12, closeReason: 'rst', c2s: { bytes: 900 }, s2c: { bytes: 40 } });
    expect(s?.key.client).toEqual({ ip: '10.0.0.9', port: 50123 });
  });

  it('has no summary for protocols other than TCP and UDP', () => {
    expect(flowLogToSummary({ ...base, protocol: 1, protocolName: 'icmp' }, 1)).toBeUndefined();
    expect(flowLogToSummary({ ...base, protocol: 17, protocolName: 'udp', tcpFlags: undefined }, 1)?.tcp).toBeUndefined();
  });
});

describe('canonical IP text', () => {
  it.each([
    ['10.0.0.1', '10.0.0.1'],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['fe80::1%eth0', 'fe80::1'],
    ['::', '::'],
  ])('%s -> %s', (input, want) => expect(canonicalIp(input)).toBe(want));
  it('rejects what is not an address', () => expect(canonicalIp('10.0.0.256')).toBeUndefined());
});

describe('flow logs as a NetmonReport', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'careguard-flowreport-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('discovers devices, counts protocols and top talkers from a Zeek conn.log', async () => {
    const file = path.join(dir, 'conn.log');
    writeFileSync(file, zeekTsvLog());
    const progress: number[] = [];
    const report = await analyzeFlowLog(file, { oui: fallbackOuiDatabase(), onProgress: (p) => progress.push(p.flows) });
    expect(progress.at(-1)).toBe(6);
    expect(report.capture).toMatchObject({ name: file, flows: 6, decoded: 6, observations: 0, firstSeen: '2024-03-01T10:00:00.123Z' });
    expect(report.protocols.map((p) => [p.protocol, p.flows])).toEqual([
      ['tcp', 2],
      ['dicom', 1],
      ['dns', 1],
      ['hl7\tmllp', 1],
      ['ipv6-icmp', 1],
    ]);
    expect(report.devices.map((d) => d.key)).toContain('ip:10.10.2.5');
    expect(report.topTalkers[0]).toMatchObject({ client: '10.10.1.20:49152', server: '10.10.2.5:104', protocol: 'dicom', bytes: 2064 + 21780 });
  });

  it('hands each TCP/UDP record to consumers as a flow start then a flow end, as the flow tracker does', async () => {
    const calls: string[] = [];
    const file = path.join(dir, 'conn-consumers.log');
    writeFileSync(file, zeekTsvLog());
    await analyzeFlowLog(file, {
      oui: fallbackOuiDatabase(),
      consumers: [{ onFlowStart: (k, info) => calls.push(`start ${k.server.port} #${info.first.frame}`), onFlowEnd: (sum, protocol) => calls.push(`end ${sum.key.server.port} ${protocol}`) }],
    });
    // the ICMPv6 line (12) has no FlowSummary
    expect(calls).toEqual(['start 104 #9', 'end 104 dicom', 'start 23 #10', 'end 23 tcp', 'start 53 #11', 'end 53 dns', 'start 2575 #13', 'end 2575 hl7\tmllp', 'start 1883 #23', 'end 1883 tcp']);
  });

  it('builds the same report shape from collector records', async () => {
    const now = 1_700_000_000_000;
    const b = new FlowLogReportBuilder({ name: 'udp:2055', oui: fallbackOuiDatabase() });
    const d = new FlowDecoder();
    for (const p of v9Packets(syntheticFlows(40, 3, now), { exportMs: now })) for (const r of d.decode(p, { address: '127.0.0.1', port: 1 }, now).records) b.add(r);
    const report = await b.finish(0);
    expect(report.capture.flows).toBe(d.stats().records);
    expect(report.devices.length).toBeGreaterThan(0);
  });
});
