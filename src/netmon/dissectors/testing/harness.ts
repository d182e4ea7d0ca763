/**
 * @module Test harness for dissectors: flow keys, feeding a scripted conversation in arbitrary chunkings,
 * and collecting the observations. Used by unit and property tests; not part of the runtime surface.
 */
import { askedSkip, type Direction, type FlowKey, type FrameMeta, type Observation, type StreamConsumer } from '../../model.js';
import type { Dissector } from '../contract.js';
import { DissectorError } from '../errors.js';

export const flowKey = (transport: 'tcp' | 'udp', serverPort: number, clientPort = 40000): FlowKey => ({
  transport,
  client: { ip: '10.0.0.5', port: clientPort },
  server: { ip: '10.0.0.9', port: serverPort },
});

export type Step = readonly [Direction, Uint8Array];

/** splits `n` bytes into chunk lengths; default one chunk */
export type Chunker = (n: number) => number[];

export const whole: Chunker = (n) => [n];
export const byteByByte: Chunker = (n) => Array.from({ length: n }, () => 1);
export const fixedChunks =
  (size: number): Chunker =>
  (n) => {
    const out: number[] = [];
    for (let i = 0; i < n; i += size) out.push(Math.min(size, n - i));
    return out;
  };

/**
 * Calls onData as TCP flow tracking does: bytes a skipping consumer asked to pass over (see
 * StreamConsumer.onData) are not delivered, and the chunk holding the first byte after them comes trimmed.
 */
export function streamFeeder(consumer: StreamConsumer): (dir: Direction, chunk: Uint8Array, meta: FrameMeta) => void {
  const skip: Record<Direction, number> = { c2s: 0, s2c: 0 };
  return (dir, chunk, meta) => {
    const s = skip[dir];
    if (s >= chunk.length) {
      skip[dir] = s - chunk.length;
      return;
    }
    skip[dir] = 0; // and stays 0 if onData throws
    skip[dir] = askedSkip(consumer, consumer.onData(dir, s > 0 ? chunk.subarray(s) : chunk, meta));
  };
}

/** Feeds each step's bytes in chunks (each chunk is its own frame) and closes the flow. */
export function play(consumer: StreamConsumer, steps: readonly Step[], chunker: Chunker = whole, close = true): void {
  let frame = 0;
  const meta = (): FrameMeta => ({ frame: ++frame, ts: 1_700_000_000_000_000 + frame * 1000 });
  const feed = streamFeeder(consumer);
  for (const [dir, bytes] of steps) {
    let pos = 0;
    for (const len of chunker(bytes.length)) {
      if (len <= 0) continue;
      // a fresh copy per chunk: consumers may only use data during the call
      feed(dir, bytes.slice(pos, pos + len), meta());
      pos += len;
    }
    if (pos < bytes.length) feed(dir, bytes.slice(pos), meta());
  }
  if (close) consumer.onClose?.('fin', meta());
}

export function dissect(d: Dissector, key: FlowKey, steps: readonly Step[], chunker: Chunker = whole): Observation[] {
  const out: Observation[] = [];
  play(d.create(key, (o) => out.push(o)), steps, chunker);
  return out;
}

/** observations without frame numbers/timestamps, to compare runs with different chunkings */
export const comparable = (obs: readonly Observation[]) => obs.map((o) => ({ kind: o.kind, dir: o.dir, fields: o.fields, findings: o.findings }));

export const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export const u16be = (v: number) => Uint8Array.of((v >> 8) & 255, v & 255);
export const u24be = (v: number) => Uint8Array.of((v >> 16) & 255, (v >> 8) & 255, v & 255);
export const u32be = (v: number) => Uint8Array.of((v >>> 24) & 255, (v >> 16) & 255, (v >> 8) & 255, v & 255);
export const u16le = (v: number) => Uint8Array.of(v & 255, (v >> 8) & 255);
export const u32le = (v: number) => Uint8Array.of(v & 255, (v >> 8) & 255, (v >> 16) & 255, (v >>> 24) & 255);

/** Chunk sizes taken in turn from `sizes` (property tests draw the list). */
export const cycling =
  (sizes: readonly number[]): Chunker =>
  (n) => {
    const out: number[] = [];
    for (let p = 0, i = 0; p < n; i++) {
      const s = Math.min(sizes[i % sizes.length] as number, n - p);
      out.push(s);
      p += s;
    }
    return out;
  };

/**
 * What a dissector made of a conversation: its observations (without frame evidence) and the typed
 * error, if any. Anything but a DissectorError is rethrown, so a property test fails on it.
 */
export function outcome(d: Dissector, key: FlowKey, steps: readonly Step[], chunker?: Chunker) {
  const out: Observation[] = [];
  try {
    play(d.create(key, (o) => out.push(o)), steps, chunker);
    return { obs: comparable(out), error: null };
  } catch (e) {
    if (!(e instanceof DissectorError)) throw e;
    return { obs: comparable(out), error: { code: e.code, byteOffset: e.byteOffset } };
  }
}
