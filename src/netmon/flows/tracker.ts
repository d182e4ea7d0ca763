/**
 * @module Flow tracking: groups decoded TCP/UDP packets into flows (5-tuple + VLANs), decides client
 * and server, reassembles TCP per direction and hands bytes to the StreamConsumer that onFlowStart
 * returned; UDP datagrams are handed on one by one. Flows end by FIN/RST, by idle timeout measured in
 * packet time (never the wall clock), by eviction of the least recently active when the table is
 * full, or at end of capture; each ending yields a FlowSummary.
 */
import { TcpFlag, type DecodedPacket } from '../decode/index.js';
import { askedSkip, SKIP_REST, type Direction, type FlowCloseReason, type FlowInfo, type FlowRoleSource, type FlowSummary, type FrameMeta } from '../model.js';
import { C2S, Flow, FlowList, packetFlowHash, vlanKey } from './flow.js';
import { FlowTable } from './table.js';
import { summarizeFlow } from './summary.js';
import { endpointsOf } from './keys.js';
import { TcpHalfStream, type HalfLimits, type HalfOutput } from './tcp-stream.js';
import { DEFAULT_FLOW_LIMITS, type BufferBudget, type FlowLimits, type FlowTrackerOptions, type FlowTrackerStats } from './types.js';

const EMPTY = new Uint8Array(0);

export class FlowTracker {
  readonly limits: FlowLimits;
  readonly stats: FlowTrackerStats = {
    flowsCreated: 0, tcpFlows: 0, udpFlows: 0, activeFlows: 0, peakActiveFlows: 0, expiredFlows: 0, evictedFlows: 0,
    bufferedBytes: 0, peakBufferedBytes: 0, retransmittedSegments: 0, overlapBytes: 0, outOfOrderSegments: 0, gapBytes: 0, forcedGaps: 0,
  };
  /** exceptions thrown by consumers; the throwing consumer is detached, tracking goes on */
  consumerErrors = 0;
  private readonly table = new FlowTable();
  private readonly tcpOpen: FlowList;
  private readonly tcpClosed: FlowList;
  private readonly udp: FlowList;
  private readonly budget: BufferBudget;
  private readonly halfLimits: HalfLimits;
  private now = 0;
  private nextId = 1;
  // The packet being tracked: its frame number and time, and its FrameMeta once one is needed.
  private curFrame = 0;
  private curTs = 0;
  private curMeta: FrameMeta | null = null;

  constructor(private readonly opts: FlowTrackerOptions = {}) {
    this.limits = { ...DEFAULT_FLOW_LIMITS, ...opts.limits };
    this.tcpOpen = new FlowList(this.limits.tcpIdleTimeoutUs);
    this.tcpClosed = new FlowList(this.limits.tcpClosedTimeoutUs);
    this.udp = new FlowList(this.limits.udpIdleTimeoutUs);
    this.budget = { used: 0, peak: 0, max: this.limits.maxBufferedBytesTotal };
    this.halfLimits = { maxBytes: this.limits.maxBufferedBytesPerFlow, maxSegments: this.limits.maxSegmentsPerFlow };
  }

  /**
   * Feeds one decoded packet. Returns false when it is not TCP/UDP (nothing tracked). `wireLength`
   * is the frame's original length, for byte counters. `meta` may be kept by consumers: pass a fresh one.
   */
  push(p: DecodedPacket, meta: FrameMeta, wireLength = p.frame.length): boolean {
    this.curMeta = meta;
    this.curTs = meta.ts;
    return this.track(p, meta.frame, wireLength);
  }

  /**
   * push() for a packet read from a capture, its frame number given and its time and wire length read
   * from `captured` (the parser's reused packet) rather than passed: a time is a double, and a double
   * passed to a call the compiler does not inline is boxed into a new heap object, once per packet.
   * The FrameMeta consumers receive is made only if one is called, not for the packets nobody reads
   * (pure ACKs, skipped bulk data, flows without consumers).
   */
  pushCaptured(p: DecodedPacket, frame: number, captured: { readonly ts: number; readonly origLen: number }): boolean {
    this.curMeta = null;
    this.curTs = captured.ts;
    return this.track(p, frame, captured.origLen);
  }

