import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pcapngTime, type TsResolution } from './pcapng-time.js';

/** Reference conversion in exact BigInt arithmetic. */
function reference(hi: number, lo: number, r: TsResolution): [number, number] {
  const units = (BigInt(hi) << 32n) | BigInt(lo);
  const perSec = r.binary ? 1n << BigInt(r.exp) : 10n ** BigInt(r.exp);
  const ns = (units * 1_000_000_000n) / perSec;
  return [Number(ns / 1000n) + r.offsetUs, Number(ns % 1000n)];
}

describe('pcapng timestamp conversion', () => {
  it('converts nanosecond units of present-day times exactly', () => {
    const ns = 1_700_000_000_123_456_789n;
    const out: [number, number] = [0, 0];
    pcapngTime(Number(ns >> 32n), Number(ns & 0xffffffffn), { exp: 9, binary: false, offsetUs: 0 }, out);
    expect(out).toEqual([1_700_000_000_123_456, 789]);
  });

  it('agrees with exact arithmetic for decimal resolutions 0-12 and binary ones, over times up to year 2100', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 4_102_444_800_000_000_000n }),
        fc.oneof(fc.integer({ min: 0, max: 12 }).map((exp) => ({ exp, binary: false })), fc.integer({ min: 0, max: 40 }).map((exp) => ({ exp, binary: true }))),
        (ns, res) => {
          const r: TsResolution = { ...res, offsetUs: 0 };
          const perSec = r.binary ? 1n << BigInt(r.exp) : 10n ** BigInt(r.exp);
          const units = (ns * perSec) / 1_000_000_000n;
          if (units >= 1n << 64n) return;
          const hi = Number(units >> 32n);
          const lo = Number(units & 0xffffffffn);
          const out: [number, number] = [0, 0];
          pcapngTime(hi, lo, r, out);
          expect(out).toEqual(reference(hi, lo, r));
        },
      ),
    );
  });
});
