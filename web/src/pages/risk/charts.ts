/** @module Sizing for the risk page's bars: pure so the arithmetic is testable. */

/** The width of a bar as a percentage of the largest; a non-zero value always shows (at least 2 %). */
export function barPercent(value: number, max: number): number {
  if (!Number.isFinite(value) || !Number.isFinite(max) || max <= 0 || value <= 0) return 0;
  return Math.max(2, Math.min(100, Math.round((value / max) * 1000) / 10));
}

/** Splits a total into band segments (percent of the total, summing to 100 when anything is non-zero). */
export function segmentPercents<K extends string>(counts: Record<K, number>, order: readonly K[]): { key: K; percent: number }[] {
  const total = order.reduce((s, k) => s + Math.max(0, counts[k] || 0), 0);
  if (total <= 0) return [];
  return order.filter((k) => counts[k] > 0).map((k) => ({ key: k, percent: Math.round((counts[k] / total) * 1000) / 10 }));
}
