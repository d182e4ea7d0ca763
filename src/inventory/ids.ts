/**
 * @module Device ids in core's id format ("dev_" + 10 Crockford base32 characters of millisecond
 * time + 16 random ones, so isId() accepts them and they sort by creation), drawing randomness
 * from a pooled buffer: an import mints 100,000 ids, and one random-bytes call per id was a
 * measurable share of it.
 */
import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const pool = Buffer.allocUnsafe(16 * 512);
let offset = pool.length;

export function newDeviceId(nowMs: number = Date.now()): string {
  if (offset + 16 > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  let time = '';
  let t = nowMs;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  let rand = '';
  for (let i = 0; i < 16; i++) rand += ALPHABET[pool[offset + i]! % 32];
  offset += 16;
  return `dev_${time}${rand}`;
}
