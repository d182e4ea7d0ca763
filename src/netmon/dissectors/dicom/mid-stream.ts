/**
 * @module Where P-DATA-TF PDUs start in a direction of a DICOM association seen from the middle, without
 * its A-ASSOCIATE (a monitor started on a live network meets long C-STOREs and associations kept open).
 * From each offset of the first SYNC_WINDOW bytes a P-DATA-TF is checked: type 4, reserved 0, a length of
 * 6 B–16 MiB, PDV items (length >= 2, odd context id, only control bits 0-1) that tile it exactly. It is
 * evidence when its first PDV fills it exactly (item length = PDU length - 4: one fragment per PDU, as
 * toolkits send data; at its 12th byte, so a 16 KiB PDU of a C-STORE in progress counts before it ends),
 * or when whole and either followed by another P-DATA-TF whose header and first PDV header check (at 12
 * bytes past its end), or holding a last command fragment that parses as a DIMSE command set (at its
 * end). Evidence uses only bytes before the point it is reached at, and the answer is the candidate
 * that is evidence soonest (ties: the smaller offset), so it depends only on the bytes, never on how they
 * were chunked or how many had arrived: detection and the consumer find the same offset. O(n) per search:
 * each offset walks at most MAX_PDVS item headers, and each command PDV is parsed once.
 */
import type { Detection } from '../contract.js';
import { DissectorError } from '../errors.js';
import { readU32be } from '../support/bytes.js';
import { parseCommandSet } from './dimse.js';

/** bytes of a direction a sync point is looked for in; detection looks at no more than this either */
export const SYNC_WINDOW = 4096;
/**
 * Late sync (LateSync in contract.ts) slides SYNC_WINDOW over the stream, each window taking over this
 * many bytes of the last: every PDU whose first PDV fills it (evidence 12 bytes in) and every whole
 * command PDU or PDU pair of up to 1 KiB is looked at whole in some window.
 */
export const LATE_SYNC_OVERLAP = 1024;
/** largest P-DATA-TF believed: real maximum PDU lengths are 16 KiB to a few MiB */
const MAX_PDU = 16 * 1024 * 1024;
/** PDV items walked per PDU; real PDUs carry one or two (command, data) */
const MAX_PDVS = 16;
/** PDU header (6) + first PDV item header (6) */
const HEAD = 12;

const INVALID = 0;
/** valid header, but its first PDV header has not all arrived */
const SHORT = 1;
/** valid so far, runs past the bytes */
const CUT = 2;
/** whole, its PDVs tile it exactly */
const WHOLE = 3;
const NEVER = 0x7fffffff;

// scratch per position, overwritten by each search before it is read (detect runs on every new flow)
const STATE = new Uint8Array(SYNC_WINDOW + 1);
const END = new Int32Array(SYNC_WINDOW + 1);
/** WHOLE PDUs: holds a last command fragment that parses (1) */
const COMMAND = new Uint8Array(SYNC_WINDOW + 1);
/** the chain of PDUs from here runs to the end of the bytes (1) */
const OPEN = new Uint8Array(SYNC_WINDOW + 1);

const u32 = readU32be;

/** a plausible PDV item header at q inside a PDU ending at `end` */
const pdvOk = (b: Uint8Array, q: number, end: number): boolean => {
  const len = u32(b, q);
  return len >= 2 && ((b[q + 4] as number) & 1) === 1 && (b[q + 5] as number) <= 3 && q + 4 + len <= end;
};

/** header of a P-DATA-TF at p: its length, or -1; needs p + 6 <= n */
const pduLength = (b: Uint8Array, p: number): number => {
  if (b[p] !== 4 || b[p + 1] !== 0) return -1;
  const len = u32(b, p + 2);
  return len >= 6 && len <= MAX_PDU ? len : -1;
};

/** the first HEAD bytes of a P-DATA-TF check at p (p + HEAD <= n) */
const headOk = (b: Uint8Array, p: number): boolean => {
  const len = pduLength(b, p);
  return len >= 0 && pdvOk(b, p + 6, p + 6 + len);
};

