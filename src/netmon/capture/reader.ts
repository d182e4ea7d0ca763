/**
 * @module Async reading of a capture from any byte source (file stream, stdin, socket): yields one
 * packet at a time. Memory holds one chunk plus at most one straddling record, whatever the size of
 * the capture. For the fastest path (no per-packet object or promise) use CaptureParser directly.
 */
import { CaptureParser } from './parser.js';
import type { CapturedPacket, CaptureParserOptions } from './types.js';

export type ByteSource = AsyncIterable<Uint8Array>;

export interface ReadPacketsOptions extends CaptureParserOptions {
  signal?: AbortSignal;
}

/**
 * Yields every packet of the capture in `source`, each its own object whose `data` is a view into the
 * chunk read. Throws CaptureError (after yielding every packet before the fault) on malformed input.
 */
export async function* readPackets(source: ByteSource, opts: ReadPacketsOptions = {}): AsyncGenerator<CapturedPacket> {
  const batch: CapturedPacket[] = [];
  const parser = new CaptureParser((p) => batch.push({ ...p }), opts);
  for await (const chunk of source) {
    if (opts.signal?.aborted) return;
    try {
      parser.push(chunk);
    } finally {
      // Packets framed before a fault are still good: hand them on before the error propagates.
      for (const p of batch) yield p;
      batch.length = 0;
    }
  }
  if (opts.signal?.aborted) return;
  parser.end();
}
