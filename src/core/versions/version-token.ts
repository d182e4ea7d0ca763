/**
 * @module Recognizes a single version token inside free text ('2.0.14.0', 'v1.52', 'B.06.18',
 * 'U61', '1.8.4 Service Pack 01', '1.1.3 MR Build 11') and rates how sure we are that it is a
 * version rather than a model number or a word. Used by the free-text range grammar.
 */

export interface VersionToken {
  /** The version as it will be compared (leading 'v' dropped, inner whitespace collapsed). */
  version: string;
  /** 0..1: dotted numbers 1.0, bare integers 0.85, letter-led codes 0.75, a lone letter 0.7. */
  confidence: number;
  notes: string[];
}

/** Digit-led: 2.0.14.0, 012U000040, 2.6A, 6.3V1L10, 1.0-beta2. */
const NUMERIC_LED = /^\d[0-9A-Za-z]*(?:[._+~-][0-9A-Za-z]+)*$/;
/** Letter-dotted (Philips style): B.06.18, C.00.04, F.0.G.0. */
const LETTER_DOTTED = /^[A-Za-z]{1,2}\.\d[0-9A-Za-z]*(?:[._-][0-9A-Za-z]+)*$/;
/** Short letter prefix glued to digits: U61, L81, VS4, A51200. */
const LETTER_CODE = /^[A-Za-z]{1,2}\d[0-9A-Za-z]*(?:[._-][0-9A-Za-z]+)*$/;

const QUALIFIER_WORDS = new Set(['sp', 'sr', 'mr', 'build', 'patch', 'update', 'hotfix', 'hf', 'rc', 'beta', 'alpha', 'rev']);
const QUALIFIER_GLUED = /^(?:sp|sr|mr|build|patch|update|hotfix|hf|rc|beta|alpha|rev|b|p|u)\d[0-9a-z.]*$/i;

const MONTHS =
  /\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b/i;
const NUMERIC_DATE = /^(?:\d{1,2}\/\d{1,2}\/\d{2,4}|\d{4}-\d{2}-\d{2})$/;

/** True when the text reads as a calendar date ('November 29 2017', '8/30/2024', 'May 2018'). */
export function looksLikeDate(text: string): boolean {
  const t = text.trim();
  return NUMERIC_DATE.test(t) || (MONTHS.test(t) && /\d/.test(t));
}

function baseToken(word: string, allowLoneLetter: boolean): { version: string; confidence: number; note?: string } | null {
  const w = /^[vV]\d/.test(word) ? word.slice(1) : word;
  if (NUMERIC_LED.test(w)) {
    return /[._+~-]/.test(w) ? { version: w, confidence: 1 } : { version: w, confidence: 0.85, note: 'undotted number: may be a model number' };
  }
  if (LETTER_DOTTED.test(w)) return { version: w, confidence: 0.75, note: 'letter-led version' };
  if (LETTER_CODE.test(w)) return { version: w, confidence: 0.75, note: 'letter-prefixed code: may be a product line or model' };
  if (allowLoneLetter && /^[A-Za-z]$/.test(w)) return { version: w, confidence: 0.7, note: 'single-letter version' };
  return null;
}

/**
 * Parse one version token, optionally followed by release qualifiers ('Build 13', 'Service Pack 01',
 * 'SR1', 'MR'). Null when the text is not a version (words, model names, dates).
 */
export function parseVersionToken(text: string, allowLoneLetter = false): VersionToken | null {
  const t = text.trim().replace(/\s+/g, ' ');
  if (t === '' || t.length > 128 || looksLikeDate(t)) return null;
  const words = t.split(' ');
  const base = baseToken(words[0] as string, allowLoneLetter);
  if (!base) return null;
  const notes: string[] = base.note ? [base.note] : [];
  let confidence = base.confidence;
  const kept = [base.version];
  for (let i = 1; i < words.length; i++) {
    const w = words[i] as string;
    const lw = w.toLowerCase();
    if (lw === 'service' && words[i + 1]?.toLowerCase() === 'pack') {
      kept.push(w, words[i + 1] as string);
      i++;
    } else if (QUALIFIER_WORDS.has(lw) || QUALIFIER_GLUED.test(w)) {
      kept.push(w);
    } else {
      return null;
    }
    const next = words[i + 1];
    if (next !== undefined && /^\d[0-9A-Za-z.]*$/.test(next)) {
      kept.push(next);
      i++;
    }
  }
  if (kept.length > 1) {
    confidence = Math.min(confidence, 0.9);
    notes.push('release qualifier kept in the version');
  }
  return { version: kept.join(' '), confidence, notes };
}