  /** the current packet's FrameMeta, made on first use */
  private meta(): FrameMeta {
    return (this.curMeta ??= { frame: this.curFrame, ts: this.curTs });
  }

  /** tracks the packet at time this.curTs, which the caller set */
  private track(p: DecodedPacket, frame: number, wireLength: number): boolean {
    const transport = p.transport;
    if (transport !== 'tcp' && transport !== 'udp') return false;
    this.curFrame = frame;
    const ts = this.curTs;
    if (ts > this.now) {
      this.now = ts;
      this.expire();
    }
    const tcp = transport === 'tcp';
    const vk = p.vlanCount === 0 ? 0 : vlanKey(p);
    const hash = packetFlowHash(p, vk);
    let flow = this.table.find(p, hash, vk);
    let dir = this.table.dir;
    // Only a SYN without ACK can be a new connection on the ports of a tracked flow.
    if (flow === null || (tcp && (p.tcpFlags & (TcpFlag.SYN | TcpFlag.ACK)) === TcpFlag.SYN && this.isNewConnection(flow, p))) {
      flow = this.start(flow, p, this.meta(), hash, vk);
      dir = flow.direction(p, vk);
    }
    if (dir === C2S) {
      flow.c2sPackets++;
      flow.c2sBytes += wireLength;
      flow.c2sPayload += p.payloadLength + p.payloadMissing;
    } else {
      flow.s2cPackets++;
      flow.s2cBytes += wireLength;
      flow.s2cPayload += p.payloadLength + p.payloadMissing;
    }
    if (ts > flow.lastTs) flow.lastTs = ts;
    flow.lastFrame = frame;
    (flow.list as FlowList).touch(flow);
    if (tcp) this.onTcp(flow, p, dir === C2S);
    else this.onUdp(flow, p, dir === C2S ? 'c2s' : 's2c');
    return true;
  }

  /** Expires flows idle as of packet time `ts` (for live captures that go quiet). */
  flush(ts: number): void {
    if (ts > this.now) this.now = ts;
    this.expire();
  }

  /** Ends every flow ('end-of-capture'), emitting their summaries. */
  end(): void {
    for (const list of [this.tcpOpen, this.udp, this.tcpClosed]) {
      while (list.head !== null) this.remove(list.head, 'end-of-capture');
    }
  }

  /** Summaries of the flows still tracked, as they stand (nothing is ended): for interim records of long flows. */
  openFlowSummaries(): FlowSummary[] {
    const out: FlowSummary[] = [];
    for (const list of [this.tcpOpen, this.tcpClosed, this.udp]) {
      for (let f = list.head; f !== null; f = f.next) out.push(summarizeFlow(f));
    }
    return out;
  }

  get activeFlows(): number {
    return this.tcpOpen.size + this.tcpClosed.size + this.udp.size;
  }

  /** A new flow for the packet, after removing `old` (the finished connection whose ports it reuses) if given. */
  private start(old: Flow | null, p: DecodedPacket, meta: FrameMeta, hash: number, vk: number): Flow {
    if (old !== null) this.remove(old, 'evicted');
    return this.create(p, meta, hash, vk);
  }

  /** For a SYN without ACK (push checks that first) on the ports of `flow`: does it open a new connection? */
  private isNewConnection(flow: Flow, p: DecodedPacket): boolean {
    if (flow.closed) return flow.synSeq !== p.tcpSeq;
    return flow.synSeq === -1 ? flow.payloadSeen : flow.synSeq !== p.tcpSeq;
  }

