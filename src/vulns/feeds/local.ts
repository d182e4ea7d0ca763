/**
 * @module Advisory documents from local files: one file, a directory (recursive, sorted, hidden
 * entries skipped), or a zip, with the format sniffed from the first bytes (zip, gzip, JSON,
 * CSV) and the source plug-in detected per document. Also reads the bodies the HTTP adapters
 * download, under the URL as location. Yields items one document (or one EPSS chunk) at a time so
 * callers can batch into a sink without holding the whole corpus. A `.sha256`/`.sha512` next to a
 * file is checked before the file is parsed.
 */
import { access, open, readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { isDomainError } from '../../core/index.js';
import type { Advisory } from '../model.js';
import { detectSource, epssSource, parserTag, type AdvisorySourcePlugin, type DetectInput } from '../sources/index.js';
import { FeedError, errorMessage } from './errors.js';
import { streamEpss } from './epss-stream.js';
import { assertDigest, digestOfFile, parseDigestSidecar, type DigestAlgorithm } from './integrity.js';
import { parseFeedJson } from './json.js';
import { fileText, splitLines } from './lines.js';
import { readZipEntries, type ZipLimits } from './zip.js';

export interface ReadOptions {
  /** Location recorded in provenance and errors instead of the file path (e.g. the URL it came from). */
  location?: string;
  /** Only these plug-ins are considered (default: all registered sources). */
  plugins?: readonly AdvisorySourcePlugin[];
  /** Largest file parsed as a whole (default 64 MiB); EPSS CSV is streamed at any size. */
  maxFileBytes?: number;
  zip?: ZipLimits;
  /** Advisories per streamed EPSS chunk (default 1000). */
  chunkSize?: number;
  /** Check `.sha256`/`.sha512` files next to local files (default true). */
  verifySidecars?: boolean;
  signal?: AbortSignal;
}

export type LocalItem =
  | { kind: 'advisories'; location: string; parser: string; advisories: Advisory[]; /** last chunk of this document */ done: boolean }
  | { kind: 'error'; location: string; error: unknown }
  | { kind: 'skipped'; location: string; reason: string };

/** Companion files of advisory mirrors, never advisories themselves. */
const COMPANION = /\.(sha256|sha512|asc|sig|md|txt|html?|pdf|xml|yaml|yml)$/i;

type Format = 'zip' | 'gzip' | 'text';

async function sniff(path: string): Promise<Format> {
  const fh = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(4), 0, 4, 0);
    if (bytesRead >= 4 && buffer[0] === 0x50 && buffer[1] === 0x4b && (buffer[2] === 3 || buffer[2] === 5)) return 'zip';
    if (bytesRead >= 2 && buffer[0] === 0x1f && buffer[1] === 0x8b) return 'gzip';
    return 'text';
  } finally {
    await fh.close();
  }
}

const isEpssHead = (head: string) => /^\ufeff?(#model_version|cve,epss,percentile)/.test(head);

/** Parse one in-memory document: detect its source (restricted to `plugins`), then parse. */
export function parseDocument(text: string, location: string, name: string, plugins: readonly AdvisorySourcePlugin[] | undefined, inCollection: boolean): LocalItem {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const trimmed = body.trimStart();
  let input: DetectInput;
  let jsonError = false;
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      input = { json: JSON.parse(body) as unknown, filename: name };
    } catch {
      input = { filename: name };
      jsonError = true;
    }
  } else input = { head: trimmed.slice(0, 1024), filename: name };
  let plugin = detectSource(input, plugins);
  if (!plugin && plugins && !inCollection) plugin = plugins.find((p) => p.detect({ filename: name })) ?? plugins[0];
  if (!plugin) {
    if (jsonError) {
      try {
        parseFeedJson(text, location);
      } catch (e) {
        return { kind: 'error', location, error: e };
      }
    }
    const reason = 'no advisory source recognises this document';
    return inCollection ? { kind: 'skipped', location, reason } : { kind: 'error', location, error: new FeedError('feed.invalid', reason, { location: { file: location } }) };
  }
  try {
    return { kind: 'advisories', location, parser: parserTag(plugin), advisories: plugin.parse(text, location), done: true };
  } catch (e) {
    return { kind: 'error', location, error: e };
  }
}

async function checkLocalSidecars(path: string, location: string): Promise<void> {
  for (const algorithm of ['sha512', 'sha256'] as DigestAlgorithm[]) {
    const sidecar = `${path}.${algorithm}`;
    const exists = await access(sidecar).then(
      () => true,
      () => false,
    );
    if (!exists) continue;
    const expected = parseDigestSidecar(await readFile(sidecar, 'utf8'), algorithm, sidecar);
    assertDigest(await digestOfFile(path, algorithm), expected, algorithm, location, sidecar);
  }
}

