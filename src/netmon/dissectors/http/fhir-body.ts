/**
 * @module What a FHIR JSON body holds, read from a kept prefix (at most 64 KiB, often cut short): the
 * top-level resourceType; for a Bundle its type, the entries seen, the distinct types of their
 * resources (for transaction and batch entries without one, the type their request.url names), the
 * types of resources nested inside those (contained resources, a nested Bundle's entries) and the
 * methods of entry.request. Type names, counts and methods only: never a value of a resource.
 * Not JSON.parse (a prefix is rarely whole JSON, and a body is untrusted): one linear pass over the
 * bytes that knows strings and their escapes and tracks the path of keys to depth 64, deeper
 * containers only counted. A cut or malformed body yields what was read before the cut or fault.
 */
import type { MessageHead } from './head.js';
import { isSpace, Scanner, type FhirBodySummary } from './fhir-scan.js';

export { BUNDLE_TYPES, ENTRY_METHODS, type BundleType, type EntryMethod, type FhirBodySummary } from './fhir-scan.js';

/** body bytes kept to read a Bundle from: the entries of a large search are listed as far as they go */
export const MAX_FHIR_BODY = 64 * 1024;

/**
 * Reads a kept FHIR JSON body prefix. `matches` (say, "holds a patient's data") is tried on every
 * type seen, so `matched` holds past the 16 listed. Never throws; linear in the prefix length.
 */
export function readFhirBody(prefix: Uint8Array, matches: (resourceType: string) => boolean = () => false): FhirBodySummary {
  const s = new Scanner(prefix, matches);
  return s.summary(s.run());
}

/** FHIR JSON media types, and plain JSON (kept only for a message already judged FHIR) */
const FHIR_JSON_TYPE = /^\s*application\/(?:fhir\+json|json\+fhir|json)\s*(;|$)/i;

/** Whether a message's body is FHIR JSON worth keeping: a JSON type, never a compressed one. */
export function mayCarryFhirJson(h: MessageHead): boolean {
  const coding = h.headers.get('content-encoding');
  if (coding !== undefined && !/^\s*identity\s*$/i.test(coding)) return false;
  const type = h.headers.get('content-type');
  return type !== undefined && FHIR_JSON_TYPE.test(type);
}

/** bytes looked at before the body must have opened a JSON object: a BOM and some whitespace */
const SNIFF_BYTES = 3 + 64 + 1;

/**
 * The sniff of a FHIR body (stream.ts BodySniff): only a body whose first bytes open a JSON object is
 * kept past them. Judged on the first SNIFF_BYTES only, so the answer does not depend on chunking; a
 * body ending in whitespace before them is kept (and found not to be an object).
 */
export const FHIR_BODY_SNIFF = {
  bytes: SNIFF_BYTES,
  accept: (prefix: Uint8Array): boolean => {
    const p = prefix.subarray(0, SNIFF_BYTES);
    let i = p[0] === 0xef && p[1] === 0xbb && p[2] === 0xbf ? 3 : 0;
    while (i < p.length && isSpace(p[i] as number)) i++;
    return i < p.length ? p[i] === 0x7b : p.length < SNIFF_BYTES;
  },
};
