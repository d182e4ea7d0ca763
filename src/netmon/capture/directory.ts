/**
 * @module Follows a directory that a rotating capture (`tcpdump -C/-G/-W -w dir/cap.pcap`, dumpcap ring
 * buffers) writes into. Files are read in chronological order, by the time of their first packet (see
 * capture-versions.ts for the exact rule), whatever their names say. What has been read is remembered
 * by file version, not by name: a ring buffer that wraps and rewrites cap.pcap0 makes a new version,
 * read again; a file that is only appended to is the same version, never read twice. The newest file
 * is the one being written: it is tailed until a newer version appears (or it is itself rewritten),
 * and new files are waited for until the signal aborts.
 */
import { open, readdir, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { HandledVersions, orderCaptureFiles, sameFileVersion, type CaptureFileEntry } from './capture-versions.js';
import { readFirstPacketTime, readFirstPacketTimeOf, sameFirstPacket, type FirstPacket } from './first-packet-time.js';
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
/** Files looked at (stat, first-packet read) at once: a directory of thousands must not exhaust file handles. */
const SCAN_CONCURRENCY = 16;

interface CachedFirstPacket {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  first: FirstPacket;
}

/**
 * First-packet times kept per path while the file's inode, size and modification time stay the same,
 * so a poll re-reads the start of only the files that changed. Holds only paths of the last listing.
 */
export class FirstPacketCache {
  private readonly byPath = new Map<string, CachedFirstPacket>();

  get size(): number {
    return this.byPath.size;
  }

  async lookup(path: string, s: Stats): Promise<FirstPacket> {
    const c = this.byPath.get(path);
    if (c !== undefined && c.dev === s.dev && c.ino === s.ino && c.size === s.size && c.mtimeMs === s.mtimeMs) return c.first;
    let first: FirstPacket;
    try {
      first = await readFirstPacketTime(path);
    } catch (e) {
      // Not kept: a file that cannot be opened now (permissions, deleted) is looked at again next time.
      this.byPath.delete(path);
      return { kind: 'unparseable', code: 'unreadable', message: `${path} cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
    }
    this.byPath.set(path, { dev: s.dev, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs, first });
    return first;
  }

  retainOnly(paths: ReadonlySet<string>): void {
    for (const p of this.byPath.keys()) if (!paths.has(p)) this.byPath.delete(p);
  }
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** One file's identity and first packet; undefined when it is gone. */
async function lookAtCaptureFile(dir: string, name: string, cache: FirstPacketCache): Promise<CaptureFileEntry | undefined> {
  const path = join(dir, name);
  const s = await stat(path).catch(() => undefined);
  // gone, a dangling link, or a link to something that is not a file
  if (s === undefined || !s.isFile()) return undefined;
  return { name, path, dev: s.dev, ino: s.ino, size: s.size, mtimeMs: s.mtimeMs, first: await cache.lookup(path, s) };
}

/**
 * The capture files in `dir` (regular files or links to them, not hidden, name matching `match`)
 * with their identity and first packet (a link's: its target's), in reading order. A file gone
 * between listing and looking is left out.
 */
export async function scanCaptureFiles(dir: string, match: RegExp = DEFAULT_CAPTURE_NAME, cache = new FirstPacketCache()): Promise<CaptureFileEntry[]> {
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => (e.isFile() || e.isSymbolicLink()) && !e.name.startsWith('.') && match.test(e.name))
    .map((e) => e.name);
  const looked = await mapLimit(names, SCAN_CONCURRENCY, (name) => lookAtCaptureFile(dir, name, cache));
  const entries = looked.filter((e): e is CaptureFileEntry => e !== undefined);
  cache.retainOnly(new Set(entries.map((e) => e.path)));
  return orderCaptureFiles(entries);
}

/** The capture file names in `dir` (not hidden, matching `match`) in reading order: chronological, by first packet. */
export async function listCaptureFiles(dir: string, match: RegExp = DEFAULT_CAPTURE_NAME): Promise<string[]> {
  return (await scanCaptureFiles(dir, match)).map((e) => e.name);
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
  const cache = new FirstPacketCache();
  const handled = new HandledVersions();
  /** the latest look at the whole directory */
  let listing: CaptureFileEntry[] = [];
  const scan = async () => {
    listing = await scanCaptureFiles(dir, match, cache);
    handled.sync(listing);
    return listing;
  };
  while (!opts.signal?.aborted) {
    const pending = (await scan()).filter((f) => !handled.has(f));
    if (pending.length === 0) {
      if (!follow || !(await pauseUnlessAborted(pollMs, opts.signal))) return;
      continue;
    }
    // One listing serves a whole backlog (a directory of thousands is not listed again per file); each
    // file is looked at again before it is read, and one that changed meanwhile waits for a new listing.
    for (const [i, listed] of pending.entries()) {
      if (opts.signal?.aborted) return;
      const next = i === 0 ? listed : await lookAtCaptureFile(dir, listed.name, cache);
      if (next === undefined || handled.has(next) || !sameFileVersion(listed, next)) continue;
      handled.add(next);
      const watch: TailWatch = {
        // A backlog file is superseded by the files listed after it: no new listing needed to know.
        state: async () => (tailedFileState(listing, next.path, handled) === 'superseded' ? 'superseded' : tailedFileState(await scan(), next.path, handled)),
        rewritten: async () => {
          const now = await lookAtCaptureFile(dir, next.name, cache);
          return now !== undefined && !handled.has(now);
        },
      };
      yield { path: next.path, chunks: tailFile(next.path, next.first, follow, watch, pollMs, opts) };
    }
  }
}

interface TailWatch {
  /** where the writer is (a look at the whole directory) */
  state: () => Promise<TailedFileState>;
  /** whether the tailed file has been rewritten in place (a look at it alone) */
  rewritten: () => Promise<boolean>;
}

/** Where the writer is, as seen from the file being tailed. */
export type TailedFileState = 'being-written' | 'superseded' | 'rewritten';

/**
 * The file at `path` has been `rewritten` since it was listed (a new version of itself), or is
 * `superseded` by a version not yet read that sorts after it, or is still `being-written`. Bytes that are
 * no capture do not count: they are read in turn but say nothing about where the writer is.
 */
export function tailedFileState(files: readonly CaptureFileEntry[], path: string, handled: HandledVersions): TailedFileState {
  const at = files.findIndex((f) => f.path === path);
  const self = files[at];
  if (self !== undefined && !handled.has(self)) return 'rewritten';
  return files.some((f, i) => i > at && f.first.kind !== 'unparseable' && !handled.has(f)) ? 'superseded' : 'being-written';
}

async function* tailFile(
  path: string,
  listed: FirstPacket,
  follow: boolean,
  watch: TailWatch,
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
    // The version listed: a ring that wraps round to this file while it is read (or between the listing
    // and the open) truncates and rewrites it in place, so it starts with another first packet or is
    // shorter than what was read. Checked after each read: bytes read are the listed version's only if
    // the file still is that version afterwards (a rewrite never turns back into the old version).
    let first = listed;
    const stillListedVersion = async (): Promise<boolean> => {
      if ((await fh.stat()).size < position) return false;
      const now = await readFirstPacketTimeOf(fh, path);
      if (first.kind === 'packet') return sameFirstPacket(first, now);
      // listed before it had a packet (just opened by the writer): its first packet is the version's
      if (now.kind === 'packet') first = now;
      return true;
    };
    if (!(await stillListedVersion())) return;
    while (!opts.signal?.aborted) {
      const { bytesRead } = await fh.read(buf, 0, size, position);
      if (bytesRead > 0) {
        position += bytesRead;
        // the rewrite's bytes are read from its own start, as a new version, once this one ends
        if (!(await stillListedVersion())) return;
        const filled = buf.subarray(0, bytesRead);
        if (!opts.recycleBuffers) buf = new Uint8Array(size);
        yield filled;
        continue;
      }
      // At EOF: a newer file means the writer has moved on; one more read catches its last bytes. A file
      // rewritten in place has no last bytes of ours: what lies past `position` is the new version's,
      // read from its start as a file of its own.
      if (!follow || rotated) return;
      const now = await watch.state();
      if (now === 'rewritten') return;
      rotated = now === 'superseded';
      if (!rotated && !(await pauseUnlessAborted(pollMs, opts.signal))) return;
      // Bytes that arrived meanwhile may be a rewrite's (a restarted tcpdump truncates cap.pcap0): look
      // at this file alone again right before reading on.
      if (await watch.rewritten()) return;
    }
  } finally {
    await fh.close();
  }
}
