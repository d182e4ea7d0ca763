/**
 * @module Where MQTT packets start in a direction seen from the middle, without its CONNECT (a monitor
 * started on a live network meets sessions devices keep open for days). From each offset of the first
 * SYNC_WINDOW bytes, consecutive packets are checked (wire-check.ts) as a chain; a chain is evidence once
 * it holds enough checked packets that count (packetsNeeded), one of them a PUBLISH with a topic name.
 * The answer is the chain that is evidence soonest in the stream (ties: the smaller offset), so it
 * depends only on the bytes, never on how they were chunked or how many of them had arrived: detection
 * and the consumer's framer, which see the same bytes in different pieces, find the same offset. Bytes
 * after the evidence point need not continue the chain (the consumer reads them as usual). Each offset is
 * checked once per search and chains share their tails, so a search costs O(n).
 */
import type { Direction, FlowKey } from '../../model.js';
import type { Detection } from '../contract.js';
import * as check from './wire-check.js';
import type { Role } from './wire-check.js';

/** bytes of a direction a sync point is looked for in; detection looks at no more than this either */
export const SYNC_WINDOW = check.MAX_CHECKED_BYTES;
/**
 * Late sync (LateSync in contract.ts) slides SYNC_WINDOW over the stream, each window taking over half of
 * the last: every chain that is evidence within 2 KiB of its start is looked at whole in some window.
 */
export const LATE_SYNC_OVERLAP = SYNC_WINDOW / 2;
export const MQTT_PORT = 1883;

/**
 * Checked packets a chain needs, one of them a PUBLISH with a topic name: three anywhere, two on the MQTT
 * port (where another protocol is unlikely, and a device publishing large payloads fits fewer packets in
 * the window). A PUBLISH counts once its topic (and packet id) are checked: the payload is opaque anyway.
 * PINGREQ, PINGRESP and DISCONNECT may be links of a chain but do not count: two bytes such as 0xc0 0x00
 * are everywhere in binary data.
 */
export const packetsNeeded = (key: FlowKey): number => (key.server.port === MQTT_PORT ? 2 : 3);

export const roleOf = (dir: Direction): Role => (dir === 'c2s' ? 'client' : 'server');
const other = (role: Role): Role => (role === 'client' ? 'server' : 'client');

export interface SyncSearch {
  /** where the chosen chain starts, -1 if no chain is evidence yet */
  offset: number;
  /** the stream offset at which it became evidence */
  evidenceAt: number;
  /** the role whose packets it is made of (roles of a flow seen without its handshake are guessed from ports) */
  role: Role;
  /** some chain with a checked packet runs to the end of the bytes: more bytes may make it evidence */
  open: boolean;
}

const NEVER = 0x7fffffff;
// local copies: the search reads them per byte (a transpiled import can be a getter call)
const INVALID = check.INVALID;
const PENDING = check.PENDING;
const FIRST_BYTES = check.FIRST_BYTES;
const NAMED_TOPIC = 1;
const TERMINAL = 2;
const COUNTS = 4;
/** the most packets a chain needs */
const MAX_NEEDED = 3;

const ANY_FIRST_BYTE = check.ANY_FIRST_BYTE;
const PUBLISH_FIRST_BYTE = check.PUBLISH_FIRST_BYTE;

// scratch per position, overwritten by each search before it is read (detect runs on every new flow, so
// no allocation). The packet at each offset is checked once; each role then links the packets it may send.
/** where the packet's checks end, or PENDING / INVALID */
const CHECK = new Int32Array(SYNC_WINDOW + 1);
const END = new Int32Array(SYNC_WINDOW + 1);
const KIND = new Uint8Array(SYNC_WINDOW + 1);
/** the offsets holding a checked packet, ascending (in other protocols' bytes, few) */
const CHECKED_AT = new Int32Array(SYNC_WINDOW + 1);
/** where the first PUBLISH with a topic name along the chain is checked, or NEVER */
const FIRST_TOPIC = new Int32Array(SYNC_WINDOW + 1);
/** the chain from here is valid to the end of the bytes (1) */
const OPEN = new Uint8Array(SYNC_WINDOW + 1);
/** COUNTED[(j - 1) * ROW + p]: where the chain from p has checked j packets that count, or NEVER */
const ROW = SYNC_WINDOW + 1;
const COUNTED = new Int32Array(MAX_NEEDED * ROW);

const NOTHING = (role: Role): SyncSearch => ({ offset: -1, evidenceAt: -1, role, open: false });

/**
 * Where packets start in `b` (only its first SYNC_WINDOW bytes are looked at) for a direction sent by
 * `own`, -1 while no chain is evidence. Called again as bytes arrive, until it answers.
 */
export function findSyncPoint(b: Uint8Array, own: Role, needed: number): number {
  // a direction without a PUBLISH (a publisher's acknowledgements, one 4-byte chunk each) is looked at
  // per chunk until its window is full: this cheap pass spares it the full search
  return hasNamedTopic(b) ? searchSync(b, own, needed).offset : -1;
}