  private create(p: DecodedPacket, meta: FrameMeta, hash: number, vk: number): Flow {
    if (this.activeFlows >= this.limits.maxFlows) this.evictOne();
    const tcp = p.transport === 'tcp';
    let srcIsClient = true;
    let roleSource: FlowRoleSource = 'first-packet';
    const syn = tcp ? p.tcpFlags & (TcpFlag.SYN | TcpFlag.ACK) : 0;
    if (syn === TcpFlag.SYN) {
      roleSource = 'syn';
    } else if (syn === (TcpFlag.SYN | TcpFlag.ACK)) {
      srcIsClient = false;
      roleSource = 'syn-ack';
    } else if (p.srcPort !== p.dstPort) {
      srcIsClient = p.srcPort > p.dstPort;
      roleSource = 'port';
    }
    const { key, clientPort, serverPort } = endpointsOf(p, srcIsClient);
    const info: FlowInfo = { id: this.nextId++, roleGuessed: roleSource === 'port' || roleSource === 'first-packet', roleSource, first: meta };
    const flow = new Flow(hash, tcp, p.protocol, p.vlanCount, vk, p.addr, srcIsClient, clientPort, serverPort, key, info);
    flow.firstTs = flow.lastTs = meta.ts;
    flow.firstFrame = flow.lastFrame = meta.frame;
    this.table.insert(flow);
    (tcp ? this.tcpOpen : this.udp).append(flow);
    const s = this.stats;
    s.flowsCreated++;
    if (tcp) s.tcpFlows++;
    else s.udpFlows++;
    s.activeFlows = this.activeFlows;
    if (s.activeFlows > s.peakActiveFlows) s.peakActiveFlows = s.activeFlows;
    try {
      flow.consumer = this.opts.onFlowStart?.(key, info);
    } catch {
      this.detach(flow);
    }
    if (tcp && flow.consumer !== undefined) {
      flow.tcpC2s = new TcpHalfStream(new FlowOutput(this, flow, 'c2s'), this.budget, this.halfLimits);
      flow.tcpS2c = new TcpHalfStream(new FlowOutput(this, flow, 's2c'), this.budget, this.halfLimits);
    }
    return flow;
  }

  // Consumer calls are fenced: a consumer that throws is detached so one bad dissector cannot stop
  // ingestion. (try/catch inline rather than a wrapper closure: this runs once per segment.)
  /** Returns the consumer's skip (TCP: bytes that follow it does not need), 0 if it asked for none. */
  deliver(flow: Flow, dir: Direction, d: Uint8Array, meta: FrameMeta): number {
    const c = flow.consumer;
    if (c === undefined) return SKIP_REST;
    try {
      return askedSkip(c, c.onData(dir, d, meta));
    } catch {
      this.detach(flow);
      return SKIP_REST;
    }
  }

  gap(flow: Flow, dir: Direction, n: number, meta: FrameMeta): void {
    const c = flow.consumer;
    if (c?.onGap === undefined) return;
    try {
      c.onGap(dir, n, meta);
    } catch {
      this.detach(flow);
    }
  }

  private detach(flow: Flow): void {
    this.consumerErrors++;
    flow.consumer = undefined;
  }

  private onTcp(flow: Flow, p: DecodedPacket, fromClient: boolean): void {
    const flags = p.tcpFlags;
    if (flow.closed) return;
    if (flags & TcpFlag.RST) {
      this.close(flow, 'rst', this.meta());
      return;
    }
    const syn = (flags & TcpFlag.SYN) !== 0;
    if (syn) {
      flow.handshakeSeen = true;
      if (!(flags & TcpFlag.ACK)) flow.synSeq = p.tcpSeq;
    }
    const fin = (flags & TcpFlag.FIN) !== 0;
    if (fin) {
      if (fromClient) flow.finC2s = true;
      else flow.finS2c = true;
    }
    const len = p.payloadLength + p.payloadMissing;
    if (len > 0) flow.payloadSeen = true;
    const half = fromClient ? flow.tcpC2s : flow.tcpS2c;
    if (half !== null) {
      if (syn) half.syn(p.tcpSeq);
      const seq = syn ? (p.tcpSeq + 1) >>> 0 : p.tcpSeq;
      // Bytes the consumer asked to pass over (bulk DICOM data, say): no view of them, no call.
      if (half.skip === 0 || p.payloadMissing !== 0 || !half.skipSegment(seq, p.payloadLength, fin)) {
        // A bare ACK changes nothing in a started stream: no segment, no FrameMeta.
        if (len > 0 || syn || fin || !half.started) half.segment(seq, p.payloadLength > 0 ? p.payload() : EMPTY, p.payloadMissing, fin, this.meta());
      }
    }
    // Neither side done without a FIN from one of them (a half stream finishes only after its FIN).
    if ((flow.finC2s || flow.finS2c) && this.bothSidesDone(flow)) this.close(flow, 'fin', this.meta());
  }

