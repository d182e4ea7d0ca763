/**
 * @module Follows a directory that a rotating capture (`tcpdump -C/-G -w dir/cap.pcap`, dumpcap ring
 * buffers) writes into: files are read in natural name order (cap.pcap < cap.pcap2 < cap.pcap10), the
 * newest is tailed until a newer one appears, and new files are waited for until the signal aborts.
 */
import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ByteSource } from './reader.js';
import { DEFAULT_CHUNK_BYTES } from './sources.js';

export interface CaptureFileSource {
  path: string;
  chunks: ByteSource;
}

export interface FollowDirectoryOptions {
  signal?: AbortSignal;
  /** how often to look for more data or new files (default 500 ms) */
  pollMs?: number;
  /** which names are captures (default: *.pcap, *.pcapng, *.cap, optionally followed by a rotation number) */
  match?: RegExp;
  /** false: read the files present now and stop; true (default): keep waiting for more */
  follow?: boolean;
  chunkBytes?: number;
  /**
   * Read every chunk of a file into one buffer, so a chunk is valid only until the next is asked for
   * (for readCapture and everything it feeds, which copy what they keep). Default false: a fresh
   * buffer per chunk, which a consumer may keep.
   */
  recycleBuffers?: boolean;
}

export const DEFAULT_CAPTURE_NAME = /\.(pcap|pcapng|cap)\d*$/i;
const collator = new Intl.Collator('en', { numeric: true });

/** The capture file names in `dir` (not hidden, matching `match`) in natural order, only those after `after` when given. */
export async function listCaptureFiles(dir: string, match: RegExp = DEFAULT_CAPTURE_NAME, after?: string): Promise<string[]> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile() && !e.name.startsWith('.') && match.test(e.name))
    .map((e) => e.name)
    .filter((n) => after === undefined || collator.compare(n, after) > 0);
  return names.sort(collator.compare);
}

/** Waits `ms`; resolves false (at once) when the signal aborts. */
export async function pauseUnlessAborted(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return false;
  try {
    await sleep(ms, undefined, signal ? { signal } : undefined);
    return true;
  } catch {
    return false;
  }
}

export async function* followCaptureDirectory(dir: string, opts: FollowDirectoryOptions = {}): AsyncGenerator<CaptureFileSource> {
  const match = opts.match ?? DEFAULT_CAPTURE_NAME;
  const follow = opts.follow ?? true;
  const pollMs = opts.pollMs ?? 500;
  let last: string | undefined;
  while (!opts.signal?.aborted) {
    const names = await listCaptureFiles(dir, match, last);
    const name = names[0];
    if (name === undefined) {
      if (!follow || !(await pauseUnlessAborted(pollMs, opts.signal))) return;
      continue;
    }
    last = name;
    const newerExists = async () => (await listCaptureFiles(dir, match, name)).length > 0;
    yield { path: join(dir, name), chunks: tailFile(join(dir, name), follow, newerExists, pollMs, opts) };
  }
}

async function* tailFile(
  path: string,
  follow: boolean,
  newerExists: () => Promise<boolean>,
  pollMs: number,
  opts: FollowDirectoryOptions,
): AsyncGenerator<Uint8Array> {
  const fh = await open(path, 'r');
  const size = opts.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  try {
    let position = 0;
    let rotated = false;
    // A yielded buffer may still be referenced by packet views, so unless the caller opted in to
    // recycling (it is done with a chunk when it asks for the next), a new one is taken per chunk.
    let buf = new Uint8Array(size);
    while (!opts.signal?.aborted) {
      const { bytesRead } = await fh.read(buf, 0, size, position);
      if (bytesRead > 0) {
        position += bytesRead;
        const filled = buf.subarray(0, bytesRead);
        if (!opts.recycleBuffers) buf = new Uint8Array(size);
        yield filled;
        continue;
      }
      // At EOF: a newer file means the writer has moved on; one more read above caught its last bytes.
      if (!follow || rotated) return;
      rotated = await newerExists();
      if (!rotated && !(await pauseUnlessAborted(pollMs, opts.signal))) return;
    }
  } finally {
    await fh.close();
  }
}
