/**
 * @module Baselines to and from JSON: a versioned, stable document (devices by address, lists
 * sorted, keys in a fixed order) so a baseline can be stored, diffed and resumed by the next run or
 * another worker. Loading validates everything and names the offending value by JSON pointer; a
 * snapshot from a newer format version is refused rather than half-read.
 */
import type { Micros, Transport } from '../model.js';
import { JsonChecker, ptr } from './json-input.js';
import { DEFAULT_BASELINE_OPTIONS, routeKey, serviceKey, type BaselineOptions, type DeviceBaseline, type ServiceRole } from './model.js';
import { BaselineStore, newDevice } from './store.js';
import { restoreVolume, volumeBytes, volumePackets } from './volume.js';

export const BASELINE_FORMAT = 'careguard.netmon.baseline';
export const BASELINE_VERSION = 1;

export interface CountersJson {
  flows: number;
  bytes: number;
  firstTs: Micros;
  lastTs: Micros;
}

export interface DeviceBaselineJson extends CountersJson {
  ip: string;
  peers: Array<{ ip: string } & CountersJson>;
  peersDropped: number;
  services: Array<{ role: ServiceRole; transport: Transport; port: number; peer: string | null; protocols: string[] } & CountersJson>;
  servicesDropped: number;
  protocols: Array<{ protocol: string; flows: number; bytes: number }>;
  dicomRoutes: Array<{ callingAe: string; calledAe: string; server: string; port: number; associations: number; firstTs: Micros; lastTs: Micros }>;
  routesDropped: number;
  timeOfDay: number[];
  volume: { startBucket: number; firstBucket: number; evaluatedThrough: number; bytes: number[]; packets: number[] };
}

export interface BaselineSnapshot {
  format: typeof BASELINE_FORMAT;
  version: typeof BASELINE_VERSION;
  options: BaselineOptions;
  /** µs since the epoch (capture time) */
  learnStart: Micros | null;
  clock: Micros;
  counters: { evictedDevices: number; volumeSamplesDropped: number };
  devices: DeviceBaselineJson[];
}

const counters = (c: CountersJson): CountersJson => ({ flows: c.flows, bytes: c.bytes, firstTs: c.firstTs, lastTs: c.lastTs });
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function deviceToJson(d: DeviceBaseline): DeviceBaselineJson {
  return {
    ip: d.ip,
    ...counters(d),
    peers: [...d.peers.values()].sort((a, b) => byText(a.ip, b.ip)).map((p) => ({ ip: p.ip, ...counters(p) })),
    peersDropped: d.peersDropped,
    services: [...d.services.entries()]
      .sort((a, b) => byText(a[0], b[0]))
      .map(([, s]) => ({ role: s.role, transport: s.transport, port: s.port, peer: s.peer, protocols: [...s.protocols], ...counters(s) })),
    servicesDropped: d.servicesDropped,
    protocols: [...d.protocols.values()].sort((a, b) => byText(a.protocol, b.protocol)).map((p) => ({ protocol: p.protocol, flows: p.flows, bytes: p.bytes })),
    dicomRoutes: [...d.dicomRoutes.entries()].sort((a, b) => byText(a[0], b[0])).map(([, r]) => ({ ...r })),
    routesDropped: d.routesDropped,
    timeOfDay: [...d.timeOfDay],
    volume: { startBucket: d.volume.startBucket, firstBucket: d.volume.firstBucket, evaluatedThrough: d.volume.evaluatedThrough, bytes: volumeBytes(d.volume), packets: volumePackets(d.volume) },
  };
}

/** The store as a stable JSON-ready value (devices sorted by address). */
export function baselineToJson(store: BaselineStore): BaselineSnapshot {
  const s = store.stats();
  return {
    format: BASELINE_FORMAT,
    version: BASELINE_VERSION,
    options: { ...store.options },
    learnStart: store.learnStart ?? null,
    clock: store.clock,
    counters: { evictedDevices: s.evictedDevices, volumeSamplesDropped: s.volumeSamplesDropped },
    devices: [...store.devices()].sort((a, b) => byText(a.ip, b.ip)).map(deviceToJson),
  };
}

const OPTION_LIMITS: Record<keyof BaselineOptions, { min: number; max: number }> = {
  learnSeconds: { min: 0, max: 366 * 86_400 },
  bucketSeconds: { min: 60, max: 86_400 },
  historyBuckets: { min: 3, max: 10_000 },
  utcOffsetMinutes: { min: -24 * 60, max: 24 * 60 },
  maxDevices: { min: 1, max: 10_000_000 },
  maxPeersPerDevice: { min: 1, max: 1_000_000 },
  maxServicesPerDevice: { min: 1, max: 1_000_000 },
  maxDicomRoutesPerDevice: { min: 1, max: 1_000_000 },
  maxTotalEntries: { min: 1, max: 1_000_000_000 },
};

