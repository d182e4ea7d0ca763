/**
 * @module When an import switches storage to bulk-load mode (DeviceRepository.beginBulkLoad:
 * on SQLite the search indexes are dropped and built again at the end). Rebuilding them costs
 * about 0.65 s per 100,000 stored devices whether the import changed anything or not, while
 * maintaining them row by row costs about 2.2 CPU-s per 100,000 devices created (the two storage
 * floors of bench/import.bench.ts). So a bulk load pays when the import creates about as many
 * devices as the inventory holds, and only loses when most rows repeat known devices (a nightly
 * CMMS sync). The first pass counted the records; the first batch (2,000 rows, applied with the
 * indexes in place) shows whether rows are mostly new. Searches meanwhile stay correct, only slower.
 */

export interface BulkLoadPolicy {
  /** fewer records than this never bulk-load: the gain would be a fraction of a second */
  minRows: number;
  /** the share of the first batch that must have created devices */
  minCreatedShare: number;
}

export const BULK_LOAD_POLICY: BulkLoadPolicy = {
  minRows: 20_000,
  minCreatedShare: 0.5,
};

export interface BulkLoadFacts {
  /** data records the first pass counted in the whole input */
  records: number;
  /** records handed to the inventory so far (the first batch) */
  applied: number;
  /** of those, how many created a device */
  created: number;
  /** devices stored now (including the first batch's) */
  devices: number;
}

/** Whether the rest of the import should run as a bulk load. */
export function shouldBulkLoad(f: BulkLoadFacts, policy: BulkLoadPolicy = BULK_LOAD_POLICY): boolean {
  if (f.records < policy.minRows || f.applied === 0) return false;
  if (f.created < f.applied * policy.minCreatedShare) return false;
  // The rows still to come, as far as they create devices, against what is stored already.
  const expectedNew = (f.records - f.applied) * (f.created / f.applied);
  return expectedNew >= f.devices;
}
