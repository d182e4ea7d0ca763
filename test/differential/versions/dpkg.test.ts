/**
 * @module Differential test: our dpkg comparator against `dpkg --compare-versions` on seeded
 * pairs. For each pair dpkg is asked to confirm the exact relation we computed (lt, eq or gt), so
 * one dpkg run per pair decides agreement.
 */
import { describe, expect, it } from 'vitest';
import { compareDpkg } from '../../../src/core/versions/index.js';
import { dpkgPairs } from './generators.js';
import { dpkgConfirms, oracleMissing, requireOracle, shouldRun, type Order } from './oracles.js';

const missing = oracleMissing('dpkg');

/** Hand-picked pairs that exercise tilde, epoch, revision and leading-zero rules. */
const EDGE: Array<[string, string]> = [
  ['1.0~rc1', '1.0'],
  ['1.0~~', '1.0~'],
  ['1.0', '1.0+b1'],
  ['1:0.9', '2.0'],
  ['1.0-1', '1.0-01'],
  ['1.0a', '1.0+'],
  ['1.0', '1.0-0'],
  ['2.30', '2.4'],
  ['1.0.0', '1.0'],
  ['0:1.0', '1.0'],
  ['1.2-3~bpo1', '1.2-3'],
];

describe('dpkg comparator vs dpkg --compare-versions', () => {
  it.runIf(shouldRun(missing, 'dpkg'))('agrees with dpkg on 2000 seeded pairs plus edge cases', async () => {
    requireOracle(missing, 'dpkg');
    const pairs = [...EDGE, ...dpkgPairs(0xd9b6, 2000)];
    const claims = pairs.map(([a, b]) => {
      const ours = compareDpkg(a, b);
      if (ours === 'incomparable') throw new Error(`generator produced a version we reject: ${a} / ${b}`);
      return [a, b, ours] as const;
    });
    const verdicts = await dpkgConfirms(claims);
    expect(verdicts).toHaveLength(pairs.length);
    const disagreements = claims.map(([a, b, ours], i) => ({ a, b, ours, dpkg: verdicts[i] })).filter((d) => d.dpkg !== 'yes');
    expect(disagreements.slice(0, 10)).toEqual([]);
    // The pairs must exercise all three outcomes, or agreement would prove little.
    const orders = new Set<Order>(claims.map((c) => c[2]));
    expect(orders).toEqual(new Set([-1, 0, 1]));
  }, 60_000);
});
