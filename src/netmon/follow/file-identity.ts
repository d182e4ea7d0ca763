/**
 * @module A capture file's identity as CareGuard records it (path, size, modification time to the
 * millisecond, ISO-8601): what an ingest stores and what a later read (a skipped re-ingest, evidence
 * packets) must find again.
 */
import { stat } from 'node:fs/promises';
import type { CaptureFileIdentity } from '../ports.js';

/** A modification time as records keep it: whole milliseconds, ISO-8601. */
export const modifiedAtText = (mtimeMs: number): string => new Date(Math.floor(mtimeMs)).toISOString();

export async function fileIdentity(path: string): Promise<CaptureFileIdentity> {
  const s = await stat(path);
  return { path, bytes: s.size, modifiedAt: modifiedAtText(s.mtimeMs) };
}
