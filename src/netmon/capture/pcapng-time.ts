/**
 * @module pcapng timestamps: a 64-bit count of units whose size each interface declares (if_tsresol),
 * turned into microseconds plus a nanosecond remainder without BigInt on the common resolutions.
 */

export interface TsResolution {
  /** exponent: units are 10^-exp s, or 2^-exp s when `binary` */
  exp: number;
  binary: boolean;
  /** if_tsoffset, in microseconds */
  offsetUs: number;
}

export const DEFAULT_TS_RESOLUTION: TsResolution = { exp: 6, binary: false, offsetUs: 0 };

const TWO_32 = 4294967296;

/** Writes microseconds and nanosecond remainder into `out` ([µs, ns]). */
export function pcapngTime(hi: number, lo: number, r: TsResolution, out: [number, number]): void {
  if (!r.binary) {
    if (r.exp === 6) {
      out[0] = hi * TWO_32 + lo + r.offsetUs;
      out[1] = 0;
      return;
    }
    if (r.exp > 6 && r.exp <= 9) {
      // Split 2^32 = A*d + B so every intermediate stays below 2^53 for real-world times.
      const d = r.exp === 7 ? 10 : r.exp === 8 ? 100 : 1000;
      const a = Math.floor(TWO_32 / d);
      const b = TWO_32 - a * d;
      const t = hi * b + lo;
      const q = Math.floor(t / d);
      out[0] = hi * a + q + r.offsetUs;
      out[1] = (t - q * d) * (1000 / d);
      return;
    }
    if (r.exp < 6) {
      out[0] = (hi * TWO_32 + lo) * 10 ** (6 - r.exp) + r.offsetUs;
      out[1] = 0;
      return;
    }
  }
  const units = (BigInt(hi) << 32n) | BigInt(lo);
  const perSec = r.binary ? 1n << BigInt(r.exp) : 10n ** BigInt(r.exp);
  const ns = (units * 1_000_000_000n) / perSec;
  out[0] = Number(ns / 1000n) + r.offsetUs;
  out[1] = Number(ns % 1000n);
}