/** Checks baseline options (from a snapshot or a caller) and returns them complete. */
export function checkBaselineOptions(c: JsonChecker, raw: unknown, pointer: string): BaselineOptions {
  const names = Object.keys(OPTION_LIMITS) as Array<keyof BaselineOptions>;
  const o = c.object(raw, pointer, names) ?? {};
  const out: BaselineOptions = { ...DEFAULT_BASELINE_OPTIONS };
  for (const n of names) if (o[n] !== undefined) out[n] = c.number(o[n], ptr(pointer, n), { ...OPTION_LIMITS[n], integer: true }) ?? out[n];
  return out;
}

const TS = { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true };
const COUNT = { min: 0, max: Number.MAX_SAFE_INTEGER };

function readCounters(c: JsonChecker, o: Record<string, unknown>, p: string): CountersJson {
  return {
    flows: c.number(o.flows, ptr(p, 'flows'), { ...COUNT, integer: true }) ?? 0,
    bytes: c.number(o.bytes, ptr(p, 'bytes'), COUNT) ?? 0,
    firstTs: c.number(o.firstTs, ptr(p, 'firstTs'), TS) ?? 0,
    lastTs: c.number(o.lastTs, ptr(p, 'lastTs'), TS) ?? 0,
  };
}

const CNT = ['flows', 'bytes', 'firstTs', 'lastTs'];

function readDevice(c: JsonChecker, raw: unknown, p: string, opts: BaselineOptions): DeviceBaseline | undefined {
  const o = c.object(raw, p, ['ip', ...CNT, 'peers', 'peersDropped', 'services', 'servicesDropped', 'protocols', 'dicomRoutes', 'routesDropped', 'timeOfDay', 'volume']);
  if (!o) return undefined;
  const ip = c.string(o.ip, ptr(p, 'ip'), { min: 1, max: 64 });
  const d = newDevice(ip ?? '', 0, 0);
  Object.assign(d, readCounters(c, o, p));
  const int = (v: unknown, q: string) => c.number(v, q, { ...COUNT, integer: true }) ?? 0;
  (c.array(o.peers, ptr(p, 'peers'), opts.maxPeersPerDevice) ?? []).forEach((raw, i) => {
    const q = ptr(ptr(p, 'peers'), i);
    const e = c.object(raw, q, ['ip', ...CNT]);
    const pip = e && c.string(e.ip, ptr(q, 'ip'), { min: 1, max: 64 });
    if (e && pip) d.peers.set(pip, { ip: pip, ...readCounters(c, e, q) });
  });
  d.peersDropped = int(o.peersDropped, ptr(p, 'peersDropped'));
  (c.array(o.services, ptr(p, 'services'), opts.maxServicesPerDevice) ?? []).forEach((raw, i) => {
    const q = ptr(ptr(p, 'services'), i);
    const e = c.object(raw, q, ['role', 'transport', 'port', 'peer', 'protocols', ...CNT]);
    if (!e) return;
    const role = c.oneOf(e.role, ptr(q, 'role'), ['client', 'server'] as const);
    const transport = c.oneOf(e.transport, ptr(q, 'transport'), ['tcp', 'udp'] as const);
    const port = c.number(e.port, ptr(q, 'port'), { min: 0, max: 65535, integer: true });
    const peer = e.peer === null ? null : c.string(e.peer, ptr(q, 'peer'), { min: 1, max: 64 });
    const protocols = (c.array(e.protocols, ptr(q, 'protocols'), 8) ?? []).map((x, j) => c.string(x, ptr(ptr(q, 'protocols'), j), { min: 1, max: 32 }) ?? '');
    if (role === 'client' && peer === null) c.fail(ptr(q, 'peer'), 'a client-role service names its server address');
    if (role === undefined || transport === undefined || port === undefined || peer === undefined) return;
    d.services.set(serviceKey(role, transport, port, peer), { role, transport, port, peer, protocols, ...readCounters(c, e, q) });
  });
  d.servicesDropped = int(o.servicesDropped, ptr(p, 'servicesDropped'));
  (c.array(o.protocols, ptr(p, 'protocols'), 64) ?? []).forEach((raw, i) => {
    const q = ptr(ptr(p, 'protocols'), i);
    const e = c.object(raw, q, ['protocol', 'flows', 'bytes']);
    const name = e && c.string(e.protocol, ptr(q, 'protocol'), { min: 1, max: 32 });
    if (e && name) d.protocols.set(name, { protocol: name, flows: int(e.flows, ptr(q, 'flows')), bytes: c.number(e.bytes, ptr(q, 'bytes'), COUNT) ?? 0 });
  });
  (c.array(o.dicomRoutes, ptr(p, 'dicomRoutes'), opts.maxDicomRoutesPerDevice) ?? []).forEach((raw, i) => {
    const q = ptr(ptr(p, 'dicomRoutes'), i);
    const e = c.object(raw, q, ['callingAe', 'calledAe', 'server', 'port', 'associations', 'firstTs', 'lastTs']);
    if (!e) return;
    const r = {
      callingAe: c.string(e.callingAe, ptr(q, 'callingAe'), { max: 16 }),
      calledAe: c.string(e.calledAe, ptr(q, 'calledAe'), { max: 16 }),
      server: c.string(e.server, ptr(q, 'server'), { min: 1, max: 64 }),
      port: c.number(e.port, ptr(q, 'port'), { min: 0, max: 65535, integer: true }),
      associations: int(e.associations, ptr(q, 'associations')),
      firstTs: c.number(e.firstTs, ptr(q, 'firstTs'), TS) ?? 0,
      lastTs: c.number(e.lastTs, ptr(q, 'lastTs'), TS) ?? 0,
    };
    if (r.callingAe !== undefined && r.calledAe !== undefined && r.server !== undefined && r.port !== undefined) {
      d.dicomRoutes.set(routeKey(r.calledAe, r.server, r.port), { ...r, callingAe: r.callingAe, calledAe: r.calledAe, server: r.server, port: r.port });
    }
  });
  d.routesDropped = int(o.routesDropped, ptr(p, 'routesDropped'));
  const tod = c.array(o.timeOfDay, ptr(p, 'timeOfDay'), 24);
  if (tod && tod.length !== 24) c.fail(ptr(p, 'timeOfDay'), `expected 24 hourly counts, found ${tod.length}`);
  else if (tod) d.timeOfDay = tod.map((v, i) => int(v, ptr(ptr(p, 'timeOfDay'), i)));
  const vp = ptr(p, 'volume');
  const v = c.object(o.volume, vp, ['startBucket', 'firstBucket', 'evaluatedThrough', 'bytes', 'packets']);
  if (v) {
    const series = (name: 'bytes' | 'packets') => (c.array(v[name], ptr(vp, name), opts.historyBuckets + 4) ?? []).map((x, i) => c.number(x, ptr(ptr(vp, name), i), COUNT) ?? 0);
    const bytes = series('bytes');
    const packets = series('packets');
    if (bytes.length !== packets.length) c.fail(ptr(vp, 'packets'), `expected as many packet counts as byte counts (${bytes.length}), found ${packets.length}`);
    d.volume = restoreVolume(
      {
        startBucket: c.number(v.startBucket, ptr(vp, 'startBucket'), { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }) ?? 0,
        firstBucket: c.number(v.firstBucket, ptr(vp, 'firstBucket'), { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true }) ?? 0,
        evaluatedThrough: c.number(v.evaluatedThrough, ptr(vp, 'evaluatedThrough'), { min: -1, max: Number.MAX_SAFE_INTEGER, integer: true }) ?? -1,
      },
      bytes,
      packets.length === bytes.length ? packets : bytes.map(() => 0),
    );
  }
  return d;
}

