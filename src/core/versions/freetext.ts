/**
 * @module Free-text version ranges as written in real advisories (CSAF product_version_range and
 * product_version names, vendor bulletins): '<= 2.6A', '< 8.2.2', '>= 4.01 | <= 4.34',
 * '<= U61 |<= L81', '5.0|5.1', 'All versions', 'prior to 3.1', 'versions 2.1 through 2.4',
 * 'v7.2 and earlier', '4.X and 5.X', 'vers:...'. The result is a typed range with a
 * classification (exact | range | free-text) and a confidence; anything the grammar does not
 * fully understand stays free text marked for review — never silently widened or narrowed.
 * The grammar is documented in docs/vulns-versions.md.
 */
import { allVersions, classifyRange, constraintsRange, freeTextRange, type Constraint, type Op, type RangeClassification, type VersionRange } from './range.js';
import { compareVersions } from './schemes.js';
import type { SchemeId } from './types.js';
import { parseVers, versToRange } from './vers.js';
import { looksLikeDate, parseVersionToken } from './version-token.js';

export interface FreeTextResult {
  text: string;
  range: VersionRange;
  classification: RangeClassification;
  /** 0..1; below 0.8 (and every free-text result) needs a human to review. */
  confidence: number;
  needsReview: boolean;
  notes: string[];
}

export const MAX_FREE_TEXT_LENGTH = 512;
const FREE_TEXT_CONFIDENCE = 0.2;
const REVIEW_BELOW = 0.8;

type Clause = { all: true; confidence: number; notes: string[] } | { all: false; group: Constraint[]; confidence: number; notes: string[] };

const OPERATORS: Record<string, Op> = { '<': '<', '<=': '<=', '=<': '<=', '≤': '<=', '>': '>', '>=': '>=', '=>': '>=', '≥': '>=', '=': '=', '==': '=', '!=': '!=' };
const OPERATOR_CLAUSE = /^(<=|>=|=<|=>|==|!=|<|>|=|≤|≥)\s*(.+)$/;

const PREFIX_PHRASES: Array<[RegExp, Op, number, string?]> = [
  [/^(?:prior to|before|earlier than|older than|lower than|less than|below|under)\s+/i, '<', 0.9],
  [/^(?:up to and including|through|thru|at most|no later than)\s+/i, '<=', 0.9],
  [/^up to\s+/i, '<=', 0.6, '"up to" may or may not include the bound'],
  [/^(?:until|till)\s+/i, '<', 0.6, '"until" may or may not include the bound'],
  [/^(?:from|since|starting (?:with|from|at)|at least)\s+/i, '>=', 0.9],
  [/^(?:after|later than|newer than|greater than|higher than|above)\s+/i, '>', 0.9],
];
const SUFFIX_LOWER = /^(.+?)\s*(?:,\s*)?(?:and|or|&)\s+(?:all\s+)?(?:prior|earlier|before|below|lower|older|previous|under)(?:\s+(?:versions?|releases?|revisions?))?$/i;
const SUFFIX_UPPER = /^(.+?)\s*(?:,\s*)?(?:and|or|&)\s+(?:all\s+)?(?:later|after|above|higher|newer|greater|up|beyond)(?:\s+(?:versions?|releases?|revisions?))?$/i;
const BETWEEN = [/^between\s+(.+?)\s+and\s+(.+)$/i, /^(?:between\s+|from\s+)?(.+?)\s+(?:through|thru|to|until|-|–|—)\s+(.+)$/i];
const WILDCARD = /^v?(\d+(?:\.\d+)*)(?:\.[xX*])+$/;
const ALL = /^(?:all(?:\s+(?:versions?|releases?|revisions?))?|any(?:\s+versions?)?|\*)$/i;
const VERSION_WORD = /^(?:versions?|ver\.?|releases?|revisions?|rev\.?|software|firmware|sw|fw)\s*:?\s+/i;

function clause(group: Constraint[], confidence: number, notes: string[] = []): Clause {
  return { all: false, group, confidence, notes };
}

