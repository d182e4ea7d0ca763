import { describe, expect, it } from 'vitest';
import { FlowDecoder } from './decoder.js';
import { be16, encodeNetflowV9, recordBytes, type FieldSpec, type V9Flowset } from '../testing/encoder.js';

const exporter = { address: '192.0.2.20', port: 2055 };
const NOW = 1_700_000_000_000;
const hdr = (sequence = 1, sourceId = 7) => ({ sysUptimeMs: 1_000_000, unixSecs: NOW / 1000, sequence, sourceId });

const V4: FieldSpec[] = [
  { id: 8, length: 4 },
  { id: 12, length: 4 },
  { id: 7, length: 2 },
  { id: 11, length: 2 },
  { id: 4, length: 1 },
  { id: 1, length: 4 },
  { id: 2, length: 4 },
  { id: 22, length: 4 },
  { id: 21, length: 4 },
];
const V6: FieldSpec[] = [
  { id: 27, length: 16 },
  { id: 28, length: 16 },
  { id: 7, length: 2 },
  { id: 11, length: 2 },
  { id: 4, length: 1 },
  { id: 6, length: 1 },
  { id: 1, length: 8 },
  { id: 58, length: 2 },
  { id: 99, length: 3 }, // an element we do not read: skipped by its length
];
const tpl = (id: number, fields: FieldSpec[]): V9Flowset => ({ kind: 'template', templates: [{ id, fields }] });
const v4rec = (sport: number) => recordBytes(V4, ['10.0.0.1', '10.0.0.2', sport, 104, 6, 3000, 4, 990_000, 999_000]);
const v6rec = recordBytes(V6, ['2001:db8::1', '2001:DB8:0:0:1::2', 5000, 2575, 6, 0x12, 2n ** 40n, 42, 0xabcdef]);

