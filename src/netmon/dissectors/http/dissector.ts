/**
 * @module HTTP/1.x dissector: requests (method, path without query, Host, User-Agent, authorization scheme;
 * Basic credentials reduced to username + password length) and responses (status, Server, auth challenges).
 * Bodies are skipped by their framing, never buffered.
 */
import type { Direction, FlowKey, FrameMeta, ObservationSink, StreamConsumer, WireFinding } from '../../model.js';
import type { Detection, Dissector } from '../contract.js';
import { flowEmitter, type Emit } from '../support/emitter.js';
import { cleanText } from '../support/text.js';
import { basicCredentials, pathOf, type MessageHead, type RequestLine, type StatusLine } from './head.js';
import { HttpStream, type BodyRule } from './stream.js';

const ID = 'http';
const VERSION = '1.0.0';
const MAX_PENDING = 64;
const DETECT_WINDOW = 2048;

const METHODS = ['GET', 'POST', 'PUT', 'HEAD', 'DELETE', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE', 'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'REPORT', 'SEARCH'];
const latin1 = new TextDecoder('latin1');

function detect(b: Uint8Array, dir: Direction): Detection {
  if (b.length === 0) return 'need-more';
  const text = latin1.decode(b.subarray(0, DETECT_WINDOW));
  const eol = text.indexOf('\n');
  const line = eol < 0 ? text : text.slice(0, eol).replace(/\r$/, '');
  if (dir === 's2c' || text.startsWith('H')) {
    if (/^HTTP\/1\.[01] \d{3}/.test(line)) return 'yes';
    if (eol < 0 && line.length < 12 && 'HTTP/1.1 200'.startsWith(line.slice(0, 7))) return 'need-more';
    if (dir === 's2c') return 'no';
  }
  const sp = line.indexOf(' ');
  const method = sp < 0 ? line : line.slice(0, sp);
  if (sp < 0) return eol < 0 && METHODS.some((m) => m.startsWith(method)) && b.length < DETECT_WINDOW ? 'need-more' : 'no';
  if (!METHODS.includes(method)) return 'no';
  if (eol < 0) return b.length < DETECT_WINDOW ? 'need-more' : 'no';
  return /^[A-Z]+ \S+ HTTP\/1\.[01]$/.test(line) ? 'yes' : 'no';
}

const header = (h: MessageHead, name: string, max = 256): string | null => {
  const v = h.headers.get(name);
  return v === undefined ? null : cleanText(v, max);
};

class HttpConsumer implements StreamConsumer {
  private readonly streams: Record<Direction, HttpStream | null>;
  private readonly pending: string[] = [];

  constructor(private readonly emit: Emit) {
    this.streams = {
      c2s: new HttpStream({ head: (h, meta) => this.head('c2s', h, meta) }),
      s2c: new HttpStream({ head: (h, meta) => this.head('s2c', h, meta) }),
    };
  }

  onData(dir: Direction, data: Uint8Array, meta: FrameMeta): void {
    this.streams[dir]?.feed(data, meta);
  }

  onGap(dir: Direction): void {
    this.streams[dir] = null;
  }

  private head(dir: Direction, h: MessageHead, meta: FrameMeta): BodyRule {
    return h.start.kind === 'request' ? this.request(dir, h.start, h, meta) : this.response(dir, h.start, h, meta);
  }

  private request(dir: Direction, start: RequestLine, h: MessageHead, meta: FrameMeta): BodyRule {
    if (this.pending.length < MAX_PENDING) this.pending.push(start.method);
    const auth = h.headers.get('authorization') ?? null;
    const scheme = auth === null ? null : (auth.split(/\s+/)[0] ?? '').slice(0, 32);
    const basic = auth === null ? undefined : basicCredentials(auth);
    const findings: WireFinding[] = [];
    if (basic) {
      findings.push({ code: 'http.basic-auth-cleartext', severity: 'high', message: `HTTP Basic credentials for user "${basic.username}" sent without TLS` });
    } else if (scheme !== null && /^bearer$/i.test(scheme)) {
      findings.push({ code: 'http.bearer-token-cleartext', severity: 'high', message: 'HTTP bearer token sent without TLS' });
    }
    const { path, queryPresent } = pathOf(start.target);
    this.emit(
      'http.request',
      dir,
      meta,
      {
        method: start.method,
        path: path.slice(0, 512),
        queryPresent,
        version: start.version,
        host: header(h, 'host'),
        userAgent: header(h, 'user-agent'),
        authorizationScheme: scheme,
        username: basic?.username ?? null,
        passwordLength: basic?.passwordLength ?? null,
        cookiePresent: h.headers.has('cookie'),
        contentType: header(h, 'content-type', 128),
        upgrade: header(h, 'upgrade', 64),
      },
      findings,
    );
    return bodyRule(h, start.method === 'CONNECT' ? 'none' : undefined);
  }

  private response(dir: Direction, start: StatusLine, h: MessageHead, meta: FrameMeta): BodyRule {
    const informational = start.status >= 100 && start.status < 200 && start.status !== 101;
    const method = informational ? this.pending[0] : this.pending.shift();
    const challenge = h.headers.get('www-authenticate') ?? null;
    const findings: WireFinding[] = [];
    if (challenge !== null && /(^|,\s*)Basic\b/i.test(challenge)) {
      findings.push({ code: 'http.basic-auth-offered', severity: 'medium', message: 'HTTP server asks for Basic credentials without TLS' });
    }
    this.emit(
      'http.response',
      dir,
      meta,
      {
        status: start.status,
        reason: start.reason,
        version: start.version,
        requestMethod: method ?? null,
        server: header(h, 'server'),
        contentType: header(h, 'content-type', 128),
        authenticationChallenge: challenge === null ? null : (challenge.split(/\s+/)[0] ?? '').slice(0, 32),
        setCookiePresent: h.headers.has('set-cookie'),
      },
      findings,
    );
    if (start.status === 101 || (method === 'CONNECT' && start.status >= 200 && start.status < 300)) {
      this.streams.c2s?.becomeTunnel();
      return { kind: 'tunnel' };
    }
    if (informational || start.status === 204 || start.status === 304 || method === 'HEAD') return { kind: 'none' };
    return bodyRule(h, 'until-close');
  }
}

function bodyRule(h: MessageHead, fallback: 'none' | 'until-close' | undefined): BodyRule {
  const te = h.headers.get('transfer-encoding');
  if (te !== undefined && /(^|,)\s*chunked\s*$/i.test(te)) return { kind: 'chunked' };
  const cl = h.headers.get('content-length');
  if (cl !== undefined) {
    const first = cl.split(',')[0]?.trim() ?? '';
    return /^\d{1,15}$/.test(first) ? { kind: 'length', length: Number(first) } : { kind: 'length', length: -1 };
  }
  return { kind: fallback ?? 'none' };
}

export const httpDissector: Dissector = {
  id: ID,
  version: VERSION,
  transport: 'tcp',
  defaultPorts: [80, 8080, 8000, 8008, 8081],
  detect,
  create(key: FlowKey, emit: ObservationSink): StreamConsumer {
    return new HttpConsumer(flowEmitter({ id: ID, version: VERSION }, key, emit));
  },
};
