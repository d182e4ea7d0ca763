/**
 * @module Streaming read of zip archives (OSV `all.zip`, CVE JSON 5 bundles, local mirrors) with
 * yauzl: one entry at a time, so memory is bounded by the largest entry, not the archive. Limits
 * on entry count and per-entry size guard against zip bombs; yauzl checks that each entry's
 * inflated size matches its header. A broken entry is reported and the next one is read; a broken
 * central directory fails the archive with its file name.
 */
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { open } from 'node:fs/promises';
import { FeedError, errorMessage } from './errors.js';
import { WindowedFileReader } from './zip-reader.js';

export interface ZipLimits {
  /** Largest uncompressed entry read (default 32 MiB). */
  maxEntryBytes?: number;
  /** Most entries visited (default 5,000,000). */
  maxEntries?: number;
}

export type ZipItem = { name: string; text: string } | { name: string; error: FeedError };

export async function* readZipEntries(path: string, location: string, accept: (name: string) => boolean, limits: ZipLimits = {}): AsyncGenerator<ZipItem> {
  const maxEntryBytes = limits.maxEntryBytes ?? 32 * 1024 * 1024;
  const maxEntries = limits.maxEntries ?? 5_000_000;
  let zip: ZipFile;
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    zip = await yauzl.fromRandomAccessReaderPromise(new WindowedFileReader(fh, size), size, { lazyEntries: true, autoClose: false });
  } catch (e) {
    await fh.close().catch(() => undefined);
    throw new FeedError('feed.invalid', `not a readable zip archive: ${errorMessage(e)}`, { location: { file: location }, cause: e });
  }
  let seen = 0;
  try {
    const entries = zip.eachEntry();
    for (;;) {
      let next: IteratorResult<Entry>;
      try {
        next = await entries.next();
      } catch (e) {
        throw new FeedError('feed.invalid', `zip central directory is corrupt after ${seen} entries: ${errorMessage(e)}`, { location: { file: location }, cause: e });
      }
      if (next.done) break;
      const entry = next.value;
      if (++seen > maxEntries) throw new FeedError('feed.too_large', `zip has more than ${maxEntries} entries`, { location: { file: location } });
      if (entry.fileName.endsWith('/') || !accept(entry.fileName)) continue;
      const where = `${location}!/${entry.fileName}`;
      if (entry.uncompressedSize > maxEntryBytes || entry.compressedSize > maxEntryBytes) {
        yield { name: entry.fileName, error: new FeedError('feed.too_large', `zip entry of ${Math.max(entry.uncompressedSize, entry.compressedSize)} bytes exceeds the ${maxEntryBytes}-byte limit`, { location: { file: where } }) };
        continue;
      }
      try {
        yield { name: entry.fileName, text: await readEntry(zip, entry, maxEntryBytes, where) };
      } catch (e) {
        yield { name: entry.fileName, error: e instanceof FeedError ? e : new FeedError('feed.invalid', `unreadable zip entry: ${errorMessage(e)}`, { location: { file: where }, cause: e }) };
      }
    }
  } finally {
    zip.close();
  }
}

async function readEntry(zip: ZipFile, entry: Entry, max: number, where: string): Promise<string> {
  const stream = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > max) {
      stream.destroy();
      throw new FeedError('feed.too_large', `zip entry inflates past the ${max}-byte limit`, { location: { file: where } });
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}
