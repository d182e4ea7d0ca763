/**
 * @module Deterministic randomness for the demo hospital: a seeded mulberry32 generator (same
 * seed, same sequence, on every platform: integer arithmetic only) and a keyed bijection on 24-bit
 * integers that turns a device index into unique-looking but collision-free serials and MACs.
 */

export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

/** Picks by weight in O(log n) from a table built once. */
export class WeightedTable<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(private readonly items: readonly T[], weight: (item: T) => number) {
    let sum = 0;
    for (const item of items) {
      sum += Math.max(0, weight(item));
      this.cumulative.push(sum);
    }
    if (sum <= 0) throw new Error('a weighted table needs a positive total weight');
    this.total = sum;
  }

  pick(rng: Prng): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}

const MASK24 = 0xffffff;

/**
 * A bijection on [0, 2^24): distinct inputs give distinct outputs, so values derived from it
 * (serial digits, MAC suffixes) never collide, yet consecutive devices do not get consecutive ids.
 */
export function permute24(x: number, key: number): number {
  let v = (x ^ key) & MASK24;
  for (let round = 0; round < 3; round++) {
    v = Math.imul(v, 0x9e3779 | 1) & MASK24; // odd multiplier: invertible mod 2^24
    v ^= v >>> 11; // xorshift right: invertible
    v = (v + ((key >>> (round * 4)) & 0xfff)) & MASK24;
  }
  return v;
}

/** A stable 32-bit hash of a string (FNV-1a), for per-name variation that does not depend on order. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
