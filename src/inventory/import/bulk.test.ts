import { describe, expect, it } from 'vitest';
import { BULK_LOAD_POLICY, shouldBulkLoad } from './bulk.js';

describe('shouldBulkLoad', () => {
  it.each([
    ['a first import of 100,000 rows into an empty inventory', { records: 100_000, applied: 2000, created: 2000, devices: 2000 }, true],
    ['100,000 new rows into an inventory of 50,000', { records: 100_000, applied: 2000, created: 2000, devices: 52_000 }, true],
    ['100,000 new rows into an inventory of 120,000', { records: 100_000, applied: 2000, created: 2000, devices: 122_000 }, false],
    ['a nightly re-import whose first batch changed nothing', { records: 100_000, applied: 2000, created: 0, devices: 100_000 }, false],
    ['a file whose first batch is mostly known devices', { records: 100_000, applied: 2000, created: 900, devices: 2000 }, false],
    ['a file below the minimum size', { records: 19_999, applied: 2000, created: 2000, devices: 2000 }, false],
    ['a file that fit in its first batch', { records: 20_000, applied: 20_000, created: 20_000, devices: 20_000 }, false],
  ])('%s', (_name, facts, expected) => {
    expect(shouldBulkLoad(facts, BULK_LOAD_POLICY)).toBe(expected);
  });
});