function hasNamedTopic(b: Uint8Array): boolean {
  const n = Math.min(b.length, SYNC_WINDOW);
  const checker = new check.PacketChecker(b, n);
  for (let p = 0; p < n; p++) if (PUBLISH_FIRST_BYTE[b[p] as number] === 1 && checker.at(p) >= 0 && checker.namedTopic) return true;
  return false;
}

/**
 * The chains in `b` (only its first SYNC_WINDOW bytes are looked at) for a direction sent by `own`.
 * `firstAnswer`: stop at the first role with an answer (detection only needs yes or no).
 */
export function searchSync(b: Uint8Array, own: Role, needed: number, firstAnswer = false): SyncSearch {
  const n = Math.min(b.length, SYNC_WINDOW);
  const count = checkAll(b, n);
  if (count === 0) return NOTHING(own);
  const mine = chainSearch(b, n, count, own, needed);
  if (firstAnswer && mine.offset >= 0) return mine;
  const theirs = chainSearch(b, n, count, other(own), needed);
  const best = theirs.offset >= 0 && (mine.offset < 0 || theirs.evidenceAt < mine.evidenceAt) ? theirs : mine;
  return { ...best, open: mine.open || theirs.open };
}

/** checks the packet at every offset; returns how many offsets hold a checked one (listed in CHECKED_AT) */
function checkAll(b: Uint8Array, n: number): number {
  const checker = new check.PacketChecker(b, n);
  let count = 0;
  for (let p = 0; p < n; p++) {
    if (ANY_FIRST_BYTE[b[p] as number] === 0) {
      CHECK[p] = INVALID;
      continue;
    }
    const checked = checker.at(p);
    CHECK[p] = checked;
    if (checked < 0) continue;
    END[p] = checker.end;
    KIND[p] = (checker.namedTopic ? NAMED_TOPIC : 0) | (checker.terminal ? TERMINAL : 0) | (checker.counts ? COUNTS : 0);
    CHECKED_AT[count++] = p;
  }
  return count;
}

function chainSearch(b: Uint8Array, n: number, count: number, role: Role, needed: number): SyncSearch {
  const firstBytes = FIRST_BYTES[role];
  const last = (Math.min(needed, MAX_NEEDED) - 1) * ROW;
  // backwards, so the chain after a packet is known when the packet is linked
  for (let i = count - 1; i >= 0; i--) {
    const p = CHECKED_AT[i] as number;
    if (firstBytes[b[p] as number] === 0) continue;
    const checked = CHECK[p] as number;
    const end = END[p] as number;
    const kind = KIND[p] as number;
    const topic = kind & NAMED_TOPIC ? checked : NEVER;
    const terminal = (kind & TERMINAL) !== 0;
    // what follows, for this role
    const after = end >= n ? PENDING : firstBytes[b[end] as number] === 0 ? INVALID : (CHECK[end] as number);
    let next = -1;
    if (end > n || terminal || after < 0) {
      // cut by the end of the bytes, a DISCONNECT (nothing may follow it), or followed by no packet
      FIRST_TOPIC[p] = topic;
      OPEN[p] = end >= n || (after === PENDING && !terminal) ? 1 : 0;
    } else {
      next = end;
      FIRST_TOPIC[p] = topic !== NEVER ? topic : (FIRST_TOPIC[end] as number);
      OPEN[p] = OPEN[end] as number;
    }
    // the j-th packet that counts: this one (j = 1) or the (j-1)-th after it; else the j-th after it
    const counts = (kind & COUNTS) !== 0;
    for (let row = 0; row <= last; row += ROW) {
      if (counts) COUNTED[row + p] = row === 0 ? checked : next < 0 ? NEVER : (COUNTED[row - ROW + next] as number);
      else COUNTED[row + p] = next < 0 ? NEVER : (COUNTED[row + next] as number);
    }
  }
  let offset = -1;
  let evidenceAt = NEVER;
  let open = false;
  for (let i = 0; i < count; i++) {
    const k = CHECKED_AT[i] as number;
    if (firstBytes[b[k] as number] === 0) continue;
    if (OPEN[k] === 1) open = true;
    const at = Math.max(COUNTED[last + k] as number, FIRST_TOPIC[k] as number);
    if (at < evidenceAt) {
      evidenceAt = at;
      offset = k;
    }
  }
  return { offset, evidenceAt: offset < 0 ? -1 : evidenceAt, role, open };
}

/**
 * Detection for a direction that does not open its session: 'yes' once a chain is evidence, 'need-more'
 * while a chain with a checked packet runs to the end of fewer than SYNC_WINDOW bytes, else 'no'. Text
 * never gets 'need-more' (a topic length starts with a byte below 0x20, an acknowledgement has a
 * control-character length byte), nor do most binary streams (a PUBLISH needs a valid topic, other
 * packets their exact shape).
 */
export function detectMidStream(b: Uint8Array, dir: Direction, key: FlowKey): Detection {
  const found = searchSync(b, roleOf(dir), packetsNeeded(key), true);
  if (found.offset >= 0) return 'yes';
  return found.open && b.length < SYNC_WINDOW ? 'need-more' : 'no';
}
