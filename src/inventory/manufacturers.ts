/**
 * @module Canonical manufacturer names. CMMS exports, DHCP fingerprints and advisories spell the
 * same company many ways ("GE Medical Systems", "General Electric", "GE HEALTHCARE, INC."); one
 * spelling per company keeps filters, facets and advisory matching consistent. Aliases here are
 * spellings and renames of the same company, not acquisitions: a product line sold to another
 * company keeps its original maker's name (advisories still use it).
 */

const CANONICAL: ReadonlyArray<readonly [canonical: string, aliases: readonly string[]]> = [
  ['GE Healthcare', ['GE', 'GE Medical Systems', 'GE Medical', 'General Electric', 'General Electric Healthcare', 'GE HealthCare', 'GE Healthcare Technologies', 'GEHC', 'GE Medical Systems Information Technologies']],
  ['Philips', ['Philips Healthcare', 'Philips Medical Systems', 'Koninklijke Philips', 'Royal Philips', 'Philips Electronics']],
  ['Siemens Healthineers', ['Siemens Healthcare', 'Siemens Medical Solutions', 'Siemens Medical', 'Siemens Healthineers AG']],
  ['Canon Medical Systems', ['Canon Medical', 'Toshiba Medical Systems', 'Toshiba Medical', 'Toshiba America Medical Systems']],
  ['Fujifilm', ['Fujifilm Healthcare', 'Fuji', 'Fujifilm Medical Systems']],
  ['Medtronic', ['Medtronic plc', 'Medtronic MiniMed']],
  ['Baxter', ['Baxter Healthcare', 'Baxter International']],
  ['BD', ['Becton Dickinson', 'Becton, Dickinson and Company', 'Becton Dickinson and Co']],
  ['CareFusion', ['Cardinal Health CareFusion']],
  ['B. Braun', ['B Braun', 'B. Braun Melsungen', 'B. Braun Medical']],
  ['Fresenius Kabi', ['Fresenius-Kabi']],
  ['Fresenius Medical Care', ['Fresenius Medical']],
  ['ICU Medical', ['ICU Med']],
  ['Hospira', []],
  ['Smiths Medical', ['Smiths Group Medical']],
  ['Drägerwerk', ['Dräger', 'Draeger', 'Drager', 'Draeger Medical', 'Dräger Medical', 'Draegerwerk']],
  ['Mindray', ['Shenzhen Mindray', 'Mindray Medical', 'Mindray Bio-Medical Electronics']],
  ['Nihon Kohden', ['Nihon Kohden Corporation']],
  ['Spacelabs Healthcare', ['Spacelabs', 'Spacelabs Medical']],
  ['Masimo', []],
  ['Hamilton Medical', []],
  ['Getinge', ['Maquet Getinge']],
  ['Maquet', ['Maquet Critical Care']],
  ['Hologic', []],
  ['Carestream Health', ['Carestream']],
  ['Agfa HealthCare', ['Agfa', 'Agfa-Gevaert']],
  ['Abbott', ['Abbott Laboratories', 'Abbott Diagnostics']],
  ['Roche Diagnostics', ['Roche', 'F. Hoffmann-La Roche', 'Hoffmann-La Roche']],
  ['Beckman Coulter', []],
  ['Sysmex', []],
  ['bioMérieux', ['bioMerieux', 'Biomerieux']],
  ['Radiometer', []],
  ['Omnicell', []],
  ['Hillrom', ['Hill-Rom', 'Hill Rom']],
  ['Welch Allyn', ['Welch-Allyn']],
  ['Stryker', []],
  ['ZOLL Medical', ['Zoll']],
  ['Boston Scientific', []],
  ['Biotronik', []],
  ['Intuitive Surgical', ['Intuitive']],
  ['Elekta', []],
  ['Varian Medical Systems', ['Varian']],
  ['Olympus', ['Olympus Medical Systems']],
  ['Karl Storz', ['Storz']],
  ['Vocera', ['Vocera Communications']],
  ['Ascom', []],
  ['Rauland', ['Rauland-Borg']],
  ['Capsule Technologies', ['Capsule Tech']],
  ['Cisco', ['Cisco Systems']],
  ['Dell', ['Dell Technologies', 'Dell EMC']],
  ['HP', ['Hewlett-Packard', 'Hewlett Packard', 'HP Inc', 'Hewlett Packard Enterprise', 'HPE']],
  ['Microsoft', []],
  ['Zebra Technologies', ['Zebra']],
  ['Lenovo', []],
  ['Apple', []],
];

/** Lower-case, no punctuation, no legal-form suffix: the key two spellings are compared by. */
export function manufacturerKey(name: string): string {
  let s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  // Strip legal forms repeatedly: "Foo Medical Systems, Inc." and "Foo Co., Ltd." both reduce.
  for (;;) {
    const next = s.replace(/\s+(inc|incorporated|llc|ltd|limited|gmbh|co|corp|corporation|company|ag|sa|s a|se|bv|b v|nv|n v|plc|kk|spa|s p a|srl|oy|ab|as|pty|kg|co kg|and co)$/, '').trim();
    if (next === s) return s;
    s = next;
  }
}

const BY_KEY = new Map<string, string>();
for (const [canonical, aliases] of CANONICAL) {
  for (const name of [canonical, ...aliases]) BY_KEY.set(manufacturerKey(name), canonical);
}

/**
 * The canonical spelling of a manufacturer: the catalog's name when the company is known, else
 * the input with whitespace collapsed (unknown makers are kept as written, not guessed at).
 */
export function canonicalManufacturer(name: string): string | undefined {
  const hit = memo.get(name);
  if (hit !== undefined) return hit || undefined;
  const trimmed = name.replace(/\s+/g, ' ').trim();
  const canonical = trimmed.length === 0 ? '' : (BY_KEY.get(manufacturerKey(trimmed)) ?? trimmed);
  // An import repeats a few dozen spellings 100,000 times; remember them (bounded).
  if (memo.size >= 10_000) memo.clear();
  memo.set(name, canonical);
  return canonical || undefined;
}

const memo = new Map<string, string>();

export const KNOWN_MANUFACTURERS: readonly string[] = CANONICAL.map(([c]) => c);
