/**
 * @module Parses an HTTP/1.x message head (start line + header fields, RFC 9112) from a bounded buffer, and
 * decodes Basic credentials to a username plus password length (the password itself is never kept).
 */
import { cleanText } from '../support/text.js';

export interface RequestLine {
  kind: 'request';
  method: string;
  target: string;
  version: string;
}

export interface StatusLine {
  kind: 'response';
  version: string;
  status: number;
  reason: string;
}

export interface MessageHead {
  start: RequestLine | StatusLine;
  /** lower-cased names; repeated fields joined with ", " */
  headers: Map<string, string>;
}

const MAX_HEADERS = 128;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function parseHead(text: string): MessageHead | undefined {
  const lines = text.split(/\r?\n/);
  const startLine = lines[0] ?? '';
  let start: RequestLine | StatusLine;
  const status = /^(HTTP\/\d\.\d) (\d{3})(?: (.*))?$/.exec(startLine);
  if (status) {
    start = { kind: 'response', version: status[1] as string, status: Number(status[2]), reason: cleanText(status[3] ?? '', 128) };
  } else {
    const req = /^([A-Z][A-Z0-9_-]{0,31}) (\S+) (HTTP\/\d\.\d)$/.exec(startLine);
    if (!req) return undefined;
    start = { kind: 'request', method: req[1] as string, target: cleanText(req[2] as string, 1024), version: req[3] as string };
  }
  const headers = new Map<string, string>();
  for (let i = 1; i < lines.length && headers.size < MAX_HEADERS; i++) {
    const line = lines[i] as string;
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!TOKEN.test(name)) continue;
    const value = line.slice(colon + 1).trim();
    const prev = headers.get(name);
    headers.set(name, prev === undefined ? value : `${prev}, ${value}`);
  }
  return { start, headers };
}

export interface BasicCredentials {
  username: string;
  passwordLength: number;
}

/** `value` is an Authorization header; undefined when it is not (valid) Basic */
export function basicCredentials(value: string): BasicCredentials | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(value);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { username: cleanText(decoded.slice(0, colon), 128), passwordLength: decoded.length - colon - 1 };
}

/** path without the query string: queries often carry tokens and identifiers */
export function pathOf(target: string): { path: string; queryPresent: boolean } {
  const q = target.indexOf('?');
  return q < 0 ? { path: target, queryPresent: false } : { path: target.slice(0, q), queryPresent: true };
}
