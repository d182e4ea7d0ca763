/**
 * @module The per-flow dispatcher flow tracking calls. It buffers a bounded prefix of each direction,
 * asks the registry to classify it, replays the buffered bytes into the chosen dissector and from then
 * on passes data straight through. A DissectorError becomes a `<protocol>.malformed` observation and
 * stops that TCP direction (UDP: just that datagram). A TCP flow detection gives up on, on a port a
 * dissector reads with late sync (LateSync in contract.ts), goes to that dissector instead of staying
 * unclassified.
 */
import { askedSkip, SKIP_REST, type Direction, type FlowCloseReason, type FlowKey, type FrameMeta, type ObservationSink, type StreamConsumer } from '../model.js';
import { producerOf, type ConsumerOptions, type Dissector, type LateSyncConsumer, type LateSyncStatus } from './contract.js';
import { DetectPrefix } from './detect-prefix.js';
import { HeldBytesBudget, type Dispatcher, type DispatcherState } from './dispatcher-contract.js';
import { malformedObservation } from './dispatcher-malformed.js';
import { isDissectorError } from './errors.js';
import type { Registry } from './registry.js';

export { DEFAULT_MAX_HELD_BYTES, DEFAULT_MAX_HELD_BYTES_TOTAL, DEFAULT_MAX_KEPT_BODY_BYTES_TOTAL, HeldBytesBudget, type Dispatcher, type DispatcherOptions, type DispatcherState } from './dispatcher-contract.js';

type Buffered = { kind: 'data'; dir: Direction; bytes: Uint8Array; meta: FrameMeta } | { kind: 'gap'; dir: Direction; length: number; meta: FrameMeta };

const EMPTY = new Uint8Array(0);
/** a direction's first chunks are each classified; later, only as the prefix doubles (see detectStream) */
const EAGER_CHECKS = 8;
/** ... and has grown by this much at least */
const MIN_RECHECK_BYTES = 64;

export class FlowDispatcher implements Dispatcher {
  readonly skips = true;
  state: DispatcherState = 'detecting';
  private chosen: Dissector | undefined;
  private consumer: StreamConsumer | undefined;
  private late: LateSyncConsumer | undefined;
  private readonly buffered: Buffered[] = [];
  private readonly prefixC2s = new DetectPrefix();
  private readonly prefixS2c = new DetectPrefix();
  private readonly exhausted: Record<Direction, boolean> = { c2s: false, s2c: false };
  private mutedC2s = false;
  private mutedS2c = false;
  /** skips asked for while buffered chunks were replayed, not yet applied */
  private pendingC2s = 0;
  private pendingS2c = 0;
  private datagrams = 0;
  /** prefix length when each direction was last classified (see detectStream) */
  private checkedC2s = 0;
  private checkedS2c = 0;
  /** how many times each direction was classified */
  private checksC2s = 0;
  private checksS2c = 0;
  heldBytes = 0;

  constructor(
    private readonly registry: Registry,
    private readonly key: FlowKey,
    private readonly emit: ObservationSink,
    private readonly maxBytes: number,
    private readonly maxDatagrams: number,
    private readonly maxHeld: number,
    private readonly budget: HeldBytesBudget,
    private readonly lateScanLimit: number,
    /** what every consumer of this flow is created with (shared, never changed) */
    private readonly consumerOptions: ConsumerOptions,
  ) {}

  get producer(): string | undefined {
    // a flow chosen by port alone is not that protocol until its content proves it
    if (this.late !== undefined && !this.late.recognised) return undefined;
    return this.chosen ? producerOf(this.chosen) : undefined;
  }

  get lateSync(): LateSyncStatus | undefined {
    return this.late?.status();
  }

  onData(dir: Direction, data: Uint8Array, meta: FrameMeta): number {
    // the per-chunk path once a dissector is chosen: no wrapper object, straight to the consumer
    if (this.state === 'dissecting') return this.deliverData(dir, data, meta);
    // nobody will read this flow's bytes again
    if (this.state === 'unclassified') return SKIP_REST;
    if (this.state === 'late-sync') return this.deliverData(dir, data, meta);
    if (data.length === 0) return 0;
    const verdict = this.key.transport === 'udp' ? this.detectDatagram(dir, data) : this.detectStream(dir, data);
    if (verdict !== undefined) return this.start(verdict, dir, data, meta);
    if (this.exhausted.c2s && this.exhausted.s2c) return this.abandon(dir, data, meta);
    // undecided: keep a copy (stream data is only valid during this call) to replay once a dissector is chosen
    if (!this.hold(data.length)) {
      this.budget.flowsGivenUp++;
      return this.abandon(dir, data, meta);
    }
    this.buffered.push({ kind: 'data', dir, bytes: data.slice(), meta });
    return 0;
  }

