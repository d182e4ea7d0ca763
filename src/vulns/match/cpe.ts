/**
 * @module CPE identity for matching: reads CPE 2.3 formatted strings and CPE 2.2 URIs (CVE 5
 * records and older SBOMs still write `cpe:/o:redhat:enterprise_linux:8`) into one parsed form,
 * the `vendor:product` match key, the version a concrete CPE names (an `update` such as `rc1` folded
 * in the way the NVD normalizer folds it), and attribute comparison that treats an unspecified
 * (`*`) attribute of a component's CPE as "not stated" rather than "every value".
 */
import { compareCpeAttribute, CPE_ATTRIBUTES, parseCpe23, type Cpe, type CpeAttribute, type CpeValue } from '../../core/versions/index.js';

export interface ParsedCpe {
  text: string;
  cpe: Cpe;
  /** 'vendor:product' lower-cased, when both are literals */
  key?: string;
}

const escape23 = (v: string) => v.replace(/[^A-Za-z0-9._-]/g, (c) => `\\${c}`);

function decode22(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

/** CPE 2.2 URI → 2.3 formatted string (edition packing `~` is not expanded: it is rare in feeds). */
function uriTo23(uri: string): string | undefined {
  const body = uri.slice(5);
  const parts = body.split(':');
  if (parts.length === 0 || parts.length > 7) return undefined;
  const part = (parts[0] ?? '').toLowerCase();
  if (part !== '' && !/^[aoh]$/.test(part)) return undefined;
  const vals = [part || '*'];
  for (let i = 1; i < 7; i++) {
    const raw = parts[i];
    vals.push(raw === undefined || raw === '' ? '*' : raw === '-' ? '-' : escape23(decode22(raw)));
  }
  return `cpe:2.3:${vals.join(':')}:*:*:*:*`;
}

const literalOf = (v: CpeValue): string | undefined => (v.kind === 'value' && !v.prefix && !v.suffix ? v.literal : undefined);

/** Parse a CPE 2.3 string or 2.2 URI; undefined when it is neither. Never throws. */
export function readCpe(text: string): ParsedCpe | undefined {
  if (typeof text !== 'string') return undefined;
  const t = text.trim();
  const lower = t.slice(0, 8).toLowerCase();
  const as23 = lower.startsWith('cpe:2.3:') ? t : lower.startsWith('cpe:/') ? uriTo23(t) : undefined;
  if (!as23) return undefined;
  const r = parseCpe23(as23);
  if (!r.ok) return undefined;
  const vendor = literalOf(r.value.vendor);
  const product = literalOf(r.value.product);
  const out: ParsedCpe = { text: t, cpe: r.value };
  if (vendor && product) out.key = `${vendor.toLowerCase()}:${product.toLowerCase()}`;
  return out;
}

export const cpeKey = (vendorProduct: string): string => `cpe:${vendorProduct}`;

/** The version a concrete CPE names: 'version' with a literal 'update' appended ('1.3' + 'rc1' → '1.3-rc1'). */
export function versionOfCpe(cpe: Cpe): string | undefined {
  const v = literalOf(cpe.version);
  if (!v) return undefined;
  const u = literalOf(cpe.update);
  return u ? `${v}-${u}` : v;
}

export type CpeComparison = { ok: false } | { ok: true; notes: string[]; confidence: number };

const SKIP_FOLDED: readonly CpeAttribute[] = ['version', 'update'];
const SKIP_VERSION: readonly CpeAttribute[] = ['version'];

/**
 * Does a match criterion (advisory CPE) name the product a component CPE identifies, versions
 * aside? ANY in the criterion matches everything; ANY in the component means "not stated" and is
 * accepted; a different literal is a mismatch. Parts 'a' and 'o' are accepted with lower
 * confidence (SBOM tools often write 'a' for an operating system); 'h' never matches 'a'/'o'.
 */
export function compareCpes(criterion: Cpe, target: Cpe): CpeComparison {
  const notes: string[] = [];
  let confidence = 1;
  // A literal update is folded into the version ('1.3' + 'rc1'); otherwise it is compared as is
  // ('windows_7' '-' 'sp1' is not Windows 7 without a service pack).
  const skip = literalOf(criterion.version) ? SKIP_FOLDED : SKIP_VERSION;
  for (const a of CPE_ATTRIBUTES) {
    if (skip.includes(a)) continue;
    const s = criterion[a];
    const t = target[a];
    if (a === 'part') {
      const sp = literalOf(s)?.toLowerCase();
      const tp = literalOf(t)?.toLowerCase();
      if (sp && tp && sp !== tp) {
        if (sp === 'h' || tp === 'h') return { ok: false };
        notes.push(`part "${tp}" in the component CPE, "${sp}" in the advisory`);
        confidence = 0.85;
      }
      continue;
    }
    if (t.kind === 'any') continue;
    const rel = compareCpeAttribute(s, t);
    if (rel === 'superset' || rel === 'equal') continue;
    if (rel === 'undefined') {
      notes.push(`component CPE ${a} has wildcards`);
      confidence = Math.min(confidence, 0.7);
      continue;
    }
    return { ok: false };
  }
  return { ok: true, notes, confidence };
}
