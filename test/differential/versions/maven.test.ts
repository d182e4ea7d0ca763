/** @module Differential test: our Maven ordering against Maven's ComparableVersion (one java run). */
import { describe, expect, it } from 'vitest';
import { compareMaven } from '../../../src/core/versions/index.js';
import { mavenVersions } from './generators.js';
import { mavenJar, mavenOracle, oracleMissing, requireOracle, shouldRun } from './oracles.js';

const jar = mavenJar();
const missing = oracleMissing('java') ?? (jar ? undefined : 'maven-artifact jar not found in /usr/share/maven/lib');

const EDGE = ['1.0', '1', '1.0-SNAPSHOT', '1-alpha', '1.0.RELEASE', '1-ga', '1-sp', '1-sp1', '1.0.0.1', '1-1', '1.0a1', '1.0-a1', '1.0.a1', '1-cr1', '1-rc1', '1.0.0-foo', '1.0.0-xyz', '2..0', '2.0-', '01.002', '1.0-final-1'];

describe('maven comparator vs ComparableVersion', () => {
  it.runIf(shouldRun(missing, 'maven'))('agrees with ComparableVersion on 4000 seeded adjacent pairs plus edge cases', () => {
    requireOracle(missing, 'maven');
    const versions = [...EDGE, ...mavenVersions(0x3a7e, 4000)];
    const expected = mavenOracle(jar as string, versions);
    expect(expected).toHaveLength(versions.length - 1);
    const mismatches = expected
      .map((order, i) => ({ a: versions[i] as string, b: versions[i + 1] as string, maven: order }))
      .filter((m) => compareMaven(m.a, m.b) !== m.maven);
    expect(mismatches.slice(0, 10)).toEqual([]);
    const orders = new Set(expected);
    expect(orders.has(-1) && orders.has(0) && orders.has(1)).toBe(true);
  }, 60_000);
});
