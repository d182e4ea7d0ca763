/**
 * @module The ordered list of dissectors and the per-flow dispatcher flow tracking calls. The dispatcher
 * buffers a bounded prefix of each direction, asks every candidate dissector's content check, picks a
 * 'yes' (port hints only break ties between several yeses, then list order), replays the buffered bytes
 * into the chosen dissector and from then on passes data straight through. A DissectorError becomes a
 * `<protocol>.malformed` observation and stops that TCP direction (UDP: just that datagram).
 */
import type { Direction, FlowCloseReason, FlowKey, FrameMeta, ObservationSink, StreamConsumer } from '../model.js';
import { producerOf, type Detection, type Dissector } from './contract.js';
import { isDissectorError } from './errors.js';
import { dicomDissector } from './dicom/dissector.js';
import { dhcpDissector } from './dhcp/dissector.js';
import { dnsDissector, mdnsDissector } from './dns/dissector.js';
import { hl7Dissector } from './hl7/dissector.js';
import { httpDissector } from './http/dissector.js';
import { ftpDissector } from './legacy/ftp.js';
import { rdpDissector } from './legacy/rdp.js';
import { smbDissector } from './legacy/smb.js';
import { snmpDissector } from './legacy/snmp.js';
import { telnetDissector } from './legacy/telnet.js';
import { vncDissector } from './legacy/vnc.js';
import { mqttDissector } from './mqtt/dissector.js';
import { ssdpDissector } from './ssdp/dissector.js';
import { tlsDissector } from './tls/dissector.js';

/** Most specific content checks first: a strict binary header beats a loose text prefix. */
export const DEFAULT_DISSECTORS: readonly Dissector[] = [
  tlsDissector,
  dicomDissector,
  mqttDissector,
  hl7Dissector,
  smbDissector,
  rdpDissector,
  vncDissector,
  httpDissector,
  ftpDissector,
  telnetDissector,
  dhcpDissector,
  snmpDissector,
  ssdpDissector,
  mdnsDissector,
  dnsDissector,
];

export interface DispatcherOptions {
  /** candidate dissectors in priority order (default DEFAULT_DISSECTORS) */
  dissectors?: readonly Dissector[];
  /** bytes buffered per direction while detecting (default 4096) */
  maxDetectBytes?: number;
  /** UDP datagrams examined before giving up (default 8) */
  maxDetectDatagrams?: number;
}

export type DispatcherState = 'detecting' | 'dissecting' | 'unclassified';

export interface Dispatcher extends StreamConsumer {
  onGap(dir: Direction, length: number, meta: FrameMeta): void;
  onClose(reason: FlowCloseReason, meta: FrameMeta): void;
  readonly state: DispatcherState;
  /** id@version of the chosen dissector, once chosen */
  readonly producer: string | undefined;
}

type Buffered = { kind: 'data'; dir: Direction; bytes: Uint8Array; meta: FrameMeta } | { kind: 'gap'; dir: Direction; length: number; meta: FrameMeta };

export class Registry {
  readonly dissectors: readonly Dissector[];
  private readonly byId: ReadonlyMap<string, Dissector>;

  constructor(dissectors: readonly Dissector[] = DEFAULT_DISSECTORS) {
    const ids = new Set<string>();
    for (const d of dissectors) {
      if (ids.has(d.id)) throw new Error(`duplicate dissector id ${d.id}`);
      ids.add(d.id);
    }
    this.dissectors = dissectors;
    this.byId = new Map(dissectors.map((d) => [d.id, d]));
  }

  get(id: string): Dissector | undefined {
    return this.byId.get(id);
  }

  candidates(key: FlowKey): Dissector[] {
    return this.dissectors.filter((d) => d.transport === 'both' || d.transport === key.transport);
  }

  /**
   * Runs every candidate's content check on `bytes`. Returns the chosen dissector, 'need-more' if some
   * candidate still needs bytes, or 'no'. Among several 'yes', one whose default ports include the server
   * port wins, then list order.
   */
  classify(bytes: Uint8Array, dir: Direction, key: FlowKey, candidates: readonly Dissector[] = this.candidates(key)): Dissector | 'need-more' | 'no' {
    const yes: Dissector[] = [];
    let needMore = false;
    for (const d of candidates) {
      let answer: Detection;
      try {
        answer = d.detect(bytes, dir, key);
      } catch {
        // detect must not throw; a buggy one simply does not claim the flow
        answer = 'no';
      }
      if (answer === 'yes') yes.push(d);
      else if (answer === 'need-more') needMore = true;
    }
    if (yes.length === 0) return needMore ? 'need-more' : 'no';
    return yes.find((d) => d.defaultPorts.includes(key.server.port)) ?? (yes[0] as Dissector);
  }

  createDispatcher(key: FlowKey, emit: ObservationSink, options: Omit<DispatcherOptions, 'dissectors'> = {}): Dispatcher {
    return new FlowDispatcher(this, key, emit, options.maxDetectBytes ?? 4096, options.maxDetectDatagrams ?? 8);
  }
}

