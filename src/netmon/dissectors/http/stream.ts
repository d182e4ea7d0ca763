/**
 * @module Walks one direction of an HTTP/1.x connection: collects each message head (bounded), then skips
 * the body by Content-Length, chunked coding or until close. A body is not buffered unless the head
 * handler asks to keep a bounded prefix of it (`keep` bytes, de-chunked), which is handed to `body` when
 * the body ends, when the prefix is full, or when the connection closes. Responses to HEAD and
 * 1xx/204/304 have no body; a 101 or a successful CONNECT turns the connection into an opaque tunnel.
 */
import type { FrameMeta } from '../../model.js';
import type { KeptBytesBudget } from '../contract.js';
import { ByteAccumulator } from '../support/accumulator.js';
import { DissectorError } from '../errors.js';
import { parseHead, type MessageHead } from './head.js';
import { indexOfByte } from '../support/bytes.js';

export const MAX_HEAD = 32 * 1024;
const MAX_CHUNK_LINE = 1024;

const latin1 = new TextDecoder('latin1');

export interface HeadHandler {
  /** returns how the body of this message is delimited, and whether to keep a prefix of it */
  head(h: MessageHead, meta: FrameMeta): BodyRule;
  /**
   * The kept prefix of a body whose rule had `keep` (a view valid during the call). `truncated`: the
   * body went on past `keep` bytes, or the connection ended before the body did.
   */
  body?(prefix: Uint8Array, truncated: boolean, meta: FrameMeta): void;
}

/**
 * `keep`: bytes of the (de-chunked) body to collect for HeadHandler.body; 0 or absent keeps nothing.
 * `sniff`: once the first `bytes` are kept (or the body ends first), `accept` decides whether to go on
 * keeping; a body it refuses is dropped then (never handed over), so bodies of no interest cost no memory.
 */
export type BodySniff = { bytes: number; accept: (prefix: Uint8Array) => boolean };
export type BodyRule =
  | { kind: 'none' }
  | { kind: 'length'; length: number; keep?: number; sniff?: BodySniff }
  | { kind: 'chunked'; keep?: number; sniff?: BodySniff }
  | { kind: 'until-close'; keep?: number; sniff?: BodySniff }
  | { kind: 'tunnel' };

type State = 'head' | 'length' | 'chunk-size' | 'chunk-data' | 'chunk-crlf' | 'trailers' | 'until-close' | 'tunnel';

export class HttpStream {
  private state: State = 'head';
  private readonly buf = new ByteAccumulator(MAX_HEAD, 512);
  private remaining = 0;
  private offset = 0;
  private lineStart = 0;
  /** the body prefix being kept, and how many more bytes it may take */
  private kept: ByteAccumulator | null = null;
  private keepLeft = 0;
  /** the kept body's sniff, until it has decided */
  private sniff: BodySniff | undefined = undefined;
  /** bytes reserved in the shared budget for the body being kept (its `keep`), 0 when none */
  private reserved = 0;

  /** `budget`: shared by the flows of a read; a body whose `keep` would pass it is not kept */
  constructor(
    private readonly handler: HeadHandler,
    private readonly budget?: KeptBytesBudget,
  ) {}

  feed(data: Uint8Array, meta: FrameMeta): void {
    let pos = 0;
    while (pos < data.length) {
      switch (this.state) {
        case 'head':
        case 'trailers':
          pos = this.headBytes(data, pos, meta);
          break;
        case 'length':
        case 'chunk-data': {
          const n = Math.min(this.remaining, data.length - pos);
          this.keepBody(data, pos, n, meta);
          pos += n;
          this.offset += n;
          this.remaining -= n;
          if (this.remaining === 0) {
            if (this.state === 'length') {
              this.state = 'head';
              this.deliver(false, meta);
            } else {
              this.state = 'chunk-crlf';
            }
          }
          break;
        }
        case 'chunk-size':
        case 'chunk-crlf':
          pos = this.lineBytes(data, pos, meta);
          break;
        case 'until-close':
          this.keepBody(data, pos, data.length - pos, meta);
          this.offset += data.length - pos;
          pos = data.length;
          break;
        case 'tunnel':
          this.offset += data.length - pos;
          pos = data.length;
          break;
      }
    }
  }

  /** collect line by line until an empty line ends the head (or the trailer section) */
  private headBytes(data: Uint8Array, pos: number, meta: FrameMeta): number {
    while (pos < data.length) {
      const lf = indexOfByte(data, 0x0a, pos);
      const end = lf < 0 ? data.length : lf + 1;
      if (this.buf.append(data.subarray(pos, end)) > 0) this.fail('too-large', `message head exceeds ${MAX_HEAD} bytes`, this.offset);
      this.offset += end - pos;
      pos = end;
      if (lf < 0) return pos;
      const v = this.buf.view();
      const lineLength = v.length - this.lineStart;
      const blank = lineLength === 1 || (lineLength === 2 && v[this.lineStart] === 0x0d);
      if (!blank) {
        this.lineStart = v.length;
        continue;
      }
      const headStart = this.offset - v.length;
      const onlyBlank = this.lineStart === 0;
      this.lineStart = 0;
      if (this.state === 'trailers' || onlyBlank) {
        // end of trailers, or an empty line before a request (allowed, RFC 9112 2.2)
        this.buf.reset();
        if (this.state === 'trailers') {
          this.state = 'head';
          return pos;
        }
        continue;
      }
      const text = latin1.decode(v);
      this.buf.reset();
      const head = parseHead(text);
      if (!head) this.fail('bad-start-line', 'not an HTTP/1.x request or status line', headStart);
      this.apply(this.handler.head(head, meta), this.offset);
      return pos;
    }
    return pos;
  }

