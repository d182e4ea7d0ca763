/**
 * @module BaselineStore: the baselines of all devices, updated one flow at a time, bounded in memory.
 * Devices sit in an LRU map (lru.ts); beyond `maxDevices`, or when peers + services + routes across
 * all devices pass `maxTotalEntries`, the least recently active devices go and are counted. Learning happens at flow
 * start (peers, services, time of day) so a long flow that began in the window and ends after it
 * cannot make a later, shorter flow to the same peer look new; byte counts arrive with the flow's
 * end and are spread over the volume buckets the flow spanned.
 */
import type { Micros, Transport } from '../model.js';
import { LruMap } from './lru.js';
import { addToBucket, newVolume } from './volume.js';
import {
  DEFAULT_BASELINE_OPTIONS,
  MAX_PROTOCOLS_PER_DEVICE,
  MAX_PROTOCOLS_PER_SERVICE,
  routeKey,
  serviceKey,
  type BaselineOptions,
  type BaselineStats,
  type DeviceBaseline,
  type ServiceRole,
  type ServiceStat,
} from './model.js';

/** buckets kept beyond the history, so buckets still filling are not cut off before they are judged */
export const VOLUME_SLACK = 4;

export interface ServiceRef {
  role: ServiceRole;
  transport: Transport;
  port: number;
  /** the server address for role client; null for role server */
  peer: string | null;
}

export interface FlowVolume {
  peer: string;
  service: ServiceRef;
  protocol: string;
  bytes: number;
  packets: number;
  firstTs: Micros;
  lastTs: Micros;
}

export const newDevice = (ip: string, ts: Micros, bucket: number): DeviceBaseline => ({
  ip,
  flows: 0,
  bytes: 0,
  firstTs: ts,
  lastTs: ts,
  peers: new Map(),
  peersDropped: 0,
  services: new Map(),
  servicesDropped: 0,
  protocols: new Map(),
  dicomRoutes: new Map(),
  routesDropped: 0,
  timeOfDay: new Array<number>(24).fill(0),
  volume: newVolume(bucket),
});

const entriesOf = (d: DeviceBaseline): number => d.peers.size + d.services.size + d.dicomRoutes.size;

export class BaselineStore {
  readonly options: BaselineOptions;
  /** capture time the learning window opened (first event), µs */
  learnStart: Micros | undefined;
  /** latest capture time seen, µs */
  clock: Micros = 0;
  private readonly devs: LruMap<string, DeviceBaseline>;
  private entries = 0;
  private evictedBefore = 0;
  private volumeDropped = 0;
  /** counters of devices already evicted, so the totals stay right */
  private gone = { peers: 0, services: 0, routes: 0 };

  constructor(options: Partial<BaselineOptions> = {}) {
    this.options = { ...DEFAULT_BASELINE_OPTIONS, ...options };
    this.devs = new LruMap(this.options.maxDevices, (_ip, d) => this.forget(d));
  }

  get bucketUs(): number {
    return this.options.bucketSeconds * 1_000_000;
  }

  /** End of the learning window (exclusive), once it has started. */
  get learnEnd(): Micros | undefined {
    return this.learnStart === undefined ? undefined : this.learnStart + this.options.learnSeconds * 1_000_000;
  }

  bucketOf(ts: Micros): number {
    return Math.floor(ts / this.bucketUs);
  }

  /** Moves the clock; opens the learning window at the first event. */
  advance(ts: Micros): void {
    if (this.learnStart === undefined) this.learnStart = ts;
    if (ts > this.clock) this.clock = ts;
  }

  /** Whether an event at `ts` falls inside the learning window. */
  isLearning(ts: Micros): boolean {
    const end = this.learnEnd;
    return end === undefined || ts < end;
  }

  /** The window has passed (in capture time): rules that compare against the baseline may judge. */
  get complete(): boolean {
    const end = this.learnEnd;
    return end !== undefined && this.clock >= end;
  }