/** Version after an operator or phrase: lone letters allowed ('<= K'), an optional 'version' word dropped. */
function operand(text: string) {
  return parseVersionToken(text.replace(VERSION_WORD, ''), true);
}

function parseClause(raw: string): Clause | { error: string } {
  const t = raw.trim();
  if (t === '') return { error: 'empty alternative' };
  if (ALL.test(t)) return { all: true, confidence: 0.9, notes: [] };
  const op = OPERATOR_CLAUSE.exec(t);
  if (op) {
    const v = operand(op[2] as string);
    if (!v) return { error: looksLikeDate(op[2] as string) ? `date-based bound "${op[2]}" (release date, not a version)` : `"${op[2]}" is not a version` };
    return clause([{ op: OPERATORS[op[1] as string] as Op, version: v.version }], v.confidence, v.notes);
  }
  for (const re of BETWEEN) {
    const b = re.exec(t);
    const lo = b ? operand(b[1] as string) : null;
    const hi = b ? operand(b[2] as string) : null;
    if (lo && hi) return clause([{ op: '>=', version: lo.version }, { op: '<=', version: hi.version }], Math.min(0.9, lo.confidence, hi.confidence), [...lo.notes, ...hi.notes]);
  }
  for (const [re, phraseOp, conf, note] of PREFIX_PHRASES) {
    const m = re.exec(t);
    if (!m) continue;
    const rest = t.slice(m[0].length);
    const v = operand(rest);
    if (!v) return { error: looksLikeDate(rest) ? `date-based bound "${rest}" (release date, not a version)` : `"${rest}" is not a version` };
    return clause([{ op: phraseOp, version: v.version }], Math.min(conf, v.confidence), note ? [note, ...v.notes] : v.notes);
  }
  for (const [re, phraseOp] of [[SUFFIX_LOWER, '<='], [SUFFIX_UPPER, '>=']] as const) {
    const m = re.exec(t);
    if (!m) continue;
    const v = operand(m[1] as string);
    if (v) return clause([{ op: phraseOp, version: v.version }], Math.min(0.9, v.confidence), v.notes);
  }
  const w = WILDCARD.exec(t);
  if (w) {
    const parts = (w[1] as string).split('.');
    const last = parts.length - 1;
    const upper = [...parts.slice(0, last), String(Number(parts[last]) + 1)].join('.');
    return clause([{ op: '>=', version: w[1] as string }, { op: '<', version: upper }], 0.85, [`wildcard "${t}" read as >= ${w[1]} and < ${upper}`]);
  }
  const v = parseVersionToken(t);
  if (v) return clause([{ op: '=', version: v.version }], v.confidence, v.notes);
  return { error: looksLikeDate(t) ? `"${t}" is a date, not a version` : `"${t}" is not a version, range or list of versions` };
}

/** Parse a list alternative: whole, else split on , ; & and/or, else on blanks when every piece is a digit-led version. */
function parseAlternative(raw: string): Clause[] | { error: string } {
  const whole = parseClause(raw);
  if (!('error' in whole)) return [whole];
  const attempts: Array<{ pieces: string[]; digitLedOnly: boolean }> = [
    { pieces: raw.split(/\s*(?:,|;|&|\band\b|\bor\b)\s*/i), digitLedOnly: false },
    { pieces: raw.split(/\s+/), digitLedOnly: true },
  ];
  for (const { pieces: all, digitLedOnly } of attempts) {
    const pieces = all.filter((p) => p.trim() !== '');
    if (pieces.length < 2) continue;
    if (digitLedOnly && !pieces.every((p) => /^v?\d/.test(p))) continue;
    const out: Clause[] = [];
    for (const p of pieces) {
      const c = parseClause(p);
      if ('error' in c) break;
      out.push(c);
    }
    if (out.length === pieces.length) return out;
  }
  return whole;
}

function stripWrappers(text: string): string {
  let t = text.trim();
  const paren = /^\(([^()]*)\)$/.exec(t);
  if (paren) t = (paren[1] as string).trim();
  for (let k = 0; k < 3 && VERSION_WORD.test(t); k++) t = t.replace(VERSION_WORD, '');
  return t.replace(/^all\s+(?:versions?|releases?)\s+(?=(?:prior|before|up|earlier|through|until|from|since|starting|after|older|newer|below|above|<|>))/i, '');
}

