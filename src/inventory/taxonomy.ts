/**
 * @module Looks up device categories: by id, and from the free text sources write ("Infusion
 * Pump", "IV pump", "PUMPS, INFUSION", "Alaris 8015 PCA module"). Matching is deterministic:
 * an exact id/label/synonym first, then the longest known name contained as whole words.
 */
import { DEVICE_CATEGORIES, type DeviceCategory } from './taxonomy-catalog.js';

export { CATEGORY_GROUPS, DEVICE_CATEGORIES, type CategoryGroup, type DeviceCategory } from './taxonomy-catalog.js';

const BY_ID = new Map<string, DeviceCategory>(DEVICE_CATEGORIES.map((c) => [c.id, c]));

/** Words kept as written even though they end in "s" (acronyms, Latin/Greek singulars). */
const KEEP_S = new Set(['pacs', 'dialysis', 'status', 'ecmos', 'lis', 'ris', 'analysis', 'gas', 'bus', 'ups', 'oct', 'cctv', 'ct', 'mris']);

/** Lower-case, punctuation to spaces, plurals to singular, so "PUMPS, INFUSION" ~ "pump infusion". */
export function normalizeCategoryText(text: string): string {
  const words = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ');
  return words
    .filter((w) => w.length > 0)
    .map((w) => (w.length > 4 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is') && !KEEP_S.has(w) ? w.slice(0, -1) : w))
    .join(' ');
}

interface Phrase {
  text: string;
  category: DeviceCategory;
}

const EXACT = new Map<string, DeviceCategory>();
const PHRASES: Phrase[] = [];

for (const c of DEVICE_CATEGORIES) {
  for (const name of [c.id, c.label, ...c.synonyms]) {
    const n = normalizeCategoryText(name);
    if (n.length === 0) continue;
    // First claim wins, so a synonym can never silently move a name to another category.
    if (!EXACT.has(n)) EXACT.set(n, c);
    PHRASES.push({ text: n, category: c });
  }
}
// Longest first: "blood gas analyzer" must win over "analyzer".
PHRASES.sort((a, b) => b.text.length - a.text.length || a.text.localeCompare(b.text));

export const getCategory = (id: string): DeviceCategory | undefined => BY_ID.get(id);

export const isCategoryId = (id: string): boolean => BY_ID.has(id);

/** The category a free-text name denotes, or undefined when nothing known matches. */
export function resolveCategory(text: string): DeviceCategory | undefined {
  const direct = BY_ID.get(text);
  if (direct) return direct;
  const n = normalizeCategoryText(text);
  if (n.length === 0) return undefined;
  const exact = EXACT.get(n);
  if (exact) return exact;
  // UMDNS-style inverted names ("Pumps, Infusion") read naturally once the parts are reversed.
  if (text.includes(',')) {
    const reversed = normalizeCategoryText(text.split(',').reverse().join(' '));
    const hit = EXACT.get(reversed);
    if (hit) return hit;
  }
  const padded = ` ${n} `;
  for (const p of PHRASES) {
    if (padded.includes(` ${p.text} `)) return p.category;
  }
  return undefined;
}
