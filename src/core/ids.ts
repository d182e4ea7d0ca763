/**
 * @module Identifiers. ULID-style ids: 48-bit millisecond time + 80 random bits in Crockford
 * base32, so ids sort by creation time (useful for cursors) and never collide across processes.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function newId(prefix?: string, nowMs: number = Date.now()): string {
  let time = '';
  let t = nowMs;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(16);
  let rand = '';
  for (let i = 0; i < 16; i++) rand += ALPHABET[bytes[i]! % 32];
  const id = time + rand;
  return prefix ? `${prefix}_${id}` : id;
}

const ID_PATTERN = /^(?:[a-z]{2,8}_)?[0-9A-HJKMNP-TV-Z]{26}$/;
export const isId = (s: string): boolean => ID_PATTERN.test(s);
