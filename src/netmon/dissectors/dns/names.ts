/**
 * @module Reads DNS domain names (RFC 1035 4.1.4) with compression. Loop protection: every compression
 * pointer must point strictly before the previous jump target, so a chain of pointers can only move
 * backwards and must end; names are capped at 255 octets as the RFC requires.
 */
import { DissectorError } from '../errors.js';

const MAX_NAME = 255;

/** Escapes dots and non-printables inside a label so "a.b" as one label stays distinguishable. */
function labelText(msg: Uint8Array, start: number, len: number): string {
  let s = '';
  for (let i = start; i < start + len; i++) {
    const c = msg[i] as number;
    if (c === 0x2e || c === 0x5c) s += `\\${String.fromCharCode(c)}`;
    else if (c >= 0x21 && c <= 0x7e) s += String.fromCharCode(c);
    else if (c === 0x20) s += ' ';
    else s += `\\${c.toString().padStart(3, '0')}`;
  }
  return s;
}

/** Returns the dotted name (root is ".") and the offset just after the name's first encoding. */
export function readName(msg: Uint8Array, start: number, protocol = 'dns'): { name: string; next: number } {
  const fail = (reason: string, message: string, at: number): never => {
    throw new DissectorError(protocol, reason, message, at);
  };
  let pos = start;
  let next = -1;
  let lastTarget = -1;
  let octets = 0;
  const labels: string[] = [];
  for (;;) {
    if (pos >= msg.length) fail('truncated', 'name runs past the end of the message', pos);
    const len = msg[pos] as number;
    if (len === 0) {
      pos++;
      break;
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      if (pos + 1 >= msg.length) fail('truncated', 'compression pointer cut short', pos);
      const target = ((len & 0x3f) << 8) | (msg[pos + 1] as number);
      const limit = lastTarget < 0 ? pos : lastTarget;
      if (target >= limit) fail('bad-pointer', `compression pointer to ${target} does not point backwards`, pos);
      if (next < 0) next = pos + 2;
      lastTarget = target;
      pos = target;
      continue;
    }
    if (kind !== 0) fail('bad-label', `unsupported label type 0x${kind.toString(16)}`, pos);
    if (pos + 1 + len > msg.length) fail('truncated', 'label runs past the end of the message', pos);
    octets += len + 1;
    if (octets > MAX_NAME) fail('bad-name', 'name longer than 255 octets', pos);
    labels.push(labelText(msg, pos + 1, len));
    pos += 1 + len;
  }
  return { name: labels.length === 0 ? '.' : labels.join('.'), next: next < 0 ? pos : next };
}