  private hold(n: number): boolean {
    const b = this.budget;
    if (this.heldBytes + n > this.maxHeld || b.used + n > b.max) return false;
    this.heldBytes += n;
    b.used += n;
    if (b.used > b.peak) b.peak = b.used;
    return true;
  }

  /** Drops what is kept for replay and returns it to the shared budget. */
  private release(): void {
    this.buffered.length = 0;
    this.budget.used -= this.heldBytes;
    this.heldBytes = 0;
  }

  onGap(dir: Direction, length: number, meta: FrameMeta): void {
    if (this.state === 'detecting') this.settle(dir, meta);
    if (this.state === 'dissecting' || this.state === 'late-sync') return this.deliverGap(dir, length, meta);
    if (this.state === 'unclassified') return;
    // bytes after a hole start mid-message: they can't be used to recognise the protocol
    this.exhausted[dir] = true;
    this.buffered.push({ kind: 'gap', dir, length, meta });
    if (this.exhausted.c2s && this.exhausted.s2c) this.abandon(dir, EMPTY, meta);
  }

  onClose(reason: FlowCloseReason, meta: FrameMeta): void {
    if (this.state === 'detecting') {
      this.settle('c2s', meta);
      this.settle('s2c', meta);
    }
    // ended undecided: what it sent is still looked at on a late-sync port, as if it had gone on
    if (this.state === 'detecting' && this.buffered.length > 0 && this.lateSyncDissector() !== undefined) this.abandon('c2s', EMPTY, meta);
    if (this.state === 'detecting') this.release();
    if ((this.state !== 'dissecting' && this.state !== 'late-sync') || !this.consumer?.onClose) return;
    try {
      this.consumer.onClose(reason, meta);
    } catch (e) {
      this.malformed(e, undefined, meta);
    }
  }

  private detectStream(dir: Direction, data: Uint8Array): Dissector | undefined {
    if (this.exhausted[dir]) return undefined;
    const prefix = dir === 'c2s' ? this.prefixC2s : this.prefixS2c;
    // the first chunk of a direction is classified in place; later ones extend a bounded copy
    const bytes = prefix.length === 0 && data.length <= this.maxBytes ? data : prefix.add(data, this.maxBytes);
    // Classifying reads the whole prefix, so a direction arriving in tiny chunks would pay for it once
    // per chunk: quadratic (4-byte chunks up to 4 KiB cost 37 ms a flow with the mid-stream checks).
    // After its first EAGER_CHECKS chunks a direction is asked again only once the prefix has doubled
    // (by 64 bytes at least) or is full; the chunks in between are kept and replayed, and a flow that
    // breaks or ends in between is asked then (settle).
    const checks = dir === 'c2s' ? this.checksC2s : this.checksS2c;
    const checked = dir === 'c2s' ? this.checkedC2s : this.checkedS2c;
    if (checks >= EAGER_CHECKS && bytes.length < this.maxBytes && bytes.length < checked + Math.max(checked, MIN_RECHECK_BYTES)) return undefined;
    const verdict = this.classifyPrefix(dir, bytes);
    if (bytes === data && verdict === undefined) prefix.add(data, this.maxBytes);
    return verdict;
  }

  /** Classifies a direction's prefix; marks the direction exhausted when it can no longer decide. */
  private classifyPrefix(dir: Direction, bytes: Uint8Array): Dissector | undefined {
    if (dir === 'c2s') {
      this.checkedC2s = bytes.length;
      this.checksC2s++;
    } else {
      this.checkedS2c = bytes.length;
      this.checksS2c++;
    }
    const verdict = this.registry.classify(bytes, dir, this.key);
    if (typeof verdict !== 'string') return verdict;
    if (verdict === 'no' || bytes.length >= this.maxBytes) this.exhausted[dir] = true;
    return undefined;
  }

