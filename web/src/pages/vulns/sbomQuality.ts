/** @module Summarises SBOM component quality flags for the product page. */
import type { SbomComponent } from '../../api/vulns.js';

/** flag -> how many components carry it, most frequent first (ties by name); a flag repeated on one component counts once */
export function flagCounts(components: readonly Pick<SbomComponent, 'flags'>[]): [string, number][] {
  const counts = new Map<string, number>();
  for (const c of components) for (const f of new Set(c.flags)) counts.set(f, (counts.get(f) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}