const parses = (b: Uint8Array, from: number, to: number): boolean => {
  try {
    parseCommandSet(b.subarray(from, to), from);
    return true;
  } catch (e) {
    if (e instanceof DissectorError) return false;
    throw e;
  }
};

/** fills STATE, END and COMMAND for the PDU at p */
function checkPdu(b: Uint8Array, n: number, p: number): void {
  STATE[p] = INVALID;
  COMMAND[p] = 0;
  if (p + 6 > n) return;
  const len = pduLength(b, p);
  if (len < 0) return;
  const end = p + 6 + len;
  END[p] = end;
  if (p + HEAD > n) {
    STATE[p] = SHORT;
    return;
  }
  let command = 0;
  let items = 0;
  let q = p + 6;
  while (q < end) {
    if (q + 6 > n) {
      STATE[p] = CUT;
      return;
    }
    if (!pdvOk(b, q, end) || ++items > MAX_PDVS) return;
    const next = q + 4 + u32(b, q);
    if (b[q + 5] === 3 && next <= n && command === 0 && parses(b, q + 6, next)) command = 1;
    q = next;
  }
  // q === end: pdvOk keeps every item inside the PDU
  STATE[p] = end > n ? CUT : WHOLE;
  COMMAND[p] = command;
}

export interface SyncSearch {
  /** where the chosen PDU starts, -1 if none is evidence yet */
  offset: number;
  /** a chain of plausible PDUs (header checked) runs to the end of the bytes: more bytes may make it evidence */
  open: boolean;
}

/** The P-DATA-TF chains in `b` (only its first SYNC_WINDOW bytes are looked at). */
export function searchSync(b: Uint8Array): SyncSearch {
  const n = Math.min(b.length, SYNC_WINDOW);
  let offset = -1;
  let evidenceAt = NEVER;
  let open = false;
  // backwards, so the PDU after one is checked when it is linked
  for (let p = n - 1; p >= 0; p--) {
    OPEN[p] = 0;
    if (b[p] !== 4) {
      STATE[p] = INVALID;
      continue;
    }
    checkPdu(b, n, p);
    const state = STATE[p] as number;
    if (state === INVALID) continue;
    const end = END[p] as number;
    if (state !== WHOLE) OPEN[p] = 1;
    else if (end === n) OPEN[p] = 1;
    else if (end + 6 > n) OPEN[p] = b[end] === 4 && (end + 1 >= n || b[end + 1] === 0) ? 1 : 0;
    else OPEN[p] = OPEN[end] as number;
    if (OPEN[p] === 1) open = true;
    if (state === SHORT) continue;
    // one PDV filling the PDU: known at its first HEAD bytes, whole or not
    let at = u32(b, p + 6) === end - p - 10 ? p + HEAD : NEVER;
    if (state === WHOLE) {
      if (COMMAND[p] === 1 && end < at) at = end;
      if (end + HEAD <= n && end + HEAD < at && headOk(b, end)) at = end + HEAD;
    }
    if (at !== NEVER && at <= evidenceAt) {
      evidenceAt = at;
      offset = p;
    }
  }
  return { offset, open };
}

/** Where PDUs start in `b` (only its first SYNC_WINDOW bytes are looked at), -1 while none is evidence. */
export function findSyncPoint(b: Uint8Array): number {
  return searchSync(b).offset;
}

/**
 * Detection for a direction that does not open its association: 'yes' once a PDU is evidence,
 * 'need-more' while a chain of plausible P-DATA-TF PDUs runs to the end of fewer than SYNC_WINDOW bytes,
 * else 'no'. Text never gets 'need-more' (a P-DATA-TF starts 04 00 00), nor do most binary streams.
 */
export function detectMidStream(b: Uint8Array): Detection {
  const found = searchSync(b);
  if (found.offset >= 0) return 'yes';
  return found.open && b.length < SYNC_WINDOW ? 'need-more' : 'no';
}
