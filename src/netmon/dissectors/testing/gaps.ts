/**
 * @module Test helpers for gaps: a conversation with bytes of a direction lost (as a SPAN port drops
 * packets), fed as TCP flow tracking feeds it (skips honoured, a gap reported in the lost bytes' place
 * and cancelling a skip), straight to a dissector's consumer or through a dispatcher.
 */
import { askedSkip, type Direction, type FlowKey, type FrameMeta, type Observation, type StreamConsumer } from '../../model.js';
import type { ConsumerOptions, Dissector } from '../contract.js';
import type { Dispatcher, DispatcherOptions } from '../dispatcher.js';
import { DissectorError } from '../errors.js';
import { createDispatcher } from '../registry.js';
import { comparable, whole, type Chunker, type Step } from './harness.js';

/** A step of a conversation, or `length` bytes of a direction the capture lost. */
export type GapStep = Step | readonly [Direction, 'gap', number];

/** Bytes [from, from + length) of one direction's stream (its steps' bytes end to end). */
export interface Loss {
  dir: Direction;
  from: number;
  length: number;
}

/** `steps` with the `losses` cut out, each replaced by a gap where it began (losses of a direction must not overlap). */
export function losing(steps: readonly Step[], losses: readonly Loss[]): GapStep[] {
  const out: GapStep[] = [];
  const offset: Record<Direction, number> = { c2s: 0, s2c: 0 };
  const byDir = (dir: Direction) => losses.filter((l) => l.dir === dir && l.length > 0).sort((a, b) => a.from - b.from);
  const pending: Record<Direction, Loss[]> = { c2s: byDir('c2s'), s2c: byDir('s2c') };
  for (const [dir, bytes] of steps) {
    const base = offset[dir];
    let pos = 0;
    for (const loss of pending[dir]) {
      const start = loss.from - base;
      const end = start + loss.length;
      if (end <= pos || start >= bytes.length) continue;
      if (start > pos) out.push([dir, bytes.subarray(pos, start)]);
      // a loss is reported once, where it begins (it may reach into later steps)
      if (start >= 0) out.push([dir, 'gap', loss.length]);
      pos = Math.min(bytes.length, end);
    }
    if (pos < bytes.length) out.push([dir, bytes.subarray(pos)]);
    offset[dir] = base + bytes.length;
  }
  return out;
}

/**
 * Feeds `steps` in chunks (each its own frame) as TCP flow tracking does, then closes the flow;
 * `after` is called after each chunk or gap delivered.
 */
export function playGaps(consumer: StreamConsumer, steps: readonly GapStep[], chunker: Chunker = whole, close = true, after?: () => void): void {
  let frame = 0;
  const meta = (): FrameMeta => ({ frame: ++frame, ts: 1_700_000_000_000_000 + frame * 1000 });
  const skip: Record<Direction, number> = { c2s: 0, s2c: 0 };
  for (const step of steps) {
    const dir = step[0];
    if (step[1] === 'gap') {
      // flow tracking cancels a skip at a gap: the consumer decides afresh what it needs
      skip[dir] = 0;
      consumer.onGap?.(dir, step[2], meta());
      after?.();
      continue;
    }
    const bytes = step[1];
    let pos = 0;
    for (const len of chunker(bytes.length)) {
      if (len <= 0) continue;
      const chunk = bytes.slice(pos, pos + len);
      pos += len;
      const s = skip[dir];
      if (s >= chunk.length) {
        skip[dir] = s - chunk.length;
        continue;
      }
      skip[dir] = 0;
      skip[dir] = askedSkip(consumer, consumer.onData(dir, s > 0 ? chunk.subarray(s) : chunk, meta()));
      after?.();
    }
  }
  if (close) consumer.onClose?.('fin', meta());
}

/** What the dissector's consumer for `key` made of `steps`, and its typed error (anything else is rethrown). */
export function gapOutcome(d: Dissector, key: FlowKey, steps: readonly GapStep[], chunker?: Chunker, options?: ConsumerOptions) {
  const out: Observation[] = [];
  try {
    playGaps(d.create(key, (o) => out.push(o), options), steps, chunker);
    return { obs: comparable(out), error: null };
  } catch (e) {
    if (!(e instanceof DissectorError)) throw e;
    return { obs: comparable(out), error: { code: e.code, byteOffset: e.byteOffset } };
  }
}

/** The observations of `steps` fed to the dissector's consumer for `key` (a DissectorError is thrown). */
export function dissectGaps(d: Dissector, key: FlowKey, steps: readonly GapStep[], chunker?: Chunker, options?: ConsumerOptions): Observation[] {
  const out: Observation[] = [];
  playGaps(d.create(key, (o) => out.push(o), options), steps, chunker);
  return out;
}

/** `steps` through a dispatcher for `key` (detection, or late sync), as flow tracking feeds it. */
export function dispatchGaps(key: FlowKey, steps: readonly GapStep[], chunker: Chunker = whole, options: DispatcherOptions = {}): { obs: Observation[]; dispatcher: Dispatcher } {
  const obs: Observation[] = [];
  const dispatcher = createDispatcher(key, (o) => obs.push(o), options);
  playGaps(dispatcher, steps, chunker);
  return { obs, dispatcher };
}