  /** Both directions have sent FIN and had their bytes delivered; or one did and the other never spoke. */
  private bothSidesDone(flow: Flow): boolean {
    const c = flow.tcpC2s === null ? flow.finC2s : flow.tcpC2s.finished;
    const s = flow.tcpS2c === null ? flow.finS2c : flow.tcpS2c.finished;
    return (c && s) || (c && flow.s2cPackets === 0) || (s && flow.c2sPackets === 0);
  }

  private onUdp(flow: Flow, p: DecodedPacket, dir: Direction): void {
    if (flow.consumer === undefined) return;
    if (p.payloadLength > 0) this.deliver(flow, dir, p.payload(), this.meta());
    if (p.payloadMissing > 0) this.gap(flow, dir, p.payloadMissing, this.meta());
  }

  /** Ends the byte streams (flushing held data) but keeps counting packets until the flow is removed. */
  private close(flow: Flow, reason: FlowCloseReason, meta: FrameMeta): void {
    if (flow.closed) return;
    flow.tcpC2s?.flush(meta);
    flow.tcpS2c?.flush(meta);
    flow.closed = true;
    flow.closeReason = reason;
    const c = flow.consumer;
    flow.consumer = undefined;
    try {
      c?.onClose?.(reason, meta);
    } catch {
      this.consumerErrors++;
    }
    if (flow.tcp && flow.list === this.tcpOpen) {
      this.tcpOpen.unlink(flow);
      this.tcpClosed.append(flow);
    }
  }

  private remove(flow: Flow, reason: FlowCloseReason): void {
    this.close(flow, reason, { frame: flow.lastFrame, ts: flow.lastTs });
    flow.list?.unlink(flow);
    this.table.delete(flow);
    const s = this.stats;
    if (reason === 'timeout') s.expiredFlows++;
    else if (reason === 'evicted') s.evictedFlows++;
    s.activeFlows = this.activeFlows;
    for (const h of [flow.tcpC2s, flow.tcpS2c]) {
      if (h === null) continue;
      s.retransmittedSegments += h.retransmittedSegments;
      s.overlapBytes += h.overlapBytes;
      s.outOfOrderSegments += h.outOfOrderSegments;
      s.gapBytes += h.gapBytes;
      s.forcedGaps += h.forcedGaps;
    }
    s.bufferedBytes = this.budget.used;
    s.peakBufferedBytes = this.budget.peak;
    if (this.opts.onFlowEnd) this.opts.onFlowEnd(summarizeFlow(flow));
  }

  private expire(): void {
    this.expireList(this.tcpOpen);
    this.expireList(this.tcpClosed);
    this.expireList(this.udp);
  }

  private expireList(list: FlowList): void {
    for (let head = list.head; head !== null && head.lastTs + list.timeoutUs < this.now; head = list.head) this.remove(head, 'timeout');
  }

  /** Evicts the least recently active flow, finished TCP flows first. */
  private evictOne(): void {
    let victim = this.tcpClosed.head;
    if (victim === null) {
      const a = this.tcpOpen.head;
      const b = this.udp.head;
      victim = a === null ? b : b === null ? a : a.lastTs <= b.lastTs ? a : b;
    }
    if (victim !== null) this.remove(victim, 'evicted');
  }
}

/** Routes one TCP direction's reassembled bytes to its flow's consumer (a class, not closures: smaller per flow). */
class FlowOutput implements HalfOutput {
  constructor(
    private readonly tracker: FlowTracker,
    private readonly flow: Flow,
    private readonly dir: Direction,
  ) {}

  data(d: Uint8Array, meta: FrameMeta): number {
    return this.tracker.deliver(this.flow, this.dir, d, meta);
  }

  gap(n: number, meta: FrameMeta): void {
    this.tracker.gap(this.flow, this.dir, n, meta);
  }
}
