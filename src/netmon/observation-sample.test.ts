import { describe, expect, it } from 'vitest';
import type { Observation } from './model.js';
import { isoMicros, ObservationSample } from './observation-sample.js';

let frame = 0;
const obs = (kind: string, client: string, server: string, port: number): Observation => ({
  protocol: kind.split('.')[0]!,
  kind,
  producer: 'test@1',
  ts: 1_700_000_000_000_000 + ++frame,
  frame,
  flow: { transport: 'tcp', client: { ip: client, port: 40000 }, server: { ip: server, port } },
  fields: { n: frame },
});

const totalOf = (s: ObservationSample) => s.list().reduce((a, r) => a + (r.groupCount ?? 0), 0);

describe('ObservationSample', () => {
  it('keeps the first N of each (kind, client, server, port) group and puts the group total on its last kept row', () => {
    const s = new ObservationSample({ perGroup: 3 });
    for (let i = 0; i < 7; i++) s.add(obs('hl7.message', '10.0.0.1', '10.0.0.2', 2575));
    s.add(obs('tls.client-hello', '10.0.0.1', '10.0.0.2', 443));
    s.add(obs('hl7.message', '10.0.0.1', '10.0.0.2', 2576)); // another port: another group
    const rows = s.list();
    expect(rows.map((r) => [r.observation.kind, r.observation.flow?.server.port, r.groupCount])).toEqual([
      ['hl7.message', 2575, undefined],
      ['hl7.message', 2575, undefined],
      ['hl7.message', 2575, 7],
      ['tls.client-hello', 443, 1],
      ['hl7.message', 2576, 1],
    ]);
    expect(rows.map((r) => r.observation.frame)).toEqual([...rows.map((r) => r.observation.frame)].sort((a, b) => a - b));
    expect(s.stats()).toMatchObject({ seen: 9, stored: 5, groups: 3, omitted: 4, dropped: 0 });
  });

  it('groups observations without a flow by kind alone', () => {
    const s = new ObservationSample({ perGroup: 2 });
    for (let i = 0; i < 5; i++) s.add({ protocol: 'arp', kind: 'arp.sighting', producer: 'x@1', ts: i, frame: i + 1, fields: {} });
    expect(s.list().map((r) => r.groupCount)).toEqual([undefined, 5]);
  });

  it('stops keeping at the hard cap: existing groups keep counting, new groups are counted as dropped', () => {
    const s = new ObservationSample({ perGroup: 10, maxStored: 4 });
    for (let i = 0; i < 3; i++) s.add(obs('hl7.message', '10.0.0.1', '10.0.0.2', 2575));
    for (let i = 0; i < 3; i++) s.add(obs('dicom.c-store-rq', '10.0.0.3', '10.0.0.4', 104)); // one kept, then the cap
    for (let i = 0; i < 2; i++) s.add(obs('dhcp.request', '0.0.0.0', '255.255.255.255', 67)); // no room: dropped
    s.add(obs('hl7.message', '10.0.0.1', '10.0.0.2', 2575)); // known group: counted
    const stats = s.stats();
    expect(stats).toMatchObject({ seen: 9, stored: 4, groups: 2, dropped: 2, omitted: 3 });
    expect(s.list().map((r) => r.groupCount)).toEqual([undefined, undefined, 4, 3]);
    // every observation is either in a group total or dropped
    expect(totalOf(s) + stats.dropped).toBe(stats.seen);
  });

  it('rejects a non-positive or fractional bound', () => {
    expect(() => new ObservationSample({ perGroup: 0 })).toThrow(/perGroup must be a positive integer, found 0/);
    expect(() => new ObservationSample({ maxStored: 1.5 })).toThrow(/maxStored must be a positive integer, found 1.5/);
  });
});

describe('isoMicros', () => {
  it('formats capture time with six fractional digits so text order is time order', () => {
    expect(isoMicros(1_700_000_000_123_456)).toBe('2023-11-14T22:13:20.123456Z');
    expect(isoMicros(1_700_000_000_000_007)).toBe('2023-11-14T22:13:20.000007Z');
    const times = [5, 1_000, 999, 1_700_000_000_000_000, 1_700_000_000_000_001, 1_699_999_999_999_999];
    expect(times.map(isoMicros).sort()).toEqual([...times].sort((a, b) => a - b).map(isoMicros));
  });
});