function freeText(text: string, scheme: SchemeId, notes: string[], confidence = FREE_TEXT_CONFIDENCE): FreeTextResult {
  return { text, range: freeTextRange(scheme, text), classification: 'free-text', confidence, needsReview: true, notes };
}

/** A lower bound immediately followed by a not-smaller upper bound means one interval ('>= 4.01 | <= 4.34'). */
function groupClauses(clauses: Clause[], scheme: SchemeId): Constraint[][] {
  const groups: Constraint[][] = [];
  for (let i = 0; i < clauses.length; i++) {
    const c = clauses[i] as Extract<Clause, { all: false }>;
    const next = clauses[i + 1] as Extract<Clause, { all: false }> | undefined;
    const lo = c.group.length === 1 ? c.group[0] : undefined;
    const hi = next && next.group.length === 1 ? next.group[0] : undefined;
    if (lo && hi && (lo.op === '>' || lo.op === '>=') && (hi.op === '<' || hi.op === '<=')) {
      const cmp = compareVersions(scheme, lo.version, hi.version);
      if (cmp === -1 || cmp === 0) {
        groups.push([lo, hi]);
        i++;
        continue;
      }
    }
    groups.push(c.group);
  }
  return groups;
}

/** Parse free text into a typed range. Never throws. */
export function parseFreeTextVersion(input: string, scheme: SchemeId = 'generic'): FreeTextResult {
  if (typeof input !== 'string') return freeText(String(input), scheme, ['not a string'], 0);
  if (input.length > MAX_FREE_TEXT_LENGTH) return freeText(input, scheme, [`longer than ${MAX_FREE_TEXT_LENGTH} characters`], 0);
  const text = input.replace(/[\u00a0\u2000-\u200b]/g, ' ').replace(/\s+/g, ' ').trim();
  if (text === '') return freeText(input, scheme, ['empty'], 0);
  if (/^vers:/i.test(text)) {
    const parsed = parseVers(text);
    if (!parsed.ok) return freeText(input, scheme, [`invalid vers: ${parsed.error.message}`]);
    const range = versToRange(parsed.value);
    return { text: input, range, classification: classifyRange(range), confidence: 1, needsReview: false, notes: [] };
  }
  const body = stripWrappers(text);
  const clauses: Clause[] = [];
  for (const alt of body.split('|')) {
    if (alt.trim() === '') continue;
    const parsed = parseAlternative(alt);
    if ('error' in parsed) return freeText(input, scheme, [parsed.error]);
    clauses.push(...parsed);
  }
  if (clauses.length === 0) return freeText(input, scheme, ['no version information']);
  const confidence = Math.round(Math.min(...clauses.map((c) => c.confidence)) * 100) / 100;
  const notes = [...new Set(clauses.flatMap((c) => c.notes))];
  const range = clauses.some((c) => c.all)
    ? allVersions(scheme)
    : constraintsRange(scheme, groupClauses(clauses, scheme));
  return { text: input, range, classification: classifyRange(range), confidence, needsReview: confidence < REVIEW_BELOW, notes };
}

/**
 * Version information embedded in a product name such as 'PerformA: Version 2.0.14.0 and prior
 * versions': the text after the last ':' parsed as free text, with confidence reduced because the
 * split itself is a guess. Free text when nothing version-like is found.
 */
export function parseProductNameVersion(name: string, scheme: SchemeId = 'generic'): FreeTextResult {
  const tail = typeof name === 'string' && name.includes(':') ? name.slice(name.lastIndexOf(':') + 1) : '';
  const r = parseFreeTextVersion(tail, scheme);
  if (r.classification === 'free-text') return freeText(name, scheme, ['no version found in the product name']);
  const confidence = Math.round(r.confidence * 0.8 * 100) / 100;
  return { ...r, text: name, confidence, needsReview: true, notes: [...r.notes, 'version taken from the product name'] };
}
