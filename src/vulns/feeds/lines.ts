/**
 * @module Line splitting for streamed text feeds (EPSS CSV, possibly gzipped): UTF-8 decoded
 * incrementally, `\n` / `\r\n` endings, and a maximum line length so a hostile or corrupt
 * stream cannot make one "line" grow without bound.
 */
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { FeedError } from './errors.js';

export async function* decodeChunks(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const c of chunks) yield typeof c === 'string' ? c : decoder.decode(c, { stream: true });
  const tail = decoder.decode();
  if (tail) yield tail;
}

export async function* splitLines(text: AsyncIterable<string>, location: string, maxLineChars = 64 * 1024): AsyncGenerator<string> {
  let carry = '';
  let line = 0;
  for await (const piece of text) {
    const buf = carry + piece;
    let start = 0;
    let nl: number;
    while ((nl = buf.indexOf('\n', start)) >= 0) {
      line++;
      yield buf.slice(start, nl > start && buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
      start = nl + 1;
    }
    carry = buf.slice(start);
    if (carry.length > maxLineChars) throw new FeedError('feed.invalid', `line longer than ${maxLineChars} characters`, { location: { file: location, line: line + 1 } });
  }
  if (carry !== '') yield carry.endsWith('\r') ? carry.slice(0, -1) : carry;
}

/** Decoded text chunks of a file, gunzipped when `gzip` is set. */
export function fileText(path: string, gzip: boolean): AsyncGenerator<string> {
  const raw = createReadStream(path);
  // pipeline forwards a read error of the file into the gunzip stream the caller iterates.
  return decodeChunks(gzip ? pipeline(raw, createGunzip(), () => undefined) : raw);
}
