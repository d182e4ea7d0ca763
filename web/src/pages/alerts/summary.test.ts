import { describe, expect, it } from 'vitest';
import { activeBySeverity } from './summary.js';

const zero = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };

describe('activeBySeverity', () => {
  it('reads the activeBySeverity counts of an alert summary', () => {
    const summary = { total: 9, byStatus: { open: 4, acknowledged: 1, resolved: 4 }, activeBySeverity: { critical: 2, high: 0, medium: 1, low: 1, info: 1 } };
    expect(activeBySeverity(summary)).toEqual({ critical: 2, high: 0, medium: 1, low: 1, info: 1 });
  });

  it('counts a missing or malformed severity as 0', () => {
    expect(activeBySeverity({ activeBySeverity: { critical: 2, high: -1, low: 'many' } })).toEqual({ ...zero, critical: 2 });
  });

  it('returns undefined when the summary has no usable breakdown', () => {
    expect(activeBySeverity({ total: 3 })).toBeUndefined();
    expect(activeBySeverity({ activeBySeverity: { high: 'x' } })).toBeUndefined();
    expect(activeBySeverity(null)).toBeUndefined();
    expect(activeBySeverity([1, 2])).toBeUndefined();
  });
});
