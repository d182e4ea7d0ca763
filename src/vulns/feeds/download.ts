/**
 * @module Resumable downloads into a `.part` file. After a dropped connection the next attempt
 * asks for `Range: bytes=<have>-` with `If-Range` (the strong ETag, else Last-Modified), appends a
 * 206 answer and starts over on a 200 (the resource changed). A sidecar `.part.json` remembers the
 * validator, so a part left by a killed process resumes on the next sync too. Bodies sent with a
 * Content-Encoding are not resumable (byte offsets would not match) and restart from zero.
 */
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeedError } from './errors.js';
import { RetryableFailure, type ExchangeContext, type HttpStats, type Validators } from './http-core.js';
import type { FileResult, ResourceRequest } from './http.js';
import { digestOfFile } from './integrity.js';

/** The parts of HttpFetcher a download needs (kept narrow so this file stays testable alone). */
export interface DownloadHost {
  options: Readonly<{ maxBytes: number; workDir?: string | undefined }>;
  stats: HttpStats;
  headersFor(v: Validators | undefined, extra?: Record<string, string>): Record<string, string>;
  withRetries<T>(url: string, run: (attempt: number) => Promise<T>): Promise<T>;
  exchange<T>(url: string, headers: Record<string, string>, attempt: number, handle: (res: Response, ctx: ExchangeContext) => Promise<T>): Promise<T>;
  rejectStatus(res: Response, url: string): Promise<never>;
  tooLarge(url: string, size: number, max: number): FeedError;
}

export interface ContentRange {
  start: number;
  end: number;
  total?: number;
}

/** `bytes <start>-<end>/<total|*>` (RFC 9110 section 14.4); undefined when malformed. */
export function parseContentRange(value: string | null | undefined): ContentRange | undefined {
  const m = /^\s*bytes\s+(\d{1,15})-(\d{1,15})\/(\d{1,15}|\*)\s*$/i.exec(value ?? '');
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = Number(m[2]);
  if (end < start) return undefined;
  if (m[3] === '*') return { start, end };
  const total = Number(m[3]);
  return end < total ? { start, end, total } : undefined;
}

interface PartMeta {
  url: string;
  ifRange: string;
  validators: Validators;
}

const strongEtag = (etag: string | undefined): string | undefined => (etag && !etag.startsWith('W/') ? etag : undefined);

export async function downloadToFile(host: DownloadHost, req: ResourceRequest): Promise<FileResult> {
  const dir = host.options.workDir ?? join(tmpdir(), 'careguard-feeds');
  await mkdir(dir, { recursive: true });
  const base = join(dir, createHash('sha256').update(req.url).digest('hex').slice(0, 32));
  const part = `${base}.part`;
  const metaPath = `${base}.part.json`;
  const done = `${base}.body`;
  const max = req.maxBytes ?? host.options.maxBytes;
  const st = { offset: 0, ifRange: undefined as string | undefined, resumable: false, validators: {} as Validators };

  const discard = async () => {
    st.offset = 0;
    st.ifRange = undefined;
    st.resumable = false;
    await rm(part, { force: true });
    await rm(metaPath, { force: true });
  };

  const prior = await readPartMeta(metaPath);
  const priorSize = prior?.url === req.url ? await fileSize(part) : 0;
  if (prior && priorSize > 0) Object.assign(st, { offset: priorSize, ifRange: prior.ifRange, resumable: true, validators: prior.validators });
  else await discard();

  const handle = async (res: Response, ctx: ExchangeContext): Promise<FileResult> => {
    if (res.status === 304 && (req.validators?.etag || req.validators?.lastModified)) {
      await res.body?.cancel().catch(() => undefined);
      await discard();
      host.stats.notModified++;
      return { notModified: true, url: req.url };
    }
    let append = false;
    if (res.status === 416 && st.offset > 0) {
      await res.body?.cancel().catch(() => undefined);
      await discard();
      throw new RetryableFailure('feed.http_status', 'range not satisfiable; restarting the download', { httpStatus: 416, immediate: true, progressed: true });
    } else if (res.status === 206) {
      const range = parseContentRange(res.headers.get('content-range'));
      if (st.offset === 0 || !range || range.start !== st.offset) {
        await res.body?.cancel().catch(() => undefined);
        await discard();
        throw new RetryableFailure('feed.http_status', `206 for the wrong range (${res.headers.get('content-range') ?? 'no Content-Range'}); restarting`, { httpStatus: 206, immediate: true, progressed: true });
      }
      append = true;
    } else if (res.status >= 200 && res.status <= 299) {
      const etag = res.headers.get('etag') ?? undefined;
      const lastModified = res.headers.get('last-modified') ?? undefined;
      const encoding = (res.headers.get('content-encoding') ?? 'identity').toLowerCase();
      st.offset = 0;
      st.validators = { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
      const ifRange = strongEtag(etag) ?? lastModified;
      st.ifRange = ifRange;
      st.resumable = ifRange !== undefined && encoding === 'identity';
      if (ifRange && st.resumable) await writeFile(metaPath, JSON.stringify({ url: req.url, ifRange, validators: st.validators } satisfies PartMeta));
      else await rm(metaPath, { force: true });
    } else {
      return host.rejectStatus(res, req.url);
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && st.offset + declared > max) throw host.tooLarge(req.url, st.offset + declared, max);
    const fh = await open(part, append ? 'a' : 'w');
    try {
      await ctx.readBody(res, async (chunk) => {
        if (st.offset + chunk.byteLength > max) throw host.tooLarge(req.url, st.offset + chunk.byteLength, max);
        await fh.write(chunk);
        st.offset += chunk.byteLength;
      });
    } finally {
      await fh.close();
    }
    await rm(done, { force: true });
    await rename(part, done);
    await rm(metaPath, { force: true });
    const { offset: size } = st;
    st.offset = 0;
    return {
      notModified: false,
      path: done,
      url: req.url,
      finalUrl: res.url || req.url,
      status: append ? 200 : res.status,
      size,
      sha256: await digestOfFile(done, 'sha256'),
      ...st.validators,
      ...(res.headers.get('content-type') ? { contentType: res.headers.get('content-type') as string } : {}),
    };
  };

  return host.withRetries(req.url, async (attempt) => {
    const before = st.offset;
    const extra: Record<string, string> = { 'accept-encoding': 'identity' };
    if (st.offset > 0 && st.ifRange) {
      extra.range = `bytes=${st.offset}-`;
      extra['if-range'] = st.ifRange;
    }
    try {
      return await host.exchange(req.url, host.headersFor(req.validators, extra), attempt, handle);
    } catch (e) {
      if (e instanceof RetryableFailure) {
        if (!st.resumable) await discard();
        throw new RetryableFailure(e.code, e.message, { ...e.extra, progressed: e.extra.progressed || (st.resumable && st.offset > before) });
      }
      // An abort keeps the part for the next sync; any other final error leaves nothing behind.
      if (!(e instanceof FeedError && e.code === 'feed.aborted')) await discard();
      throw e;
    }
  });
}

async function readPartMeta(path: string): Promise<PartMeta | undefined> {
  try {
    const v = JSON.parse(await readFile(path, 'utf8')) as Partial<PartMeta>;
    return typeof v.url === 'string' && typeof v.ifRange === 'string' ? { url: v.url, ifRange: v.ifRange, validators: v.validators ?? {} } : undefined;
  } catch {
    return undefined;
  }
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}
