/**
 * @module The files of a rotating capture directory as versions, and their chronological order (pure).
 *
 * Order: by the time of each file's first packet, ties in natural name order (cap.pcap < cap.pcap2 <
 * cap.pcap10). Files without a packet yet (empty, header only) come last, in natural name order: one is
 * the file a writer has just opened. Except one last modified before another file's first packet (a
 * header-only file left over from an earlier run), which cannot be that: it sits at its modification
 * time, so it is not taken for the file being written. A file that is no capture at all keeps its
 * place in natural name order; the others fill the places around it.
 *
 * Version: a ring buffer (`tcpdump -C 10 -W 5`) truncates and rewrites its oldest file under the same
 * name, usually on the same inode. A version is (path, device and inode, first-packet time): a file that
 * is only appended to stays the same version; a rewritten one has a new first packet, or is seen
 * shorter than before, and is a new version.
 */
import type { FirstPacket } from './first-packet-time.js';

export interface CaptureFileEntry {
  name: string;
  path: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  first: FirstPacket;
}

export const naturalOrder = new Intl.Collator('en', { numeric: true }).compare;

const isParseable = (e: CaptureFileEntry) => e.first.kind !== 'unparseable';

/** [µs, ns] the file sorts at: its first packet; without one, last, unless it is older than the latest first packet. */
function sortTime(e: CaptureFileEntry, latestFirstPacket: number): [number, number] {
  if (e.first.kind === 'packet') return [e.first.ts, e.first.tsNanos];
  const modified = Math.floor(e.mtimeMs * 1000);
  return [modified < latestFirstPacket ? modified : Infinity, 0];
}

/** The entries in reading order (see the module comment). */
export function orderCaptureFiles(entries: readonly CaptureFileEntry[]): CaptureFileEntry[] {
  const byName = [...entries].sort((a, b) => naturalOrder(a.name, b.name));
  const latest = entries.reduce((max, e) => (e.first.kind === 'packet' && e.first.ts > max ? e.first.ts : max), -Infinity);
  const times = new Map(byName.map((e) => [e, sortTime(e, latest)]));
  const chronological = (a: CaptureFileEntry, b: CaptureFileEntry): number => {
    const [as, an] = times.get(a) as [number, number];
    const [bs, bn] = times.get(b) as [number, number];
    // Infinity - Infinity is NaN: equal places fall through to the name.
    return (as === bs ? 0 : as - bs) || an - bn || naturalOrder(a.name, b.name);
  };
  const timed = byName.filter(isParseable).sort(chronological);
  let next = 0;
  return byName.map((e) => (isParseable(e) ? (timed[next++] as CaptureFileEntry) : e));
}

/** The entry a writer is still writing: the newest that is a capture (bytes that are no capture never become one). */
export function newestIndex(ordered: readonly CaptureFileEntry[]): number {
  for (let i = ordered.length - 1; i >= 0; i--) if (isParseable(ordered[i] as CaptureFileEntry)) return i;
  return -1;
}

const firstPacketOf = (e: CaptureFileEntry): { ts?: number; tsNanos?: number } => (e.first.kind === 'packet' ? { ts: e.first.ts, tsNanos: e.first.tsNanos } : {});

/** Whether `now` is the file `before` was, at most grown since (not replaced, truncated or rewritten). */
export function sameFileVersion(before: CaptureFileEntry, now: CaptureFileEntry): boolean {
  return sameVersion({ dev: before.dev, ino: before.ino, size: before.size, ...firstPacketOf(before) }, now);
}

interface HandledVersion {
  dev: number;
  ino: number;
  /** the largest size seen: seen smaller later, the file was truncated and rewritten */
  size: number;
  /** first packet, once known */
  ts?: number;
  tsNanos?: number;
}

function sameVersion(v: HandledVersion, e: CaptureFileEntry): boolean {
  if (v.dev !== e.dev || v.ino !== e.ino || e.size < v.size) return false;
  // Without a first packet on one side, only growth is known: the same file, appended to.
  if (v.ts === undefined || e.first.kind !== 'packet') return true;
  return v.ts === e.first.ts && v.tsNanos === e.first.tsNanos;
}

/**
 * The versions already handled (read or ingested), one per path. Memory stays bounded however long it
 * runs: `sync` forgets every path no longer in the directory.
 */
export class HandledVersions {
  private readonly byPath = new Map<string, HandledVersion>();

  get size(): number {
    return this.byPath.size;
  }

  has(e: CaptureFileEntry): boolean {
    const v = this.byPath.get(e.path);
    return v !== undefined && sameVersion(v, e);
  }

  add(e: CaptureFileEntry): void {
    this.byPath.set(e.path, { dev: e.dev, ino: e.ino, size: e.size, ...firstPacketOf(e) });
  }

  /**
   * Brings the records up to date with a fresh listing of the directory: paths gone are forgotten, and a
   * handled file that only grew keeps its record, with its size and (once it has one) first packet.
   */
  sync(listing: readonly CaptureFileEntry[]): void {
    const present = new Map(listing.map((e) => [e.path, e]));
    for (const [path, v] of this.byPath) {
      const e = present.get(path);
      if (e === undefined) {
        this.byPath.delete(path);
        continue;
      }
      if (!sameVersion(v, e)) continue;
      v.size = e.size;
      if (v.ts === undefined && e.first.kind === 'packet') {
        v.ts = e.first.ts;
        v.tsNanos = e.first.tsNanos;
      }
    }
  }
}
