/** @module Byte sources for capture readers: a file read in large chunks, or standard input (`-`). */
import { createReadStream } from 'node:fs';
import type { ByteSource } from './reader.js';

/**
 * 4 MiB reads: few chunk boundaries (each may cost one record copy) at bounded memory. Against 1 MiB
 * reads, the whole dissect pipeline on a 1 GB capture measured 10-15% less CPU (fewer, larger
 * buffers to collect) for about 25 MB more peak RSS.
 */
export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

export function fileSource(path: string, chunkBytes = DEFAULT_CHUNK_BYTES): ByteSource {
  return createReadStream(path, { highWaterMark: chunkBytes });
}

export function stdinSource(): ByteSource {
  return process.stdin;
}

/** `-` means standard input (`tcpdump -w - | careguard netmon ingest -`), anything else a file path. */
export function pathOrStdinSource(pathOrDash: string, chunkBytes = DEFAULT_CHUNK_BYTES): ByteSource {
  return pathOrDash === '-' ? stdinSource() : fileSource(pathOrDash, chunkBytes);
}
