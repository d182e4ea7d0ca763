/**
 * @module Test helpers for late mid-stream sync: a conversation fed through a dispatcher (detection,
 * then the late-sync fallback) as flow tracking feeds it, conversations seen from an offset, and the
 * safety property every late-sync dissector is checked with.
 */
import fc from 'fast-check';
import type { Direction, FlowKey, Observation } from '../../model.js';
import type { Dispatcher, DispatcherOptions } from '../dispatcher.js';
import { createDispatcher } from '../registry.js';
import { playGaps, type GapStep } from './gaps.js';
import { comparable, cycling, play, whole, type Chunker, type Step } from './harness.js';

export interface DispatchedFlow {
  obs: Observation[];
  dispatcher: Dispatcher;
}

/** Feeds `steps` in chunks through a dispatcher for `key` and closes the flow. */
export function dispatchFlow(key: FlowKey, steps: readonly Step[], chunker: Chunker = whole, options: DispatcherOptions = {}): DispatchedFlow {
  const obs: Observation[] = [];
  const dispatcher = createDispatcher(key, (o) => obs.push(o), options);
  play(dispatcher, steps, chunker);
  return { obs, dispatcher };
}

/** `steps` without the first `skip[dir]` bytes of each direction: the conversation as a monitor started late sees it */
export function seenFrom(steps: readonly Step[], skip: Record<Direction, number>): Step[] {
  const left = { ...skip };
  const out: Step[] = [];
  for (const [dir, bytes] of steps) {
    const drop = Math.min(left[dir], bytes.length);
    left[dir] -= drop;
    if (drop < bytes.length) out.push([dir, bytes.subarray(drop)]);
  }
  return out;
}

/** observations of `kind` as [dir, lateSync field] pairs */
export const lateMarks = (obs: readonly Observation[], kind: string) => obs.filter((o) => o.kind === kind).map((o) => [o.dir, o.fields.lateSync]);

/**
 * Observations per direction and of the flow, each in order (without frame evidence). A late-sync search
 * of a direction arriving in tiny chunks may decide a little later (SlidingScan.searchEvery), which can
 * move its observations past the other direction's: what each direction reports does not change.
 */
export const perDirection = (obs: readonly Observation[]) => ({
  c2s: comparable(obs.filter((o) => o.dir === 'c2s')),
  s2c: comparable(obs.filter((o) => o.dir === 's2c')),
  flow: comparable(obs.filter((o) => o.dir === undefined)),
});

export interface HostileBytesCase {
  port: number;
  protocol: string;
  /** bytes hostile input is drawn from: those the dissector's sync rules look for */
  alphabet: readonly number[];
  /** the most a direction may carry while it scans */
  maxCarried: number;
  numRuns: number;
}

/**
 * The late-sync safety property: random bytes, and bytes drawn from `alphabet`, fed in random chunkings
 * and with random gaps (bytes the capture lost) to a flow on `port` that content detection gives up on,
 * never make the dissector fault (it may only throw DissectorError, which the dispatcher reports as
 * `<protocol>.malformed`), never carry more than `maxCarried` bytes per direction, and random bytes
 * produce no observation but the give-up one.
 * Returns how many cases reached late sync, so a caller can check the property was exercised.
 */
export function checkHostileBytes(c: HostileBytesCase): number {
  let lateFlows = 0;
  const dir = fc.constantFrom<Direction>('c2s', 's2c');
  // a step's bytes, after a gap of that many bytes (none when 0)
  const gap = fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 5000 }));
  const random = fc.array(fc.tuple(dir, fc.uint8Array({ maxLength: 3000 }), gap), { maxLength: 10 });
  const drawn = fc.array(fc.constantFrom(...c.alphabet), { maxLength: 3000 }).map((a) => Uint8Array.from(a));
  const hostile = fc.array(fc.tuple(dir, drawn, gap), { maxLength: 10 });
  fc.assert(
    fc.property(
      fc.oneof(random.map((steps) => ({ random: true, steps })), hostile.map((steps) => ({ random: false, steps }))),
      fc.array(fc.integer({ min: 1, max: 2000 }), { minLength: 1, maxLength: 6 }),
      fc.integer({ min: 1, max: 30_000 }),
      (flow, sizes, scanLimit) => {
        const obs: Observation[] = [];
        const d = createDispatcher({ transport: 'tcp', client: { ip: '10.0.0.5', port: 40000 }, server: { ip: '10.0.0.9', port: c.port } }, (o) => obs.push(o), {
          lateSyncScanLimit: scanLimit,
          resyncScanLimit: scanLimit,
          maxHeldBytes: 1024,
        });
        let maxCarried = 0;
        const steps = flow.steps.flatMap(([direction, bytes, lost]): GapStep[] => (lost > 0 ? [[direction, 'gap', lost], [direction, bytes]] : [[direction, bytes]]));
        playGaps(d, steps, cycling(sizes), true, () => {
          maxCarried = Math.max(maxCarried, d.lateSync?.c2s.carriedBytes ?? 0, d.lateSync?.s2c.carriedBytes ?? 0);
        });
        if (maxCarried > c.maxCarried) throw new Error(`carried ${maxCarried} bytes, the bound is ${c.maxCarried}`);
        const faults = obs.filter((o) => o.kind.endsWith('.dissector-fault'));
        if (faults.length > 0) throw new Error(`dissector faults: ${faults.map((o) => o.kind).join(', ')}`);
        // content may still choose some dissector first (telnet claims ff ff as IAC): only late flows are judged
        if (d.state !== 'late-sync') return;
        lateFlows++;
        const foreign = obs.filter((o) => o.protocol !== c.protocol);
        if (foreign.length > 0) throw new Error(`a late-sync flow reported ${foreign.map((o) => o.kind).join(', ')}`);
        const read = obs.filter((o) => o.kind !== `${c.protocol}.late-sync-given-up`);
        if (flow.random && read.length > 0) throw new Error(`random bytes gave ${read.map((o) => o.kind).join(', ')}`);
      },
    ),
    { numRuns: c.numRuns },
  );
  return lateFlows;
}
