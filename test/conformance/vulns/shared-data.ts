/**
 * @module Locates the shared real-data folder (../shared/data beside the repository root). Under
 * CI=true a missing folder is a test failure; locally the suites are skipped with a printed reason.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const SHARED_DATA = path.resolve(repoRoot, '../shared/data');

export function sharedDataPath(...parts: string[]): string {
  return path.join(SHARED_DATA, ...parts);
}

/** True when the suite should run; prints why it is skipped otherwise. Under CI the suite runs and fails on the missing data. */
export function sharedDataAvailable(suite: string): boolean {
  if (existsSync(SHARED_DATA)) return true;
  if (process.env.CI === 'true') return true;
  console.warn(`[skip] ${suite}: shared data not found at ${SHARED_DATA}`);
  return false;
}