  /** A device seen during the learning window (its peers and services are a baseline to compare with). */
  isBaselined(d: DeviceBaseline): boolean {
    const end = this.learnEnd;
    return end !== undefined && d.firstTs < end;
  }

  /** A device's baseline (does not count as activity). */
  get(ip: string): DeviceBaseline | undefined {
    return this.devs.peek(ip);
  }

  devices(): IterableIterator<DeviceBaseline> {
    return this.devs.values();
  }

  /** The device's baseline (created on first sight), marked most recently active. */
  ensure(ip: string, ts: Micros): DeviceBaseline {
    let d = this.devs.get(ip);
    if (!d) {
      d = newDevice(ip, ts, this.bucketOf(ts));
      this.devs.set(ip, d);
    }
    if (ts < d.firstTs) d.firstTs = ts;
    if (ts > d.lastTs) d.lastTs = ts;
    return d;
  }

  /** A flow starting: counts it and, inside the learning window, learns the peer, the service and the hour. */
  onFlowStart(ip: string, peer: string, service: ServiceRef, ts: Micros): DeviceBaseline {
    const d = this.ensure(ip, ts);
    d.flows++;
    if (!this.isLearning(ts)) return d;
    const o = this.options;
    if (!d.peers.has(peer)) {
      if (d.peers.size < o.maxPeersPerDevice) {
        d.peers.set(peer, { ip: peer, flows: 0, bytes: 0, firstTs: ts, lastTs: ts });
        this.entries++;
      } else d.peersDropped++;
    }
    const key = serviceKey(service.role, service.transport, service.port, service.peer);
    if (!d.services.has(key)) {
      if (d.services.size < o.maxServicesPerDevice) {
        // a literal, not a spread of `service`: spread copies get a hidden class each (20,000 devices: ~7 MB of shapes)
        d.services.set(key, { role: service.role, transport: service.transport, port: service.port, peer: service.peer, protocols: [], flows: 0, bytes: 0, firstTs: ts, lastTs: ts });
        this.entries++;
      } else d.servicesDropped++;
    }
    const hour = Math.floor((ts / 1_000_000 + o.utcOffsetMinutes * 60) / 3600);
    d.timeOfDay[((hour % 24) + 24) % 24]! += 1;
    this.enforceTotal(ip);
    return d;
  }

  /** A flow ended: bytes into the volume series; counters (and, for a flow begun in the window, protocols) of known entries. */
  onFlowEnd(ip: string, f: FlowVolume): void {
    const d = this.ensure(ip, f.lastTs);
    d.bytes += f.bytes;
    const learning = this.isLearning(f.firstTs);
    const peer = d.peers.get(f.peer);
    if (peer) bump(peer, f);
    const svc = d.services.get(serviceKey(f.service.role, f.service.transport, f.service.port, f.service.peer));
    if (svc) {
      bump(svc, f);
      if (learning) addProtocol(svc, f.protocol);
    }
    let p = d.protocols.get(f.protocol);
    if (!p && learning && d.protocols.size < MAX_PROTOCOLS_PER_DEVICE) d.protocols.set(f.protocol, (p = { protocol: f.protocol, flows: 0, bytes: 0 }));
    if (p) {
      p.flows++;
      p.bytes += f.bytes;
    }
    this.addVolume(d, f.firstTs, f.lastTs, f.bytes, f.packets);
  }

  /** A DICOM association the device sent, inside the learning window: the route becomes expected. */
  learnDicomRoute(ip: string, callingAe: string, calledAe: string, server: string, port: number, ts: Micros): void {
    const d = this.ensure(ip, ts);
    const key = routeKey(calledAe, server, port);
    const r = d.dicomRoutes.get(key);
    if (r) {
      r.associations++;
      if (ts > r.lastTs) r.lastTs = ts;
      return;
    }
    if (!this.isLearning(ts)) return;
    if (d.dicomRoutes.size >= this.options.maxDicomRoutesPerDevice) {
      d.routesDropped++;
      return;
    }
    d.dicomRoutes.set(key, { callingAe, calledAe, server, port, associations: 1, firstTs: ts, lastTs: ts });
    this.entries++;
    this.enforceTotal(ip);
  }

