import { describe, expect, it } from 'vitest';
import { complement, intervalToGroup } from './intervals.js';

describe('interval complement', () => {
  it('finds the affected gap left by the Linux kernel CNA style of unaffected ranges', () => {
    const unaffected = [
      { upper: { version: '6.12', inclusive: false } },
      { lower: { version: '5.15.177', inclusive: true }, upper: { version: '5.16', inclusive: false } },
      { lower: { version: '6.12.10', inclusive: true }, upper: { version: '6.13', inclusive: false } },
      { lower: { version: '6.13', inclusive: true } },
    ];
    expect(complement('semver', unaffected)?.map(intervalToGroup)).toEqual([
      [
        { op: '>=', version: '6.12' },
        { op: '<', version: '6.12.10' },
      ],
    ]);
  });

  it('returns everything for no intervals and nothing for an unbounded one', () => {
    expect(complement('semver', [])).toEqual([{}]);
    expect(complement('semver', [{}])).toEqual([]);
  });

  it('keeps the point between two open intervals', () => {
    const r = complement('generic', [{ upper: { version: '2', inclusive: false } }, { lower: { version: '2', inclusive: false } }]);
    expect(r?.map(intervalToGroup)).toEqual([[{ op: '=', version: '2' }]]);
  });

  it('gives up when bounds cannot be ordered', () => {
    expect(complement('semver', [{ upper: { version: 'abc', inclusive: false } }, { lower: { version: '1.0.0', inclusive: true } }])).toBeUndefined();
  });
});
