/** @module Differential test: our rpmvercmp/EVR comparison against rpm's own `rpm.vercmp` (one Lua loop). */
import { describe, expect, it } from 'vitest';
import { compareRpm } from '../../../src/core/versions/index.js';
import { rpmPairs } from './generators.js';
import { oracleMissing, requireOracle, rpmOracle, shouldRun } from './oracles.js';

const missing = oracleMissing('rpm');

const EDGE: Array<[string, string]> = [
  ['1.0~rc1', '1.0'],
  ['1.0^git1', '1.0'],
  ['1.0^git1', '1.0.1'],
  ['1.0^', '1.0'],
  ['1.0_1', '1.0.1'],
  ['1.0-1', '1.0'],
  ['1:1.0', '2.0'],
  ['1.01', '1.1'],
  ['a', '1'],
  ['1.0a', '1.0.a'],
  ['2.0-1.el8', '2.0-1.el8_1'],
];

describe('rpm comparator vs rpm.vercmp', () => {
  it.runIf(shouldRun(missing, 'rpm'))('agrees with rpm on 5000 seeded pairs plus edge cases', () => {
    requireOracle(missing, 'rpm');
    const pairs = [...EDGE, ...rpmPairs(0x59a1, 5000)];
    const expected = rpmOracle(pairs);
    expect(expected).toHaveLength(pairs.length);
    const mismatches = pairs
      .map(([a, b], i) => ({ a, b, ours: compareRpm(a, b), rpm: expected[i] }))
      .filter((m) => (m.rpm === null ? m.ours !== 'incomparable' : m.ours !== m.rpm));
    expect(mismatches.slice(0, 10)).toEqual([]);
    const orders = new Set(expected);
    expect(orders.has(-1) && orders.has(0) && orders.has(1)).toBe(true);
  }, 60_000);
});
