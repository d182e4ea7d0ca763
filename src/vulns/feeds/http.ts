/**
 * @module The HTTP fetcher feed adapters use: `fetchBuffer` for documents that fit in memory
 * (bounded by maxBytes) and `fetchFile` for archives and large feeds, downloaded into a `.part`
 * file that survives dropped connections and resumes with Range + If-Range. Both send
 * If-None-Match / If-Modified-Since from the caller's validators and report 304 as notModified;
 * callers persist new validators only after the body was processed, so a failed sink never
 * turns the next sync into a silent 304.
 */
import { createHash } from 'node:crypto';
import { HttpCore, type Validators } from './http-core.js';
import { downloadToFile } from './download.js';

export { DEFAULT_USER_AGENT, isNotFound, type HttpFetcherOptions, type HttpStats, type Validators } from './http-core.js';

export interface ResourceRequest {
  url: string;
  validators?: Validators;
  headers?: Record<string, string>;
  /** Overrides the fetcher's maxBytes for this resource. */
  maxBytes?: number;
}

export interface ResponseMeta {
  url: string;
  /** After redirects. */
  finalUrl: string;
  status: number;
  etag?: string;
  lastModified?: string;
  contentType?: string;
  size: number;
  sha256: string;
}

export type NotModified = { notModified: true; url: string };
export type BufferResult = NotModified | ({ notModified: false; body: Buffer } & ResponseMeta);
/** `path` is a completed download the caller owns (and removes when done). */
export type FileResult = NotModified | ({ notModified: false; path: string } & ResponseMeta);

export function responseValidators(res: Response): Pick<ResponseMeta, 'etag' | 'lastModified' | 'contentType'> {
  const out: Pick<ResponseMeta, 'etag' | 'lastModified' | 'contentType'> = {};
  const etag = res.headers.get('etag');
  const lastModified = res.headers.get('last-modified');
  const contentType = res.headers.get('content-type');
  if (etag) out.etag = etag;
  if (lastModified) out.lastModified = lastModified;
  if (contentType) out.contentType = contentType;
  return out;
}

export class HttpFetcher extends HttpCore {
  /** GET a document into memory, retried as a whole on failure. */
  async fetchBuffer(req: ResourceRequest): Promise<BufferResult> {
    const max = req.maxBytes ?? this.o.maxBytes;
    return this.withRetries(req.url, (attempt) =>
      this.exchange(req.url, this.headersFor(req.validators, req.headers), attempt, async (res, ctx): Promise<BufferResult> => {
        if (res.status === 304 && (req.validators?.etag || req.validators?.lastModified)) {
          await res.body?.cancel().catch(() => undefined);
          this.stats.notModified++;
          return { notModified: true, url: req.url };
        }
        if (res.status < 200 || res.status > 299 || res.status === 206) return this.rejectStatus(res, req.url);
        const declared = Number(res.headers.get('content-length') ?? NaN);
        if (Number.isFinite(declared) && declared > max) {
          await res.body?.cancel().catch(() => undefined);
          throw this.tooLarge(req.url, declared, max);
        }
        const chunks: Uint8Array[] = [];
        let size = 0;
        await ctx.readBody(res, (chunk) => {
          size += chunk.byteLength;
          if (size > max) throw this.tooLarge(req.url, size, max);
          chunks.push(chunk);
        });
        const body = Buffer.concat(chunks, size);
        return {
          notModified: false,
          body,
          url: req.url,
          finalUrl: res.url || req.url,
          status: res.status,
          size,
          sha256: createHash('sha256').update(body).digest('hex'),
          ...responseValidators(res),
        };
      }),
    );
  }

  /** GET a document as UTF-8 text (BOM kept for the parsers, which strip it). */
  async fetchText(req: ResourceRequest): Promise<NotModified | ({ notModified: false; text: string } & ResponseMeta)> {
    const r = await this.fetchBuffer(req);
    if (r.notModified) return r;
    const { body, ...meta } = r;
    return { ...meta, text: body.toString('utf8') };
  }

  /** GET a large resource into a file under workDir, resuming after dropped connections. */
  async fetchFile(req: ResourceRequest): Promise<FileResult> {
    return downloadToFile(
      {
        options: this.o,
        stats: this.stats,
        headersFor: (v, extra) => this.headersFor(v, extra),
        withRetries: (url, run) => this.withRetries(url, run),
        exchange: (url, headers, attempt, handle) => this.exchange(url, headers, attempt, handle),
        rejectStatus: (res, url) => this.rejectStatus(res, url),
        tooLarge: (url, size, max) => this.tooLarge(url, size, max),
      },
      req,
    );
  }
}
