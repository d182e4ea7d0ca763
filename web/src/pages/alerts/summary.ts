/**
 * @module Reads the per-severity counts of active (open or acknowledged) alerts out of GET
 * /alerts/summary. Validated rather than trusted: the tiles are an overview, so a summary without a
 * usable breakdown hides them instead of breaking the alerts page.
 */
import { ALERT_SEVERITIES } from '../../api/types.js';
import type { AlertSeverity } from '../../api/types.js';

export type SeverityCounts = Record<AlertSeverity, number>;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

export function activeBySeverity(summary: unknown): SeverityCounts | undefined {
  if (!isRecord(summary)) return undefined;
  const counts = summary['activeBySeverity'];
  if (!isRecord(counts) || !ALERT_SEVERITIES.some((s) => isCount(counts[s]))) return undefined;
  return Object.fromEntries(ALERT_SEVERITIES.map((s) => [s, isCount(counts[s]) ? counts[s] : 0])) as SeverityCounts;
}
