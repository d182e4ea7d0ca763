/**
 * @module PEP 440 (PyPI) version comparison via @renovatebot/pep440: epochs, pre/post/dev
 * releases, local versions and normalization (`1.0` == `1.0.0`, `1.0a1` < `1.0`). Invalid
 * versions (for example `4.36.-1`, seen in a real OSV record) are incomparable, never guessed.
 */
import * as pep440 from '@renovatebot/pep440';
import { MAX_VERSION_LENGTH, sign, type Comparison, type VersionComparator } from './types.js';

export function isValidPep440(v: string): boolean {
  return v.length <= MAX_VERSION_LENGTH && pep440.valid(v.trim()) !== null;
}

export function comparePep440(a: string, b: string): Comparison {
  if (!isValidPep440(a) || !isValidPep440(b)) return 'incomparable';
  try {
    return sign(pep440.compare(a.trim(), b.trim()));
  } catch {
    return 'incomparable';
  }
}

export const pep440Comparator: VersionComparator = {
  scheme: 'pypi',
  compare: comparePep440,
  isValid: isValidPep440,
};
