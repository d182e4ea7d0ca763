/**
 * @module HL7 message starts, for a stream seen from the middle of a message (a monitor started on a
 * live, persistent MLLP connection): a header segment (MSH, BHS, FHS with its delimiters) after an
 * MLLP start block or at the start of a line; and the content detection of such a stream (detectMidStream).
 */
import type { Framing } from './framing.js';

const VT = 0x0b;
const FS = 0x1c;
const CR = 0x0d;
const LF = 0x0a;

export const isAlnum = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

export type HeaderMatch = 'yes' | 'no' | 'need-more';

/**
 * Whether b[at...] opens a header segment: MSH, BHS or FHS, a separator (printable, not a letter or
 * digit), 1 to 5 encoding characters of the same kind, then the separator again ("MSH|^~\&|").
 */
export function headerAt(b: Uint8Array, at: number): HeaderMatch {
  const n = b.length;
  const c0 = b[at];
  if (c0 === undefined) return 'need-more';
  if (c0 !== 0x4d && c0 !== 0x42 && c0 !== 0x46) return 'no';
  const c1 = b[at + 1];
  if (c1 === undefined) return 'need-more';
  if (c0 === 0x4d ? c1 !== 0x53 : c1 !== 0x48) return 'no';
  const c2 = b[at + 2];
  if (c2 === undefined) return 'need-more';
  if (c0 === 0x4d ? c2 !== 0x48 : c2 !== 0x53) return 'no';
  if (at + 3 >= n) return 'need-more';
  const sep = b[at + 3] as number;
  if (!isDelimiterChar(sep)) return 'no';
  for (let i = 1; i <= 6; i++) {
    if (at + 3 + i >= n) return 'need-more';
    const c = b[at + 3 + i] as number;
    if (c === sep) return i >= 2 ? 'yes' : 'no';
    if (!isDelimiterChar(c)) return 'no';
  }
  return 'no';
}

const isDelimiterChar = (c: number) => c >= 0x21 && c <= 0x7e && !isAlnum(c);

/**
 * The first message start in b at or after `from`: a start block followed by a header segment
 * (MLLP), or a header segment at the start of a line (raw). Only starts wholly inside b count.
 */
export function findMessageStart(b: Uint8Array, from: number, lineStartAtFrom = false): { start: number; framing: Framing } | undefined {
  if (lineStartAtFrom && headerAt(b, from) === 'yes') return { start: from, framing: 'raw' };
  for (let i = from; i < b.length; i++) {
    const c = b[i];
    if (c === VT) {
      if (headerAt(b, i + 1) === 'yes') return { start: i, framing: 'mllp' };
    } else if ((c === CR || c === LF) && headerAt(b, i + 1) === 'yes') return { start: i + 1, framing: 'raw' };
  }
  return undefined;
}

/**
 * Content detection for a stream seen from the middle of a message: 'yes' if a message starts inside b;
 * 'need-more' if b is HL7 text (see isHl7Text) that looks like the inside of a message (an MLLP end
 * block, or a line opening with a segment id and "|" such as "PV1|", the line in progress included)
 * and ends where a message could still follow: after a line break or an end block, inside a start
 * that has not fully arrived, or inside a segment line ("...\rOBX|2|NM|88"), so the answer does not
 * depend on where the sender's TCP segments were cut; else 'no'.
 */
export function detectMidStream(b: Uint8Array): HeaderMatch {
  if (findMessageStart(b, 0) !== undefined) return 'yes';
  if (b.length === 0) return 'need-more';
  // the text check last: it reads all of b, and only the rare candidates get that far
  return mayStillStart(b) && isHl7Text(b) ? 'need-more' : 'no';
}

/** b ends where a message start may still follow, with evidence of HL7 before it where the rule needs it */
function mayStillStart(b: Uint8Array): boolean {
  const n = b.length;
  const last = b[n - 1];
  if (last === CR || last === LF || last === FS) return looksLikeMessageTail(b);
  // a start cut by the end of b: a start block or line break within the last few bytes, the rest a header so far
  for (let i = Math.max(0, n - 10); i < n; i++) {
    const c = b[i];
    // the last byte is no line break here (judged above); a start block alone at the end may open a frame
    if (c === VT || c === CR || c === LF) {
      if (headerAt(b, i + 1) === 'need-more') return true;
    }
  }
  return segmentInProgressAtEnd(b) && looksLikeMessageTail(b);
}

const isSegmentIdChar = (c: number | undefined) => c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a));

/** an MLLP end block, or a line starting with a segment id and "|" ("PV1|", "OBX|") */
function looksLikeMessageTail(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c === FS) return true;
    const lineStart = i === 0 || b[i - 1] === CR || b[i - 1] === LF;
    if (lineStart && c !== undefined && c >= 0x41 && c <= 0x5a && isSegmentIdChar(b[i + 1]) && isSegmentIdChar(b[i + 2]) && b[i + 3] === 0x7c) return true;
  }
  return false;
}

/**
 * The last line of b (after its last line break or end block; all of b if it has none) is a segment
 * cut short: an uppercase letter, up to two more id characters, then "|" and field text.
 */
function segmentInProgressAtEnd(b: Uint8Array): boolean {
  const n = b.length;
  let start = n;
  while (start > 0) {
    const c = b[start - 1];
    if (c === CR || c === LF || c === FS) break;
    start--;
  }
  if (start === n) return false;
  const c0 = b[start] as number;
  if (c0 < 0x41 || c0 > 0x5a) return false;
  for (let i = start + 1; i < n && i < start + 3; i++) if (!isSegmentIdChar(b[i])) return false;
  if (start + 3 < n && b[start + 3] !== 0x7c) return false;
  for (let i = start + 4; i < n; i++) if (!isFieldTextByte(b[i] as number)) return false;
  return true;
}

/** inside a segment: printable ASCII, tab, form feed (page breaks of text reports) and any byte >= 0x80 (UTF-8, Latin-1) */
const isFieldTextByte = (c: number) => (c >= 0x20 && c !== 0x7f) || c === 0x09 || c === 0x0c;

/**
 * HL7 is text: field text plus line breaks and MLLP's start and end blocks. Binary data (TLS, DICOM,
 * MQTT, compressed or random bytes) has other control bytes within its first few dozen bytes, so it
 * is not held for the chance CR, LF, VT or FS that would otherwise look like a message boundary.
 */
function isHl7Text(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) {
    const c = b[i] as number;
    if (!isFieldTextByte(c) && c !== CR && c !== LF && c !== VT && c !== FS) return false;
  }
  return true;
}
