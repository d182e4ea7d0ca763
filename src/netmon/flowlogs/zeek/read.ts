/**
 * @module Reads a Zeek conn.log from a file, standard input ("-") or any byte stream, gunzipping it
 * when the name ends in .gz or the bytes start with the gzip magic (rotated Zeek logs are
 * compressed). Streams: memory is one chunk plus one bounded line.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DomainError } from '../../../core/index.js';
import { FlowLogError } from '../errors.js';
import { ZeekConnLogParser, type ZeekParserOptions, type ZeekParserStats } from './parser.js';

export type ByteStream = AsyncIterable<Uint8Array>;
export type FlowLogSource = string | { bytes: ByteStream; name: string };

export interface ReadZeekOptions extends Omit<ZeekParserOptions, 'name'> {
  /** name in locations (default: the path, or "stdin") */
  name?: string;
  signal?: AbortSignal;
  /** called after each chunk with the compressed/raw bytes read so far */
  onBytes?: (bytes: number) => void;
}

export interface ZeekReadStats extends ZeekParserStats {
  name: string;
  /** bytes read from the source (compressed size for .gz) */
  bytes: number;
  gzip: boolean;
}

const GZIP_MAGIC = [0x1f, 0x8b];

async function open(source: FlowLogSource): Promise<{ bytes: ByteStream; name: string }> {
  if (typeof source !== 'string') return source;
  if (source === '-') return { bytes: process.stdin, name: 'stdin' };
  const info = await stat(source).catch(() => undefined);
  if (!info?.isFile()) throw new DomainError('netmon.flowlog_not_found', `flow log ${source} does not exist or is not a file`, { status: 404, location: { file: source } });
  return { bytes: createReadStream(source, { highWaterMark: 1024 * 1024 }), name: source };
}

/** Parses every conn.log line of `source`; resolves with counts. Throws only when the stream itself fails (unreadable, corrupt gzip). */
export async function readZeekConnLog(source: FlowLogSource, opts: ReadZeekOptions): Promise<ZeekReadStats> {
  const input = await open(source);
  const name = opts.name ?? input.name;
  const parser = new ZeekConnLogParser({ ...opts, name });
  let bytes = 0;
  let gzip = name.endsWith('.gz');
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of input.bytes) {
      bytes += chunk.length;
      opts.onBytes?.(bytes);
      yield chunk;
    }
  }
  const raw = counted();
  const first = await raw.next();
  const head = first.done ? new Uint8Array(0) : first.value;
  gzip ||= head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  async function* replay(): AsyncGenerator<Uint8Array> {
    if (!first.done) yield head;
    yield* raw;
  }
  let chunks: ByteStream = replay();
  if (gzip) {
    const gunzip = createGunzip();
    // pipeline (not pipe) so a failing source destroys the gunzip stream and the loop below sees the error
    pipeline(Readable.from(chunks), gunzip, () => undefined);
    chunks = gunzip;
  }
  try {
    for await (const chunk of chunks) {
      if (opts.signal?.aborted) break;
      parser.push(chunk as Uint8Array);
    }
  } catch (e) {
    const s = parser.stats();
    throw new FlowLogError('zeek.read-failed', `reading stopped after line ${s.lines}: ${(e as Error).message}`, { file: name, line: s.lines + 1 });
  }
  return { ...parser.end(), name, bytes, gzip };
}
