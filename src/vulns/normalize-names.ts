/**
 * @module Vendor and product name normalization for matching advisories to inventory: repairs
 * UTF-8 read as Latin-1 ('YhtymÃ¤' → 'Yhtymä'), folds case, diacritics, spacing and
 * punctuation, drops corporate suffixes and trademark signs, and maps known aliases
 * ('Phillips' → philips, 'Becton, Dickinson and Company (BD)' → bd). Names that list several
 * vendors are reported as ambiguous with their candidates, at lower confidence, never merged silently.
 */

export interface NormalizedName {
  /** Canonical matching key ('' when nothing usable remains). */
  key: string;
  /** Every key this name may stand for (one unless ambiguous). */
  candidates: string[];
  /** 1 for a plain or alias-mapped name, lower when the name is ambiguous or had to be repaired. */
  confidence: number;
  ambiguous: boolean;
  notes: string[];
}

/** Known vendor aliases, keyed by the folded form. Medical-device and embedded-software vendors first. */
const VENDOR_ALIASES: Record<string, string> = {
  phillips: 'philips',
  'philips healthcare': 'philips',
  'koninklijke philips': 'philips',
  'general electric': 'ge healthcare',
  ge: 'ge healthcare',
  'ge healthcare': 'ge healthcare',
  'ge medical systems': 'ge healthcare',
  'becton dickinson and': 'bd',
  'becton dickinson': 'bd',
  'becton dickinson and bd': 'bd',
  'b braun medical': 'b braun',
  'b braun melsungen': 'b braun',
  'hill rom': 'hillrom',
  'baxter international': 'baxter',
  'baxter healthcare': 'baxter',
  'natus medical': 'natus',
  'natus medical natus': 'natus',
  draeger: 'drager',
  'draegerwerk': 'drager',
  'siemens healthineers': 'siemens healthineers',
  'hamilton medical': 'hamilton medical',
  'johnson and johnson': 'johnson and johnson',
  'smiths medical': 'smiths medical',
  'fujifilm medical systems': 'fujifilm',
  'openssl project': 'openssl',
  'openssl software foundation': 'openssl',
  'wolfssl inc': 'wolfssl',
  'linux kernel organization': 'linux',
  'the linux foundation': 'linux',
  'microsoft corporation': 'microsoft',
  'amazon web services': 'aws',
};

const CORPORATE_SUFFIXES = new Set([
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'co',
  'company',
  'ltd',
  'limited',
  'llc',
  'gmbh',
  'ag',
  'sa',
  'oy',
  'oyj',
  'plc',
  'bv',
  'nv',
  'srl',
  'spa',
  'kk',
  'ab',
  'as',
  'se',
]);

/** Undo the common mojibake of UTF-8 bytes decoded as Latin-1 ('Ã¤' → 'ä'), when it round-trips cleanly. */
export function repairMojibake(s: string): string {
  if (!/[ÃÂ][\u0080-\u00ff]/.test(s)) return s;
  if ([...s].some((c) => c.charCodeAt(0) > 0xff)) return s;
  const repaired = Buffer.from(s, 'latin1').toString('utf8');
  return repaired.includes('\ufffd') ? s : repaired;
}

/** Lowercase, fold diacritics, '&' → 'and', punctuation → space, collapse spaces. */
export function foldName(s: string): string {
  return repairMojibake(s)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[™®©℠]/g, ' ')
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function stripSuffixes(words: string[]): string[] {
  const out = [...words];
  while (out.length > 1 && CORPORATE_SUFFIXES.has(out[out.length - 1] as string)) out.pop();
  return out;
}

function vendorKey(folded: string): string {
  const key = stripSuffixes(folded.split(' ').filter(Boolean)).join(' ');
  return VENDOR_ALIASES[key] ?? key;
}

const MAX_NAME_LENGTH = 512;

export function normalizeVendorName(name: string): NormalizedName {
  const notes: string[] = [];
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME_LENGTH) {
    return { key: '', candidates: [], confidence: 0, ambiguous: false, notes: ['no usable vendor name'] };
  }
  const repaired = repairMojibake(name);
  if (repaired !== name) notes.push(`repaired mis-decoded text "${name}" → "${repaired}"`);
  // '(BD)' after a long name is an abbreviation of it, not another vendor: match on the long name.
  const withoutParens = repaired.replace(/\([^)]*\)/g, ' ');
  const key = vendorKey(foldName(withoutParens));
  // Several vendors joined by ',' or 'and' (e.g. 'Hillrom and ELI, Baxter International Inc.').
  const parts = withoutParens
    .split(/,|\band\b|&|\//i)
    .map((p) => vendorKey(foldName(p)))
    .filter((p) => p !== '' && !CORPORATE_SUFFIXES.has(p));
  const aliasHit = Object.hasOwn(VENDOR_ALIASES, stripSuffixes(foldName(withoutParens).split(' ')).join(' '));
  if (!aliasHit && parts.length > 1) {
    const candidates = [...new Set(parts)];
    notes.push(`names several vendors: ${candidates.join(', ')}`);
    return { key, candidates, confidence: 0.5, ambiguous: true, notes };
  }
  return { key, candidates: key ? [key] : [], confidence: repaired !== name ? 0.9 : 1, ambiguous: false, notes };
}

/** Product key: folded, trademark signs dropped, a leading vendor name removed. */
export function normalizeProductName(name: string, vendorKeyHint?: string): NormalizedName {
  if (typeof name !== 'string' || name.trim() === '' || name.length > MAX_NAME_LENGTH) {
    return { key: '', candidates: [], confidence: 0, ambiguous: false, notes: ['no usable product name'] };
  }
  let key = foldName(name);
  const notes: string[] = [];
  if (vendorKeyHint && key.startsWith(`${vendorKeyHint} `)) {
    key = key.slice(vendorKeyHint.length + 1);
    notes.push(`dropped leading vendor "${vendorKeyHint}"`);
  }
  return { key, candidates: key ? [key] : [], confidence: 1, ambiguous: false, notes };
}