describe('NetFlow v9 decoding', () => {
  it('decodes data records with two templates from one packet, IPv4 and IPv6', () => {
    const pkt = encodeNetflowV9(hdr(), [
      { kind: 'template', templates: [{ id: 256, fields: V4 }, { id: 300, fields: V6 }] },
      { kind: 'data', templateId: 256, records: [v4rec(1), v4rec(2)] },
      { kind: 'data', templateId: 300, records: [v6rec] },
    ]);
    const { records, errors } = new FlowDecoder().decode(pkt, exporter, NOW);
    expect(errors).toEqual([]);
    expect(records.map((r) => [r.srcIp, r.dstIp, r.srcPort, r.dstPort])).toEqual([
      ['10.0.0.1', '10.0.0.2', 1, 104],
      ['10.0.0.1', '10.0.0.2', 2, 104],
      ['2001:db8::1', '2001:db8::1:0:0:2', 5000, 2575],
    ]);
    expect(records[0]).toMatchObject({ origin: 'netflow-v9', startMs: NOW - 10_000, endMs: NOW - 1_000, forward: { bytes: 3000, packets: 4 }, observationDomain: 7 });
    expect(records[2]).toMatchObject({ forward: { bytes: 2 ** 40 }, tcpFlags: 0x12, vlan: 42, protocolName: 'tcp' });
    expect(records[2]?.startMs).toBe(NOW); // no time fields: the export time
  });

  it('uses templates cached from an earlier packet and treats padding after the last record as padding', () => {
    const d = new FlowDecoder();
    d.decode(encodeNetflowV9(hdr(1), [tpl(256, V4)]), exporter, NOW);
    // 29-byte records padded to 32: three bytes of padding follow
    const { records, errors } = d.decode(encodeNetflowV9(hdr(2), [{ kind: 'data', templateId: 256, records: [v4rec(9)], padTo: 4 }]), exporter, NOW);
    expect(errors).toEqual([]);
    expect(records.map((r) => r.location)).toEqual([{ exporter: '192.0.2.20:2055', sequence: 2, byteOffset: 24 }]);
  });

  it('keeps templates apart per exporter address and per source id', () => {
    const d = new FlowDecoder();
    d.decode(encodeNetflowV9(hdr(1, 7), [tpl(256, V4)]), exporter, NOW);
    const data: V9Flowset = { kind: 'data', templateId: 256, records: [v4rec(1)] };
    expect(d.decode(encodeNetflowV9(hdr(2, 7), [data]), { address: '192.0.2.20', port: 9999 }, NOW).records).toHaveLength(1);
    expect(d.decode(encodeNetflowV9(hdr(2, 8), [data]), exporter, NOW).records).toHaveLength(0);
    expect(d.decode(encodeNetflowV9(hdr(2, 7), [data]), { address: '192.0.2.21', port: 2055 }, NOW).records).toHaveLength(0);
    expect(d.stats().heldSets).toBe(2);
  });

  it('holds a data set that arrives before its template and decodes it when the template comes', () => {
    const d = new FlowDecoder();
    const early = d.decode(encodeNetflowV9(hdr(5), [{ kind: 'data', templateId: 256, records: [v4rec(1), v4rec(2)] }]), exporter, NOW);
    expect(early).toMatchObject({ records: [], errors: [] });
    const later = d.decode(encodeNetflowV9(hdr(6), [tpl(256, V4)]), exporter, NOW + 500);
    expect(later.records.map((r) => [r.srcPort, r.location.sequence, r.location.byteOffset])).toEqual([
      [1, 5, 24],
      [2, 5, 53],
    ]);
    expect(d.stats()).toMatchObject({ setsBuffered: 1, setsReplayed: 1, setsDropped: 0 });
  });

  it('drops a held set whose template does not come in time, naming the set', () => {
    const d = new FlowDecoder({ pendingTimeoutMs: 1000 });
    d.decode(encodeNetflowV9(hdr(5), [{ kind: 'data', templateId: 999, records: [v4rec(1)] }]), exporter, NOW);
    const next = d.decode(encodeNetflowV9(hdr(6), [tpl(256, V4)]), exporter, NOW + 1001);
    expect(next.errors.map((e) => [e.code, e.where.sequence, e.where.byteOffset])).toEqual([['flowlog.unknown-template', 5, 20]]);
    expect(next.errors[0]?.message).toContain('unknown template 999');
    expect(d.sweep(NOW + 5000)).toEqual([]);
  });

  it('sweep drops held sets of exporters that went silent', () => {
    const d = new FlowDecoder({ pendingTimeoutMs: 1000 });
    d.decode(encodeNetflowV9(hdr(5), [{ kind: 'data', templateId: 999, records: [v4rec(1)] }]), exporter, NOW);
    expect(d.sweep(NOW + 500)).toEqual([]);
    expect(d.sweep(NOW + 1500).map((e) => e.code)).toEqual(['flowlog.unknown-template']);
    expect(d.stats().setsDropped).toBe(1);
  });

  it('drops the oldest held set when the hold buffer is full', () => {
    const d = new FlowDecoder({ maxPendingSetsPerExporter: 2 });
    const data = (id: number) => encodeNetflowV9(hdr(id), [{ kind: 'data', templateId: 400 + id, records: [v4rec(1)] }]);
    d.decode(data(1), exporter, NOW);
    d.decode(data(2), exporter, NOW);
    const third = d.decode(data(3), exporter, NOW);
    expect(third.errors.map((e) => [e.code, e.where.sequence])).toEqual([['flowlog.unknown-template', 1]]);
  });

  it('applies a refreshed template and a redefinition of the same id', () => {
    const d = new FlowDecoder();
    d.decode(encodeNetflowV9(hdr(1), [tpl(256, V4)]), exporter, NOW);
    d.decode(encodeNetflowV9(hdr(2), [tpl(256, V4)]), exporter, NOW);
    const swapped: FieldSpec[] = [V4[1] as FieldSpec, V4[0] as FieldSpec, ...V4.slice(2)];
    const r = d.decode(encodeNetflowV9(hdr(3), [tpl(256, swapped), { kind: 'data', templateId: 256, records: [v4rec(1)] }]), exporter, NOW);
    expect([r.records[0]?.srcIp, r.records[0]?.dstIp]).toEqual(['10.0.0.2', '10.0.0.1']);
    expect(d.stats()).toMatchObject({ templatesLearned: 1, templatesRefreshed: 1, templatesRedefined: 1 });
  });

  it('forgets a template after the template timeout', () => {
    const d = new FlowDecoder({ templateTimeoutMs: 60_000 });
    d.decode(encodeNetflowV9(hdr(1), [tpl(256, V4)]), exporter, NOW);
    const r = d.decode(encodeNetflowV9(hdr(2), [{ kind: 'data', templateId: 256, records: [v4rec(1)] }]), exporter, NOW + 60_001);
    expect(r.records).toEqual([]);
    expect(d.stats()).toMatchObject({ templatesExpired: 1, heldSets: 1 });
  });

  it('reads options templates and does not emit their data records as flows', () => {
    const scope: FieldSpec[] = [{ id: 1, length: 4 }];
    const opts: FieldSpec[] = [{ id: 34, length: 4 }, { id: 35, length: 1 }];
    const pkt = encodeNetflowV9(hdr(), [
      { kind: 'options-template', id: 257, scope, options: opts },
      { kind: 'data', templateId: 257, records: [recordBytes([...scope, ...opts], [0, 100, 1])] },
      tpl(256, V4),
      { kind: 'data', templateId: 256, records: [v4rec(1)] },
    ]);
    const d = new FlowDecoder();
    const { records, errors } = d.decode(pkt, exporter, NOW);
    expect(errors).toEqual([]);
    expect(records).toHaveLength(1);
    expect(d.stats().optionRecords).toBe(1);
  });

  it.each([
    ['a flowset length below 4', [{ kind: 'raw', bytes: Uint8Array.of(1, 0, 0, 2) }] as V9Flowset[], 'flowlog.bad-set', 22],
    ['a flowset running past the packet', [{ kind: 'raw', bytes: Uint8Array.of(1, 0, 0, 40, 0, 0) }] as V9Flowset[], 'flowlog.truncated', 20],
    ['a template id below 256', [tpl(12, V4)], 'flowlog.bad-template', 24],
    ['a template with zero-length fields', [tpl(256, [{ id: 8, length: 0 }])], 'flowlog.bad-template', 24],
    ['a template longer than its flowset', [{ kind: 'raw', bytes: Uint8Array.of(0, 0, 0, 12, 1, 0, 0, 5, 0, 8, 0, 4) }] as V9Flowset[], 'flowlog.truncated', 24],
    ['a reserved flowset id', [{ kind: 'raw', bytes: Uint8Array.of(0, 7, 0, 4) }] as V9Flowset[], 'flowlog.bad-set', 20],
  ])('reports %s with its byte offset', (_name, sets, code, offset) => {
    const { errors } = new FlowDecoder().decode(encodeNetflowV9(hdr(), sets), exporter, NOW);
    expect(errors.map((e) => [e.code, e.where.byteOffset])).toEqual([[code, offset]]);
  });

  it('refuses templates past the field and per-exporter limits', () => {
    const d = new FlowDecoder({ maxTemplateFields: 4, maxTemplatesPerExporter: 1 });
    expect(d.decode(encodeNetflowV9(hdr(), [tpl(256, V4)]), exporter, NOW).errors.map((e) => e.code)).toEqual(['flowlog.bad-template']);
    d.decode(encodeNetflowV9(hdr(), [tpl(256, V4.slice(0, 4))]), exporter, NOW);
    expect(d.decode(encodeNetflowV9(hdr(), [tpl(257, V4.slice(0, 4))]), exporter, NOW).errors.map((e) => e.code)).toEqual(['flowlog.template-limit']);
  });

  it('forgets the least recently heard exporter beyond maxExporters', () => {
    const d = new FlowDecoder({ maxExporters: 2 });
    for (const a of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) d.decode(encodeNetflowV9(hdr(), [tpl(256, V4)]), { address: a, port: 1 }, NOW);
    expect(d.stats()).toMatchObject({ exporters: 2, exportersForgotten: 1, templates: 2 });
  });

  it('ignores fewer than four trailing bytes after the last flowset', () => {
    const pkt = encodeNetflowV9(hdr(), [tpl(256, V4), { kind: 'raw', bytes: be16(0) }]);
    expect(new FlowDecoder().decode(pkt, exporter, NOW).errors).toEqual([]);
  });
});
