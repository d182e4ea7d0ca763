/**
 * @module A loopback HTTP server for feed tests (127.0.0.1, port 0). Routes are plain handlers;
 * `staticResource` behaves like a well-configured file server (ETag, Last-Modified, 304 on
 * If-None-Match / If-Modified-Since, byte ranges honouring If-Range) and can be told to drop the
 * connection mid-body or answer with a status sequence first. Every request is recorded.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface FeedTestServer {
  url: string;
  requests: RecordedRequest[];
  route(path: string, handler: Handler): void;
  /** Requests to one path (query string included in `path`). */
  hits(pathPrefix: string): RecordedRequest[];
  close(): Promise<void>;
}

export async function startFeedServer(): Promise<FeedTestServer> {
  const routes = new Map<string, Handler>();
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ method: req.method ?? 'GET', path, headers: req.headers });
    const handler = routes.get(path) ?? routes.get(path.split('?')[0] as string);
    if (!handler) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    Promise.resolve(handler(req, res)).catch((e: unknown) => {
      if (!res.headersSent) res.writeHead(500).end(String(e));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    route: (path, handler) => routes.set(path, handler),
    hits: (prefix) => requests.filter((r) => r.path === prefix || r.path.startsWith(`${prefix}?`)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface StaticOptions {
  etag?: string;
  lastModified?: string;
  contentType?: string;
  /** Statuses answered (with these headers) before the real body, one per request. */
  failFirst?: Array<{ status: number; headers?: Record<string, string> }>;
  /** Send only this many bytes of the body on the first full-body response, then drop the connection. */
  dropAfter?: number;
  /** Leave out Content-Length (chunked transfer). */
  chunked?: boolean;
}

/** A mutable static resource: change `body`/`etag` between syncs to simulate upstream updates. */
export function staticResource(body: Buffer | string, options: StaticOptions = {}): Handler & { set(body: Buffer | string, etag?: string, lastModified?: string): void } {
  let data = Buffer.isBuffer(body) ? body : Buffer.from(body);
  let etag = options.etag;
  let lastModified = options.lastModified;
  const failures = [...(options.failFirst ?? [])];
  let dropped = false;
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const failure = failures.shift();
    if (failure) {
      res.writeHead(failure.status, failure.headers ?? {}).end('try later');
      return;
    }
    const validators: Record<string, string> = {};
    if (etag) validators.etag = etag;
    if (lastModified) validators['last-modified'] = lastModified;
    const inm = req.headers['if-none-match'];
    const ims = req.headers['if-modified-since'];
    if ((etag && inm === etag) || (!inm && lastModified && ims === lastModified)) {
      res.writeHead(304, validators).end();
      return;
    }
    const headers: Record<string, string> = { ...validators, 'content-type': options.contentType ?? 'application/octet-stream', 'accept-ranges': 'bytes' };
    const range = /^bytes=(\d+)-$/.exec(String(req.headers.range ?? ''));
    const ifRange = req.headers['if-range'];
    if (range && (!ifRange || ifRange === etag || ifRange === lastModified)) {
      const start = Number(range[1]);
      if (start >= data.length) {
        res.writeHead(416, { 'content-range': `bytes */${data.length}` }).end();
        return;
      }
      const part = data.subarray(start);
      res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${data.length - 1}/${data.length}`, 'content-length': String(part.length) }).end(part);
      return;
    }
    if (!options.chunked) headers['content-length'] = String(data.length);
    res.writeHead(200, headers);
    if (options.dropAfter !== undefined && !dropped) {
      dropped = true;
      // Give the client time to read what was sent: a web ReadableStream drops queued chunks when it errors.
      res.write(data.subarray(0, options.dropAfter), () => setTimeout(() => res.socket?.destroy(), 250));
      return;
    }
    res.end(data);
  };
  return Object.assign(handler, {
    set(next: Buffer | string, nextEtag?: string, nextLastModified?: string) {
      data = Buffer.isBuffer(next) ? next : Buffer.from(next);
      etag = nextEtag;
      lastModified = nextLastModified;
    },
  });
}

/** A sink that records batches, for assertions. */
export function recordingSink() {
  const batches: Array<{ size: number; source: string; location: string; ids: string[] }> = [];
  const sink = async (batch: Array<{ id: string }>, meta: { source: string; location: string }) => {
    batches.push({ size: batch.length, source: meta.source, location: meta.location, ids: batch.map((a) => a.id) });
  };
  return { batches, sink, ids: () => batches.flatMap((b) => b.ids) };
}