  /** the connection ended: a body read until close is complete, any other kept body was cut short */
  close(meta: FrameMeta): void {
    this.deliver(this.state !== 'until-close', meta);
  }

  /** copies up to `n` body bytes from data[pos..] into the kept prefix; hands it over once full */
  private keepBody(data: Uint8Array, pos: number, n: number, meta: FrameMeta): void {
    const kept = this.kept;
    if (kept === null || n <= 0) return;
    const take = Math.min(n, this.keepLeft);
    kept.append(data.subarray(pos, pos + take));
    this.keepLeft -= take;
    if (this.sniff !== undefined && (kept.length >= this.sniff.bytes || this.keepLeft === 0)) {
      const accepted = this.sniff.accept(kept.view());
      this.sniff = undefined;
      if (!accepted) {
        this.dropKept();
        return;
      }
    }
    // more body than we keep: hand over the prefix now rather than carry it to the end of the body
    if (take < n) this.deliver(true, meta);
  }

  private deliver(truncated: boolean, meta: FrameMeta): void {
    const kept = this.kept;
    if (kept === null) return;
    // a body that ended before its sniff had enough bytes is judged on what there is (read before
    // dropKept, which forgets the sniff with the body; the reservation goes back before the handler runs)
    const sniff = this.sniff;
    this.dropKept();
    if (sniff !== undefined && !sniff.accept(kept.view())) return;
    this.handler.body?.(kept.view(), truncated, meta);
  }

  /** after 101 Switching Protocols or a successful CONNECT the bytes are no longer HTTP */
  becomeTunnel(): void {
    this.state = 'tunnel';
  }

  /** Stops keeping the body (handed over or not wanted) and gives its reservation back. */
  private dropKept(): void {
    this.kept = null;
    this.sniff = undefined;
    if (this.budget !== undefined) this.budget.used -= this.reserved;
    this.reserved = 0;
  }

  /** The stream is given up (a gap): what it kept is let go. */
  release(): void {
    this.dropKept();
  }

  private apply(rule: BodyRule, at: number): void {
    this.dropKept();
    // a body of known length reserves only its length, whatever prefix the rule would keep
    const keep = rule.kind !== 'none' && rule.kind !== 'tunnel' ? keptBytes(rule, rule.keep ?? 0) : 0;
    const b = this.budget;
    if (keep > 0 && b !== undefined && b.used + keep > b.max) b.refused++;
    else if (keep > 0) {
      if (b !== undefined) {
        b.used += keep;
        if (b.used > b.peak) b.peak = b.used;
        this.reserved = keep;
      }
      this.keepLeft = keep;
      this.sniff = rule.kind !== 'none' && rule.kind !== 'tunnel' ? rule.sniff : undefined;
      this.kept = new ByteAccumulator(keep, Math.min(keep, this.sniff === undefined ? 4096 : 256));
    }
    switch (rule.kind) {
      case 'none':
        this.state = 'head';
        return;
      case 'length':
        if (!Number.isSafeInteger(rule.length) || rule.length < 0) this.fail('bad-length', 'invalid Content-Length', at);
        this.remaining = rule.length;
        this.state = rule.length === 0 ? 'head' : 'length';
        if (rule.length === 0) this.dropKept();
        return;
      case 'chunked':
        this.state = 'chunk-size';
        return;
      default:
        this.state = rule.kind;
    }
  }

  private lineBytes(data: Uint8Array, pos: number, meta: FrameMeta): number {
    const lf = indexOfByte(data, 0x0a, pos);
    const end = lf < 0 ? data.length : lf + 1;
    if (this.buf.length + (end - pos) > MAX_CHUNK_LINE) this.fail('bad-chunk', 'chunk size line too long', this.offset);
    this.buf.append(data.subarray(pos, end));
    this.offset += end - pos;
    if (lf < 0) return end;
    const line = latin1.decode(this.buf.view()).trim();
    this.buf.reset();
    if (this.state === 'chunk-crlf') {
      if (line !== '') this.fail('bad-chunk', 'chunk data not followed by CRLF', this.offset);
      this.state = 'chunk-size';
      return end;
    }
    const m = /^([0-9a-fA-F]{1,12})(?:\s*;.*)?$/.exec(line);
    if (!m) this.fail('bad-chunk', 'invalid chunk size', this.offset);
    this.remaining = Number.parseInt(m[1] as string, 16);
    this.state = this.remaining === 0 ? 'trailers' : 'chunk-data';
    if (this.remaining === 0) this.deliver(false, meta);
    return end;
  }

  private fail(reason: string, message: string, at: number): never {
    throw new DissectorError('http', reason, message, at);
  }
}

/**
 * bytes to keep of a body under `rule`, at most `max`: of a known length only that length, so a short
 * body does not hold a whole `max` of the shared budget while it is in flight; 0 when there is none
 */
export function keptBytes(rule: BodyRule, max: number): number {
  if (rule.kind === 'none' || rule.kind === 'tunnel' || (rule.kind === 'length' && rule.length <= 0)) return 0;
  return rule.kind === 'length' ? Math.min(rule.length, max) : max;
}

/** How a message's body is framed: chunked, Content-Length (-1 when unreadable), else `fallback`. */
export function bodyRule(h: MessageHead, fallback: 'none' | 'until-close' | undefined): BodyRule {
  const te = h.headers.get('transfer-encoding');
  if (te !== undefined && /(^|,)\s*chunked\s*$/i.test(te)) return { kind: 'chunked' };
  const cl = h.headers.get('content-length');
  if (cl !== undefined) {
    const first = cl.split(',')[0]?.trim() ?? '';
    return /^\d{1,15}$/.test(first) ? { kind: 'length', length: Number(first) } : { kind: 'length', length: -1 };
  }
  return { kind: fallback ?? 'none' };
}