  /** Before a gap or the end: the bytes that came since the direction was last classified are judged now. */
  private settle(dir: Direction, meta: FrameMeta): void {
    if (this.key.transport !== 'tcp' || this.exhausted[dir]) return;
    const prefix = dir === 'c2s' ? this.prefixC2s : this.prefixS2c;
    if (prefix.length <= (dir === 'c2s' ? this.checkedC2s : this.checkedS2c)) return;
    const verdict = this.classifyPrefix(dir, prefix.view());
    if (verdict !== undefined) this.start(verdict, dir, EMPTY, meta);
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

  /** the dissector that reads this flow with late sync if content detection fails */
  private lateSyncDissector(): Dissector | undefined {
    return this.key.transport === 'tcp' ? this.registry.lateSyncFor(this.key.server.port) : undefined;
  }

  /**
   * Content detection gave the flow up: a TCP flow on a late-sync port goes to that dissector (the
   * buffered chunks, then `data`), any other becomes unclassified. Returns the skip after `data`.
   */
  private abandon(dir: Direction, data: Uint8Array, meta: FrameMeta): number {
    const d = this.lateSyncDissector();
    if (d?.lateSync === undefined) {
      this.giveUp();
      return SKIP_REST;
    }
    this.late = d.lateSync.create(this.key, this.emit, { ...this.consumerOptions, scanLimit: this.lateScanLimit });
    return this.start(d, dir, data, meta, this.late);
  }

  private giveUp(): void {
    this.state = 'unclassified';
    this.release();
    this.prefixC2s.release();
    this.prefixS2c.release();
  }

  /**
   * `data` is the chunk that decided: it follows the buffered ones and is delivered without a copy.
   * Skips the dissector asks for while buffered chunks replay are applied here; the one for `dir`
   * after `data` is returned to flow tracking, the other direction's waits for its next chunk.
   * `late`: the dissector's late-sync consumer, when content did not decide.
   */
  private start(d: Dissector, dir: Direction, data: Uint8Array, meta: FrameMeta, late?: LateSyncConsumer): number {
    this.chosen = d;
    this.state = late === undefined ? 'dissecting' : 'late-sync';
    this.consumer = late ?? d.create(this.key, this.emit, this.consumerOptions);
    const replay = this.buffered.splice(0);
    this.release();
    this.prefixC2s.release();
    this.prefixS2c.release();
    for (const item of replay) {
      if (item.kind === 'data') this.setPending(item.dir, this.deliverData(item.dir, item.bytes, item.meta));
      else this.deliverGap(item.dir, item.length, item.meta);
    }
    // settle() starts a dissector with nothing new to deliver: the skip pending for `dir` stands
    if (data.length === 0) return 0;
    return this.deliverData(dir, data, meta);
  }

  private setPending(dir: Direction, skip: number): void {
    if (this.key.transport !== 'tcp') return;
    if (dir === 'c2s') this.pendingC2s = skip;
    else this.pendingS2c = skip;
  }

  /** Returns the dissector's skip for what follows `bytes` (0 for UDP, where each datagram stands alone). */
  private deliverData(dir: Direction, bytes: Uint8Array, meta: FrameMeta): number {
    const c = this.consumer;
    if (!c || (dir === 'c2s' ? this.mutedC2s : this.mutedS2c)) return SKIP_REST;
    // Left over from replaying buffered chunks (flow tracking skips everything after that itself).
    const pending = dir === 'c2s' ? this.pendingC2s : this.pendingS2c;
    let data = bytes;
    if (pending > 0) {
      this.setPending(dir, 0);
      if (pending >= data.length) return pending - data.length;
      data = data.subarray(pending);
    }
    try {
      const skip = askedSkip(c, c.onData(dir, data, meta));
      return this.key.transport === 'tcp' ? skip : 0;
    } catch (e) {
      this.malformed(e, dir, meta);
      // a stopped direction needs no more bytes
      return (dir === 'c2s' ? this.mutedC2s : this.mutedS2c) ? SKIP_REST : 0;
    }
  }

  private deliverGap(dir: Direction, length: number, meta: FrameMeta): void {
    this.setPending(dir, 0);
    const c = this.consumer;
    if (!c || (dir === 'c2s' ? this.mutedC2s : this.mutedS2c)) return;
    try {
      c.onGap?.(dir, length, meta);
    } catch (e) {
      this.malformed(e, dir, meta);
    }
  }

  private mute(dir: Direction): void {
    if (dir === 'c2s') this.mutedC2s = true;
    else this.mutedS2c = true;
  }

  private malformed(e: unknown, dir: Direction | undefined, meta: FrameMeta): void {
    // a bug in one dissector must not stop a whole capture: the flow is dropped and the fault recorded
    // (property tests assert dissectors never get here with anything but a DissectorError)
    if (!isDissectorError(e)) {
      this.mutedC2s = true;
      this.mutedS2c = true;
    } else if (dir !== undefined && this.key.transport === 'tcp') this.mute(dir);
    this.emit(malformedObservation(this.chosen as Dissector, this.key, e, dir, meta));
  }
}