/**
 * A store resumed from a snapshot (parsed JSON). Throws DomainError `netmon.baseline_invalid` listing
 * every problem with its JSON pointer.
 */
export function baselineFromJson(raw: unknown, file?: string): BaselineStore {
  const c = new JsonChecker();
  const o = c.object(raw, '', ['format', 'version', 'options', 'learnStart', 'clock', 'counters', 'devices']);
  if (o) {
    if (o.format !== BASELINE_FORMAT) c.fail('/format', `expected "${BASELINE_FORMAT}", found ${JSON.stringify(o.format) ?? 'nothing'}`);
    if (o.version !== BASELINE_VERSION) c.fail('/version', `this CareGuard reads baseline format version ${BASELINE_VERSION}, found ${JSON.stringify(o.version) ?? 'nothing'}`);
  }
  c.throwIfProblems('netmon.baseline_invalid', 'baseline snapshot', file);
  const doc = o as Record<string, unknown>;
  const options = checkBaselineOptions(c, doc.options, '/options');
  const store = new BaselineStore(options);
  if (doc.learnStart !== null) store.learnStart = c.number(doc.learnStart, '/learnStart', TS);
  store.clock = c.number(doc.clock, '/clock', TS) ?? 0;
  const k = c.object(doc.counters, '/counters', ['evictedDevices', 'volumeSamplesDropped']);
  if (k) store.restoreCounters({ evictedDevices: c.number(k.evictedDevices, '/counters/evictedDevices', { ...COUNT, integer: true }) ?? 0, volumeSamplesDropped: c.number(k.volumeSamplesDropped, '/counters/volumeSamplesDropped', { ...COUNT, integer: true }) ?? 0 });
  const devices: DeviceBaseline[] = [];
  const seen = new Set<string>();
  (c.array(doc.devices, '/devices', options.maxDevices) ?? []).forEach((d, i) => {
    const dev = readDevice(c, d, ptr('/devices', i), options);
    if (!dev) return;
    if (seen.has(dev.ip)) c.fail(ptr(ptr('/devices', i), 'ip'), `device ${dev.ip} appears twice`);
    seen.add(dev.ip);
    devices.push(dev);
  });
  c.throwIfProblems('netmon.baseline_invalid', 'baseline snapshot', file);
  // least recently active first, so eviction order survives the round trip
  devices.sort((a, b) => a.lastTs - b.lastTs || byText(a.ip, b.ip));
  for (const d of devices) store.restore(d);
  return store;
}