  stats(): BaselineStats {
    let peers = this.gone.peers;
    let services = this.gone.services;
    let routes = this.gone.routes;
    for (const d of this.devs.values()) {
      peers += d.peersDropped;
      services += d.servicesDropped;
      routes += d.routesDropped;
    }
    return { devices: this.devs.size, evictedDevices: this.evictedBefore + this.devs.evicted, entries: this.entries, peersDropped: peers, servicesDropped: services, routesDropped: routes, volumeSamplesDropped: this.volumeDropped };
  }

  /** Restores a device (snapshot loading); devices must come least recently active first. */
  restore(d: DeviceBaseline): void {
    const old = this.devs.peek(d.ip);
    if (old) this.entries -= entriesOf(old);
    this.devs.set(d.ip, d);
    this.entries += entriesOf(d);
  }

  /** Counters a snapshot carries over. */
  restoreCounters(c: { evictedDevices: number; volumeSamplesDropped: number }): void {
    this.evictedBefore = c.evictedDevices;
    this.volumeDropped = c.volumeSamplesDropped;
  }

  /** Bookkeeping for a device leaving (evicted by either bound). */
  private forget(d: DeviceBaseline): void {
    this.entries -= entriesOf(d);
    this.gone.peers += d.peersDropped;
    this.gone.services += d.servicesDropped;
    this.gone.routes += d.routesDropped;
  }

  private enforceTotal(current: string): void {
    while (this.entries > this.options.maxTotalEntries && this.devs.size > 1 && this.devs.oldestKey() !== current) this.devs.evictOldest();
  }

  /** Spreads a flow's bytes over the buckets it spanned, in proportion to the time spent in each. */
  private addVolume(d: DeviceBaseline, first: Micros, last: Micros, bytes: number, packets: number): void {
    const bu = this.bucketUs;
    const b0 = this.bucketOf(first);
    const b1 = this.bucketOf(last);
    if (b0 < d.volume.firstBucket) d.volume.firstBucket = b0;
    if (b0 === b1) {
      this.addToBucket(d, b1, bytes, packets);
      return;
    }
    const keep = this.options.historyBuckets + VOLUME_SLACK;
    const from = Math.max(b0, b1 - keep + 1);
    if (from > b0) this.volumeDropped++;
    const span = last - first;
    let givenBytes = 0;
    let givenPackets = 0;
    for (let b = from; b <= b1; b++) {
      // integer shares; the last bucket takes the rounding remainder so totals are exact
      const overlap = Math.min(last, (b + 1) * bu) - Math.max(first, b * bu);
      const shareBytes = b === b1 ? bytes - givenBytes : Math.floor((bytes * overlap) / span);
      const sharePackets = b === b1 ? packets - givenPackets : Math.floor((packets * overlap) / span);
      givenBytes += shareBytes;
      givenPackets += sharePackets;
      this.addToBucket(d, b, shareBytes, sharePackets);
    }
  }

  private addToBucket(d: DeviceBaseline, b: number, bytes: number, packets: number): void {
    if (!addToBucket(d.volume, b, bytes, packets, this.options.historyBuckets + VOLUME_SLACK)) this.volumeDropped++;
  }
}

function bump(c: { flows: number; bytes: number; firstTs: Micros; lastTs: Micros }, f: FlowVolume): void {
  c.flows++;
  c.bytes += f.bytes;
  if (f.firstTs < c.firstTs) c.firstTs = f.firstTs;
  if (f.lastTs > c.lastTs) c.lastTs = f.lastTs;
}

function addProtocol(s: ServiceStat, protocol: string): void {
  if (!s.protocols.includes(protocol) && s.protocols.length < MAX_PROTOCOLS_PER_SERVICE) {
    s.protocols.push(protocol);
    s.protocols.sort();
  }
}