/** Advisories of one file (JSON, CSV, gzip, zip), however it is named. */
export async function* readAdvisoryFile(path: string, options: ReadOptions & { inCollection?: boolean; name?: string } = {}): AsyncGenerator<LocalItem> {
  const location = options.location ?? path;
  const name = options.name ?? basename(location.split(/[?#]/)[0] ?? location);
  const maxFileBytes = options.maxFileBytes ?? 64 * 1024 * 1024;
  const chunkSize = options.chunkSize ?? 1000;
  const inCollection = options.inCollection ?? false;
  try {
    if (options.verifySidecars ?? true) await checkLocalSidecars(path, location);
    const format = await sniff(path);
    if (format === 'zip') {
      for await (const entry of readZipEntries(path, location, (n) => /\.(json|csv)$/i.test(n) && !n.startsWith('__MACOSX/'), options.zip)) {
        options.signal?.throwIfAborted();
        const where = `${location}!/${entry.name}`;
        if ('error' in entry) yield { kind: 'error', location: where, error: entry.error };
        else yield parseDocument(entry.text, where, basename(entry.name), options.plugins, true);
      }
      return;
    }
    const gzip = format === 'gzip';
    const innerName = gzip ? name.replace(/\.gz$/i, '') : name;
    const chunks = fileText(path, gzip);
    let head = '';
    for (;;) {
      const next = await chunks.next();
      if (next.done) break;
      head += next.value;
      if (head.length >= 64) break;
    }
    const epssAllowed = !options.plugins || options.plugins.some((p) => p.id === 'epss');
    if (epssAllowed && isEpssHead(head)) {
      yield* epssItems(rechunk(head, chunks), location, chunkSize);
      return;
    }
    let text = head;
    if (!gzip && (await stat(path)).size > maxFileBytes) throw new FeedError('feed.too_large', `file larger than ${maxFileBytes} bytes`, { location: { file: location } });
    for await (const piece of chunks) {
      text += piece;
      if (text.length > maxFileBytes) throw new FeedError('feed.too_large', `content larger than ${maxFileBytes} characters`, { location: { file: location } });
    }
    yield parseDocument(text, location, innerName, options.plugins, inCollection);
  } catch (e) {
    if (e instanceof Error && e.name === 'AbortError') throw new FeedError('feed.aborted', 'feed sync aborted', { location: { file: location } });
    // zlib data errors (Z_DATA_ERROR, Z_BUF_ERROR) mean a corrupt file, not an I/O problem.
    const corrupt = String((e as { code?: unknown }).code ?? '').startsWith('Z_');
    yield { kind: 'error', location, error: isDomainError(e) ? e : new FeedError(corrupt ? 'feed.invalid' : 'feed.io', `${corrupt ? 'corrupt gzip data' : 'cannot read'}: ${errorMessage(e)}`, { location: { file: location }, cause: e }) };
  }
}

async function* rechunk(head: string, rest: AsyncIterator<string>): AsyncGenerator<string> {
  yield head;
  for (let n = await rest.next(); !n.done; n = await rest.next()) yield n.value;
}

async function* epssItems(text: AsyncIterable<string>, location: string, chunkSize: number): AsyncGenerator<LocalItem> {
  const parser = parserTag(epssSource);
  for await (const c of streamEpss(splitLines(text, location), location, chunkSize)) {
    if ('error' in c) yield { kind: 'error', location, error: c.error };
    else yield { kind: 'advisories', location, parser, advisories: c.advisories, done: c.done };
  }
}

/** Every advisory document under a file or directory (recursively, in sorted order). */
export async function* readAdvisoryPath(path: string, options: ReadOptions = {}): AsyncGenerator<LocalItem> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    yield { kind: 'error', location: path, error: new FeedError('feed.io', `cannot read: ${errorMessage(e)}`, { location: { file: path }, cause: e }) };
    return;
  }
  if (!info.isDirectory()) {
    yield* readAdvisoryFile(path, options);
    return;
  }
  const entries = (await readdir(path, { withFileTypes: true })).filter((d) => !d.name.startsWith('.')).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const d of entries) {
    options.signal?.throwIfAborted();
    const child = join(path, d.name);
    if (d.isDirectory()) yield* readAdvisoryPath(child, options);
    else if (d.isFile() && !COMPANION.test(d.name)) yield* readAdvisoryFile(child, { ...options, location: undefined, inCollection: true });
  }
}
