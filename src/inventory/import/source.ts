/**
 * @module Where import bytes come from. A path is read twice (a validation pass, then the import
 * pass), so a stream (an HTTP body) is first spooled to a private temporary file, bounded by
 * `maxBytes`. Also guesses the format from the name or the first bytes.
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, stat, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { once } from 'node:events';
import { describeBytes, importError } from './errors.js';
import type { ImportFormat } from './model.js';

export const READ_CHUNK_BYTES = 256 * 1024;

export type ImportInput = string | AsyncIterable<Uint8Array>;

/** The file's bytes as chunks; `onChunk` sees each chunk's size (progress). */
export async function* readChunks(path: string, onChunk?: (bytes: number) => void, signal?: AbortSignal): AsyncGenerator<Buffer> {
  // Open before streaming: a lazily opened stream can fail after it was destroyed (a spool removed
  // by an early error), and that 'error' would have no listener left.
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw importError('import.unreadable_file', `cannot read ${path}: ${code ?? (e as Error).message}`, { file: basename(path) });
  }
  const stream = handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES });
  const iterator = stream[Symbol.asyncIterator]();
  try {
    for (;;) {
      let next: IteratorResult<unknown>;
      try {
        next = await iterator.next();
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw importError('import.unreadable_file', `cannot read ${path}: ${code ?? (e as Error).message}`, { file: basename(path) });
      }
      if (next.done) return;
      if (signal?.aborted) throw importError('import.aborted', 'the import was cancelled');
      const buf = next.value as Buffer;
      onChunk?.(buf.length);
      yield buf;
    }
  } finally {
    stream.destroy();
  }
}

export interface Spooled {
  path: string;
  size: number;
  remove(): Promise<void>;
}

/** Copies a stream to a temporary file, refusing more than `maxBytes`; `inspect` sees each chunk first and may throw. */
export async function spoolToFile(input: AsyncIterable<Uint8Array>, maxBytes: number, dir = tmpdir(), inspect?: (chunk: Uint8Array) => void): Promise<Spooled> {
  const folder = await mkdtemp(join(dir, 'careguard-import-'));
  const path = join(folder, 'upload');
  const remove = () => rm(folder, { recursive: true, force: true });
  const out = createWriteStream(path, { mode: 0o600 });
  // An error the stream emits while nothing awaits it (a failed write between two chunks) is kept and
  // thrown at the next chunk, not left to crash the process as an unhandled 'error' event.
  let failed: Error | undefined;
  out.on('error', (e) => (failed ??= e));
  let size = 0;
  try {
    // Opened before the first chunk is read: an upload refused at once (too large, bad bytes) would
    // otherwise remove the folder while the open is still pending, which then fails (ENOENT).
    await once(out, 'open');
    for await (const chunk of input) {
      if (failed) throw failed;
      size += chunk.byteLength;
      if (size > maxBytes) throw importError('import.file_too_large', `the upload is larger than the limit of ${describeBytes(maxBytes)}`, { byteOffset: maxBytes });
      inspect?.(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    return { path, size, remove };
  } catch (e) {
    out.destroy();
    await remove();
    throw e;
  }
}

export async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}

export function formatFromName(name: string): ImportFormat | undefined {
  const ext = extname(name).toLowerCase();
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  if (ext === '.json') return 'json';
  if (ext === '.ndjson' || ext === '.jsonl') return 'ndjson';
  return undefined;
}

/** From the first bytes: '[' is JSON; '{' is JSON unless a second object starts on a later line; else CSV. */
export function sniffFormatFromBytes(head: Uint8Array): ImportFormat {
  let text = Buffer.from(head.buffer, head.byteOffset, Math.min(head.byteLength, 64 * 1024)).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) return 'json';
  if (!trimmed.startsWith('{')) return 'csv';
  const firstLineEnd = trimmed.indexOf('\n');
  if (firstLineEnd < 0) return 'json';
  const firstLine = trimmed.slice(0, firstLineEnd).trimEnd();
  return firstLine.endsWith('}') && trimmed.slice(firstLineEnd).trimStart().startsWith('{') ? 'ndjson' : 'json';
}

export async function sniffFormat(path: string): Promise<ImportFormat> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return sniffFormatFromBytes(buf.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
