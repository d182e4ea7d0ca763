import { describe, expect, it } from 'vitest';
import { FlowDecoder } from './decoder.js';
import { encodeNetflowV5, type V5Record } from '../testing/encoder.js';

const exporter = { address: '192.0.2.10', port: 50000 };
const header = { sysUptimeMs: 3_600_000, unixSecs: 1_700_000_000, unixNsecs: 250_000_000, sequence: 77, engineType: 1, engineId: 5 };
const rec = (over: Partial<V5Record> = {}): V5Record => ({ src: '10.1.2.3', dst: '10.4.5.6', packets: 10, bytes: 1500, first: 3_590_000, last: 3_599_000, sport: 40000, dport: 104, tcpFlags: 0x1b, proto: 6, input: 2, output: 3, ...over });

describe('NetFlow v5 decoding', () => {
  it('decodes every field of a record and resolves sysUptime times to epoch ms', () => {
    const { version, records, errors } = new FlowDecoder().decode(encodeNetflowV5(header, [rec()]), exporter, 0);
    expect(version).toBe(5);
    expect(errors).toEqual([]);
    const exportMs = 1_700_000_000_250;
    expect(records).toEqual([
      {
        origin: 'netflow-v5',
        startMs: exportMs - 10_000,
        endMs: exportMs - 1_000,
        srcIp: '10.1.2.3',
        dstIp: '10.4.5.6',
        srcPort: 40000,
        dstPort: 104,
        protocol: 6,
        protocolName: 'tcp',
        forward: { bytes: 1500, packets: 10 },
        tcpFlags: 0x1b,
        inputInterface: 2,
        outputInterface: 3,
        exporter: '192.0.2.10:50000',
        observationDomain: (1 << 8) | 5,
        location: { exporter: '192.0.2.10:50000', sequence: 77, byteOffset: 24 },
      },
    ]);
  });

  it('locates each of 30 records by its byte offset', () => {
    const recs = Array.from({ length: 30 }, (_, i) => rec({ sport: 1000 + i, proto: 17, tcpFlags: 0 }));
    const { records } = new FlowDecoder().decode(encodeNetflowV5(header, recs), exporter, 0);
    expect(records.map((r) => r.srcPort)).toEqual(recs.map((r) => r.sport));
    expect(records.map((r) => r.location.byteOffset)).toEqual(recs.map((_, i) => 24 + i * 48));
    expect(records[0]?.protocolName).toBe('udp');
  });

  it('handles a sysUptime that wrapped past 2^32 ms between the flow start and the export', () => {
    const h = { ...header, sysUptimeMs: 5_000 };
    const { records } = new FlowDecoder().decode(encodeNetflowV5(h, [rec({ first: 0xffffffff - 4_999, last: 4_000 })]), exporter, 0);
    expect(records[0]?.startMs).toBe(1_700_000_000_250 - 10_000);
    expect(records[0]?.endMs).toBe(1_700_000_000_250 - 1_000);
  });

  it('reports a packet shorter than its count says at the end of the last whole record, keeping the whole ones', () => {
    const full = encodeNetflowV5(header, [rec(), rec({ sport: 2 }), rec({ sport: 3 })]);
    const { records, errors } = new FlowDecoder().decode(full.subarray(0, 24 + 48 * 2 + 20), exporter, 0);
    expect(records).toHaveLength(2);
    expect(errors.map((e) => [e.code, e.where.byteOffset])).toEqual([['flowlog.truncated', 24 + 96]]);
    expect(errors[0]?.message).toContain('192.0.2.10:50000#seq=77@120');
  });

  it('rejects a header shorter than 24 bytes and a count of zero with their offsets', () => {
    const d = new FlowDecoder();
    expect(d.decode(encodeNetflowV5(header, [rec()]).subarray(0, 10), exporter, 0).errors.map((e) => [e.code, e.where.byteOffset])).toEqual([['flowlog.truncated', 10]]);
    const zero = d.decode(encodeNetflowV5({ ...header, count: 0 }, []), exporter, 0);
    expect(zero.records).toEqual([]);
    expect(zero.errors.map((e) => [e.code, e.where.byteOffset])).toEqual([['flowlog.bad-length', 2]]);
  });

  it('flags a count above 30 but still decodes the records present', () => {
    const recs = Array.from({ length: 31 }, () => rec());
    const { records, errors } = new FlowDecoder().decode(encodeNetflowV5(header, recs), exporter, 0);
    expect(records).toHaveLength(31);
    expect(errors.map((e) => e.code)).toEqual(['flowlog.bad-length']);
  });

  it('stops at the per-packet record limit', () => {
    const recs = Array.from({ length: 10 }, () => rec());
    const { records, errors } = new FlowDecoder({ maxRecordsPerPacket: 4 }).decode(encodeNetflowV5(header, recs), exporter, 0);
    expect(records).toHaveLength(4);
    expect(errors.map((e) => e.code)).toEqual(['flowlog.record-limit']);
  });
});
