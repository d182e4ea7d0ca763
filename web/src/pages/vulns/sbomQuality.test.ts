import { describe, expect, it } from 'vitest';
import { flagCounts } from './sbomQuality.js';

describe('flagCounts', () => {
  it('counts components per flag, most frequent first, ties by name', () => {
    const components = [{ flags: ['generic-purl', 'missing-supplier'] }, { flags: ['generic-purl'] }, { flags: [] }, { flags: ['missing-version', 'missing-supplier'] }];
    expect(flagCounts(components)).toEqual([
      ['generic-purl', 2],
      ['missing-supplier', 2],
      ['missing-version', 1],
    ]);
  });

  it('counts a flag repeated on one component once and returns nothing for clean SBOMs', () => {
    expect(flagCounts([{ flags: ['x', 'x'] }])).toEqual([['x', 1]]);
    expect(flagCounts([{ flags: [] }])).toEqual([]);
  });
});
