import { describe, expect, it } from 'vitest';
import { timeToAlert } from './portfolio.js';

describe('timeToAlert', () => {
  it('reports nearest-rank percentiles of publication-to-alert delays in hours', () => {
    expect(timeToAlert([])).toEqual({ alerted: 0 });
    expect(timeToAlert([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).toEqual({ alerted: 10, medianHours: 5, p90Hours: 9, maxHours: 10 });
    expect(timeToAlert([0.04])).toEqual({ alerted: 1, medianHours: 0, p90Hours: 0, maxHours: 0 });
  });
});
