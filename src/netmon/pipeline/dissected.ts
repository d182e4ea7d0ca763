/**
 * @module A capture read with every flow handed to the protocol dispatcher (content detection, then
 * the chosen dissector): the one pass `netmon report` and `netmon ingest` make, reported through
 * DissectedHandlers so callers never see decoder objects or dispatchers.
 */
import { macString, ipv4FromNumber } from '../capture/ip-text.js';
import { createDispatcher, DEFAULT_MAX_HELD_BYTES_TOTAL, DEFAULT_MAX_KEPT_BODY_BYTES_TOTAL, HeldBytesBudget, type Dispatcher } from '../dissectors/index.js';
import type { FlowLimits } from '../flows/index.js';
import type { DissectedHandlers, LiveCounters } from './events.js';
import { readCapture, type CaptureCursor, type CaptureInput, type CaptureStats } from './read-capture.js';
import type { FlowSummary } from '../model.js';
import type { FragmentLimits } from '../decode/index.js';

export interface DissectedReadOptions {
  limits?: Partial<FlowLimits>;
  fragments?: Partial<FragmentLimits>;
  maxPacketBytes?: number;
  signal?: AbortSignal;
  /** updated as packets and flows are read, for progress displays */
  live?: LiveCounters;
  /** called between chunks (ReadCaptureOptions.between: checkpoints of a long-running read) */
  between?: (cursor: DissectedCursor) => Promise<void> | undefined;
}

/**
 * CaptureCursor with the open flows' dissectors: id@version of the one reading each, if one recognised
 * it, and whether that is decided (false while content detection or late sync may still name one).
 */
export interface DissectedCursor extends CaptureCursor {
  openFlowsDissected(): Array<{ summary: FlowSummary; producer: string | undefined; decided: boolean }>;
}

export async function readCaptureDissected(input: CaptureInput, opts: DissectedReadOptions, h: DissectedHandlers): Promise<CaptureStats> {
  const dispatchers = new Map<number, Dispatcher>();
  // what flows still being classified keep for replay, bounded across the whole read
  const heldBytesBudget = new HeldBytesBudget(DEFAULT_MAX_HELD_BYTES_TOTAL);
  // what consumers keep of message bodies to read them (HTTP carrying HL7), bounded across the read
  const keptBodiesBudget = { used: 0, peak: 0, refused: 0, max: DEFAULT_MAX_KEPT_BODY_BYTES_TOTAL };
  const live = opts.live;
  const between = opts.between;
  // readCapture's cursor is one object for the whole read: so is this one
  let cursor: DissectedCursor | undefined;
  return readCapture(input, {
    ...(opts.limits ? { limits: opts.limits } : {}),
    ...(opts.fragments ? { fragments: opts.fragments } : {}),
    ...(opts.maxPacketBytes === undefined ? {} : { maxPacketBytes: opts.maxPacketBytes }),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(between ? { between: (c) => between((cursor ??= dissectedCursor(c, (id) => dispatchers.get(id)))) } : {}),
    ...(h.onNameRecord ? { onNameRecord: (r) => h.onNameRecord?.(r) } : {}),
    ...(h.onFile ? { onFile: (path, first) => h.onFile?.(path, first) } : {}),
    onPacket: (d, p, frame) => {
      if (live) live.packets++;
      if (d.network === 'arp' && d.arpSenderMacOffset >= 0 && h.onArp) {
        h.onArp({ senderIp: ipv4FromNumber(d.arpSenderIp), senderMac: macString(d.buf, d.arpSenderMacOffset), op: d.arpOp }, { frame, ts: p.ts });
      }
    },
    onFlowStart: (key, info) => {
      if (live) live.flows++;
      h.onFlowStart?.(key, info);
      const dispatcher = createDispatcher(key, (o) => h.onObservation?.(o, info.id), { heldBytesBudget, keptBodiesBudget });
      dispatchers.set(info.id, dispatcher);
      return dispatcher;
    },
    onFlowEnd: (s) => {
      const producer = dispatchers.get(s.id)?.producer;
      dispatchers.delete(s.id);
      h.onFlowEnd?.(s, producer);
    },
  });
}

/** `c` with the producer of each open flow (its getters read `c`'s live state: delegated, not copied). */
function dissectedCursor(c: CaptureCursor, dispatcherOf: (flowId: number) => Dispatcher | undefined): DissectedCursor {
  return {
    stats: () => c.stats(),
    get lastTs() {
      return c.lastTs;
    },
    get segmentFirstTs() {
      return c.segmentFirstTs;
    },
    get segmentPackets() {
      return c.segmentPackets;
    },
    get nextFrame() {
      return c.nextFrame;
    },
    get filesDone() {
      return c.filesDone;
    },
    startSegment: () => c.startSegment(),
    openFlows: () => c.openFlows(),
    openFlowsDissected: () =>
      c.openFlows().map((summary) => {
        const d = dispatcherOf(summary.id);
        // a flow without a dispatcher (no consumer, or one detached after a fault) will not be named either
        return { summary, producer: d?.producer, decided: d === undefined || d.state === 'dissecting' || d.state === 'unclassified' };
      }),
  };
}
