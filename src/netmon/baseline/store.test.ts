import { describe, expect, it } from 'vitest';
import { BaselineStore, type ServiceRef } from './store.js';
import { volumeBytes, volumePackets } from './volume.js';

const T0 = Date.UTC(2026, 0, 5) * 1000;
const H = 3_600_000_000;
const client = (peer: string, port = 104): ServiceRef => ({ role: 'client', transport: 'tcp', port, peer });
const flow = (s: BaselineStore, ip: string, peer: string, ts: number, port = 104) => s.onFlowStart(ip, peer, client(peer, port), ts);

describe('BaselineStore', () => {
  it('learns peers, services and the hour of day inside the window and only counts flows after it', () => {
    const s = new BaselineStore({ learnSeconds: 3600 });
    s.advance(T0);
    flow(s, '10.0.0.5', '10.0.0.9', T0 + 10);
    s.advance(T0 + 2 * H);
    flow(s, '10.0.0.5', '10.0.0.66', T0 + 2 * H);
    const d = s.get('10.0.0.5')!;
    expect([...d.peers.keys()]).toEqual(['10.0.0.9']);
    expect([...d.services.keys()]).toEqual(['c tcp/104 10.0.0.9']);
    expect(d.flows).toBe(2);
    expect(d.timeOfDay[0]).toBe(1);
    expect(s.complete).toBe(true);
    expect(s.isBaselined(d)).toBe(true);
  });

  it('shifts the time-of-day histogram by the configured UTC offset', () => {
    const s = new BaselineStore({ utcOffsetMinutes: 120 });
    s.advance(T0);
    flow(s, '10.0.0.5', '10.0.0.9', T0 + 23 * H);
    expect(s.get('10.0.0.5')!.timeOfDay[1]).toBe(1);
  });

  it('keeps at most maxPeersPerDevice peers and counts the rest as dropped', () => {
    const s = new BaselineStore({ maxPeersPerDevice: 3 });
    s.advance(T0);
    for (let i = 0; i < 5; i++) flow(s, '10.0.0.5', `10.0.1.${i}`, T0 + i);
    expect(s.get('10.0.0.5')!.peers.size).toBe(3);
    expect(s.stats().peersDropped).toBe(2);
  });

  it('evicts the least recently active device beyond maxDevices and counts it', () => {
    const s = new BaselineStore({ maxDevices: 2 });
    s.advance(T0);
    flow(s, '10.0.0.1', '10.0.0.9', T0);
    flow(s, '10.0.0.2', '10.0.0.9', T0 + 1);
    flow(s, '10.0.0.1', '10.0.0.9', T0 + 2); // 10.0.0.1 becomes the most recent
    flow(s, '10.0.0.3', '10.0.0.9', T0 + 3);
    expect([...s.devices()].map((d) => d.ip).sort()).toEqual(['10.0.0.1', '10.0.0.3']);
    expect(s.stats().evictedDevices).toBe(1);
  });

  it('evicts least recently active devices when peers + services across devices pass maxTotalEntries', () => {
    const s = new BaselineStore({ maxTotalEntries: 10 });
    s.advance(T0);
    for (let d = 0; d < 4; d++) for (let p = 0; p < 2; p++) flow(s, `10.0.0.${d}`, `10.0.9.${p}`, T0 + d * 10 + p);
    // each device holds 2 peers + 2 services = 4 entries: only two devices fit in 10
    const st = s.stats();
    expect(st.entries).toBeLessThanOrEqual(10);
    expect(st.devices).toBe(2);
    expect(st.evictedDevices).toBe(2);
    expect(s.get('10.0.0.3')).toBeDefined();
  });

  it('spreads a flow spanning buckets over them by time share, keeping byte and packet totals exact', () => {
    const s = new BaselineStore();
    s.advance(T0);
    flow(s, '10.0.0.5', '10.0.0.9', T0);
    // 30 min in the first hour, 60 in the second, 30 in the third
    s.onFlowEnd('10.0.0.5', { peer: '10.0.0.9', service: client('10.0.0.9'), protocol: 'dicom', bytes: 1001, packets: 11, firstTs: T0 + H / 2, lastTs: T0 + 2.5 * H });
    const v = s.get('10.0.0.5')!.volume;
    expect(v.startBucket).toBe(s.bucketOf(T0));
    expect(volumeBytes(v)).toEqual([250, 500, 251]);
    expect(volumePackets(v).reduce((a, b) => a + b, 0)).toBe(11);
    expect(s.get('10.0.0.5')!.services.get('c tcp/104 10.0.0.9')!.protocols).toEqual(['dicom']);
  });

  it('keeps only historyBuckets + 4 volume buckets, dropping the oldest', () => {
    const s = new BaselineStore({ historyBuckets: 5 });
    s.advance(T0);
    for (let h = 0; h < 20; h++) s.onFlowEnd('10.0.0.5', { peer: 'x', service: client('x'), protocol: 'tcp', bytes: h, packets: 1, firstTs: T0 + h * H, lastTs: T0 + h * H });
    const v = s.get('10.0.0.5')!.volume;
    expect(volumeBytes(v)).toEqual([11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(v.bytes.length).toBe(9);
    expect(v.startBucket).toBe(s.bucketOf(T0) + 11);
  });

  it('fills idle buckets between flows with zeros', () => {
    const s = new BaselineStore();
    s.advance(T0);
    s.onFlowEnd('10.0.0.5', { peer: 'x', service: client('x'), protocol: 'tcp', bytes: 5, packets: 1, firstTs: T0, lastTs: T0 });
    s.onFlowEnd('10.0.0.5', { peer: 'x', service: client('x'), protocol: 'tcp', bytes: 7, packets: 1, firstTs: T0 + 3 * H, lastTs: T0 + 3 * H });
    expect(volumeBytes(s.get('10.0.0.5')!.volume)).toEqual([5, 0, 0, 7]);
  });

  it('learns a DICOM route only inside the window but counts later associations on a known route', () => {
    const s = new BaselineStore({ learnSeconds: 60 });
    s.advance(T0);
    s.learnDicomRoute('10.0.0.5', 'CT1', 'PACS', '10.0.0.9', 104, T0);
    s.advance(T0 + H);
    s.learnDicomRoute('10.0.0.5', 'CT1', 'PACS', '10.0.0.9', 104, T0 + H);
    s.learnDicomRoute('10.0.0.5', 'CT1', 'OTHER', '10.0.0.7', 104, T0 + H);
    const routes = [...s.get('10.0.0.5')!.dicomRoutes.values()];
    expect(routes).toEqual([expect.objectContaining({ calledAe: 'PACS', associations: 2 })]);
  });
});
