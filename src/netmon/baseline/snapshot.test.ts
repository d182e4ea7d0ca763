import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../../core/index.js';
import { BASELINE_FORMAT, baselineFromJson, baselineToJson, type BaselineSnapshot } from './snapshot.js';
import { BaselineStore } from './store.js';

const T0 = Date.UTC(2026, 0, 5) * 1000;
const H = 3_600_000_000;

function sample(): BaselineStore {
  const s = new BaselineStore({ learnSeconds: 7200, historyBuckets: 24, utcOffsetMinutes: 60 });
  s.advance(T0);
  for (let i = 0; i < 6; i++) {
    const ts = T0 + i * 1_000_000;
    s.onFlowStart('10.0.0.5', `10.0.1.${i % 3}`, { role: 'client', transport: 'tcp', port: 104, peer: `10.0.1.${i % 3}` }, ts);
    s.onFlowStart(`10.0.1.${i % 3}`, '10.0.0.5', { role: 'server', transport: 'tcp', port: 104, peer: null }, ts);
    s.onFlowEnd('10.0.0.5', { peer: `10.0.1.${i % 3}`, service: { role: 'client', transport: 'tcp', port: 104, peer: `10.0.1.${i % 3}` }, protocol: 'dicom', bytes: 1000 + i, packets: 10, firstTs: ts, lastTs: ts + H });
  }
  s.onFlowStart('fd00::7', 'fd00::1', { role: 'client', transport: 'udp', port: 53, peer: 'fd00::1' }, T0 + 5);
  s.learnDicomRoute('10.0.0.5', 'CT1', 'PACS', '10.0.1.0', 104, T0 + 7);
  s.advance(T0 + 3 * H);
  s.get('10.0.0.5')!.volume.evaluatedThrough = s.bucketOf(T0);
  return s;
}

const text = (s: BaselineStore) => JSON.stringify(baselineToJson(s));

describe('baseline snapshots', () => {
  it('round-trips: a store restored from its snapshot gives the identical snapshot', () => {
    const first = text(sample());
    const restored = baselineFromJson(JSON.parse(first));
    expect(text(restored)).toBe(first);
    expect(restored.stats()).toEqual(sample().stats());
  });

  it('writes a stable, versioned document: devices and their lists sorted, options included', () => {
    const snap = baselineToJson(sample());
    expect(snap).toMatchObject({ format: BASELINE_FORMAT, version: 1, learnStart: T0, options: { learnSeconds: 7200, historyBuckets: 24, utcOffsetMinutes: 60 } });
    expect(snap.devices.map((d) => d.ip)).toEqual([...snap.devices.map((d) => d.ip)].sort());
    const pc = snap.devices.find((d) => d.ip === '10.0.0.5')!;
    expect(pc.peers.map((p) => p.ip)).toEqual(['10.0.1.0', '10.0.1.1', '10.0.1.2']);
    expect(pc.dicomRoutes).toEqual([expect.objectContaining({ callingAe: 'CT1', calledAe: 'PACS', server: '10.0.1.0', port: 104 })]);
    expect(pc.volume.bytes.reduce((a, b) => a + b, 0)).toBe(6015);
  });

  it('resumes learning state: the window, the clock and what each device knows', () => {
    const r = baselineFromJson(JSON.parse(text(sample())));
    expect(r.learnStart).toBe(T0);
    expect(r.complete).toBe(true);
    expect(r.get('10.0.0.5')!.peers.has('10.0.1.2')).toBe(true);
    expect(r.isLearning(T0 + 3 * H)).toBe(false);
  });

  it('keeps least-recently-active order across the round trip, so eviction continues where it left off', () => {
    const s = new BaselineStore({ maxDevices: 2 });
    s.advance(T0);
    s.onFlowStart('10.0.0.2', 'x', { role: 'server', transport: 'tcp', port: 1, peer: null }, T0);
    s.onFlowStart('10.0.0.1', 'x', { role: 'server', transport: 'tcp', port: 1, peer: null }, T0 + 1);
    const r = baselineFromJson(baselineToJson(s));
    r.onFlowStart('10.0.0.3', 'x', { role: 'server', transport: 'tcp', port: 1, peer: null }, T0 + 2);
    expect([...r.devices()].map((d) => d.ip).sort()).toEqual(['10.0.0.1', '10.0.0.3']);
  });

  it('refuses another format or a newer version, naming the pointer', () => {
    const snap = baselineToJson(sample()) as unknown as Record<string, unknown>;
    expect(() => baselineFromJson({ ...snap, format: 'x' }, 'b.json')).toThrow(expect.objectContaining({ code: 'netmon.baseline_invalid', location: { file: 'b.json', pointer: '/format' } }));
    expect(() => baselineFromJson({ ...snap, version: 2 })).toThrow(/\/version: this CareGuard reads baseline format version 1, found 2/);
  });

  it('lists every bad value with its JSON pointer', () => {
    const snap = JSON.parse(text(sample())) as BaselineSnapshot;
    const dev = snap.devices[0]!;
    (dev.services[0] as unknown as Record<string, unknown>).port = 70000;
    (dev as unknown as Record<string, unknown>).timeOfDay = [1, 2];
    (snap.options as unknown as Record<string, unknown>).bucketSeconds = 'hourly';
    snap.devices.push({ ...dev });
    let err: unknown;
    try {
      baselineFromJson(snap);
    } catch (e) {
      err = e;
    }
    expect(isDomainError(err)).toBe(true);
    const problems = (err as { details: { problems: Array<{ pointer: string }> } }).details.problems.map((p) => p.pointer);
    expect(problems).toEqual(expect.arrayContaining(['/options/bucketSeconds', '/devices/0/services/0/port', '/devices/0/timeOfDay', `/devices/${snap.devices.length - 1}/ip`]));
  });

  it('throws only its typed error for random and mutated snapshots (property)', () => {
    const base = JSON.parse(text(sample())) as unknown;
    const mutate = (v: unknown, path: number[], replacement: unknown): unknown => {
      if (path.length === 0) return replacement;
      if (Array.isArray(v) && v.length > 0) return v.map((x, i) => (i === path[0]! % v.length ? mutate(x, path.slice(1), replacement) : x));
      if (v && typeof v === 'object') {
        const keys = Object.keys(v);
        const k = keys[path[0]! % keys.length]!;
        return { ...(v as Record<string, unknown>), [k]: mutate((v as Record<string, unknown>)[k], path.slice(1), replacement) };
      }
      return replacement;
    };
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 6 }), fc.jsonValue(), (path, replacement) => {
        try {
          baselineFromJson(mutate(base, path, replacement));
        } catch (e) {
          expect(isDomainError(e)).toBe(true);
        }
      }),
      { numRuns: Number(process.env.CAREGUARD_PROPERTY_RUNS ?? 300) },
    );
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        try {
          baselineFromJson(v);
        } catch (e) {
          expect(isDomainError(e)).toBe(true);
        }
      }),
    );
  });
});