class FlowDispatcher implements Dispatcher {
  state: DispatcherState = 'detecting';
  private chosen: Dissector | undefined;
  private consumer: StreamConsumer | undefined;
  private readonly buffered: Buffered[] = [];
  private readonly prefix: Record<Direction, Uint8Array> = { c2s: new Uint8Array(0), s2c: new Uint8Array(0) };
  private readonly exhausted: Record<Direction, boolean> = { c2s: false, s2c: false };
  private readonly muted: Record<Direction, boolean> = { c2s: false, s2c: false };
  private datagrams = 0;

  constructor(
    private readonly registry: Registry,
    private readonly key: FlowKey,
    private readonly emit: ObservationSink,
    private readonly maxBytes: number,
    private readonly maxDatagrams: number,
  ) {}

  get producer(): string | undefined {
    return this.chosen ? producerOf(this.chosen) : undefined;
  }

  onData(dir: Direction, data: Uint8Array, meta: FrameMeta): void {
    if (this.state === 'dissecting') return this.deliver({ kind: 'data', dir, bytes: data, meta });
    if (this.state === 'unclassified' || data.length === 0) return;
    this.buffered.push({ kind: 'data', dir, bytes: data.slice(), meta });
    const verdict = this.key.transport === 'udp' ? this.detectDatagram(dir, data) : this.detectStream(dir, data);
    if (verdict !== undefined) this.start(verdict);
    else if (this.exhausted.c2s && this.exhausted.s2c) this.giveUp();
  }

  onGap(dir: Direction, length: number, meta: FrameMeta): void {
    if (this.state === 'dissecting') return this.deliver({ kind: 'gap', dir, length, meta });
    if (this.state === 'unclassified') return;
    // bytes after a hole start mid-message: they can't be used to recognise the protocol
    this.exhausted[dir] = true;
    this.buffered.push({ kind: 'gap', dir, length, meta });
    if (this.exhausted.c2s && this.exhausted.s2c) this.giveUp();
  }

  onClose(reason: FlowCloseReason, meta: FrameMeta): void {
    if (this.state !== 'dissecting' || !this.consumer?.onClose) return;
    try {
      this.consumer.onClose(reason, meta);
    } catch (e) {
      this.malformed(e, undefined, meta);
    }
  }

  private detectStream(dir: Direction, data: Uint8Array): Dissector | undefined {
    if (this.exhausted[dir]) return undefined;
    const prev = this.prefix[dir];
    const take = Math.min(data.length, this.maxBytes - prev.length);
    const next = new Uint8Array(prev.length + take);
    next.set(prev);
    next.set(data.subarray(0, take), prev.length);
    this.prefix[dir] = next;
    const verdict = this.registry.classify(next, dir, this.key);
    if (typeof verdict !== 'string') return verdict;
    if (verdict === 'no' || next.length >= this.maxBytes) this.exhausted[dir] = true;
    return undefined;
  }

  private detectDatagram(dir: Direction, data: Uint8Array): Dissector | undefined {
    const verdict = this.registry.classify(data, dir, this.key);
    if (typeof verdict !== 'string') return verdict;
    if (++this.datagrams >= this.maxDatagrams) {
      this.exhausted.c2s = true;
      this.exhausted.s2c = true;
    }
    return undefined;
  }

  private giveUp(): void {
    this.state = 'unclassified';
    this.buffered.length = 0;
  }

  private start(d: Dissector): void {
    this.chosen = d;
    this.state = 'dissecting';
    this.consumer = d.create(this.key, this.emit);
    const replay = this.buffered.splice(0);
    this.prefix.c2s = new Uint8Array(0);
    this.prefix.s2c = new Uint8Array(0);
    for (const item of replay) this.deliver(item);
  }

  private deliver(item: Buffered): void {
    const c = this.consumer;
    if (!c || this.muted[item.dir]) return;
    try {
      if (item.kind === 'data') c.onData(item.dir, item.bytes, item.meta);
      else c.onGap?.(item.dir, item.length, item.meta);
    } catch (e) {
      this.malformed(e, item.dir, item.meta);
    }
  }

  private malformed(e: unknown, dir: Direction | undefined, meta: FrameMeta): void {
    const d = this.chosen as Dissector;
    const typed = isDissectorError(e);
    // a bug in one dissector must not stop a whole capture: the flow is dropped and the fault recorded
    // (property tests assert dissectors never get here with anything but a DissectorError)
    if (!typed) {
      this.muted.c2s = true;
      this.muted.s2c = true;
    } else if (dir !== undefined && this.key.transport === 'tcp') this.muted[dir] = true;
    this.emit({
      protocol: d.id,
      kind: typed ? `${d.id}.malformed` : `${d.id}.dissector-fault`,
      producer: producerOf(d),
      ts: meta.ts,
      frame: meta.frame,
      flow: this.key,
      ...(dir === undefined ? {} : { dir }),
      fields: typed
        ? { code: e.code, message: e.message, byteOffset: e.byteOffset, stoppedDirection: dir !== undefined && this.key.transport === 'tcp' }
        : { code: 'netmon.dissector-fault', message: e instanceof Error ? e.message : String(e), stoppedDirection: true },
    });
  }
}

export const defaultRegistry = new Registry();

/** The StreamConsumer flow tracking creates per flow: detection by content, then the chosen dissector. */
export function createDispatcher(key: FlowKey, emit: ObservationSink, options: DispatcherOptions = {}): Dispatcher {
  const registry = options.dissectors ? new Registry(options.dissectors) : defaultRegistry;
  return registry.createDispatcher(key, emit, options);
}
