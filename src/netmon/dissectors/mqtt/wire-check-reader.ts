/**
 * @module The cursor under the MQTT packet checks (wire-check.ts): bounded reads of b[0, n) that answer
 * PENDING past n (the rest has not arrived) and INVALID past the packet or property list being read,
 * variable byte integers in their shortest encoding, non-zero packet identifiers, topic text, and MQTT 5
 * property lists (allowed identifiers, none twice but user properties, a topic alias never 0).
 */

import { TopicText } from './topic-text.js';

/** the packet can never be valid here */
export const INVALID = -2;
/** valid as far as the buffer goes; the rest has not arrived */
export const PENDING = -1;

/** a 256-entry lookup table with 1 at each of `values` */
export const table = (values: Iterable<number>): Uint8Array => {
  const t = new Uint8Array(256);
  for (const v of values) t[v] = 1;
  return t;
};

// MQTT 5 property value kinds by identifier (which identifiers each packet may carry: wire-check.ts)
const U8 = 1;
const U16 = 2;
const U32 = 3;
const VARINT = 4;
const STRING = 5;
const PAIR = 6;
const PROPERTY_KIND = new Uint8Array(256);
for (const [id, kind] of [
  [0x01, U8], [0x02, U32], [0x03, STRING], [0x08, STRING], [0x09, STRING], [0x0b, VARINT], [0x11, U32],
  [0x1c, STRING], [0x1f, STRING], [0x23, U16], [0x26, PAIR],
] as const) PROPERTY_KIND[id] = kind;
export const TOPIC_ALIAS = 0x23;
export const USER_PROPERTY = 0x26;
export const SUBSCRIPTION_ID = 0x0b;

/**
 * Reads b[0, n) from `i`, never past `limit` (the end of the packet or property list being read) nor past n.
 * Each read returns its value, or INVALID or PENDING; the packet checks (PacketChecker) extend it.
 */
export abstract class WireReader {
  protected i = 0;
  protected limit = 0;
  private text: TopicText | null = null;

  constructor(
    protected readonly b: Uint8Array,
    private readonly n: number,
  ) {}

  /** an MQTT 5 property list: only identifiers `allowed`, none twice but user properties, values within the list */
  protected properties(allowed: Uint8Array, needsAlias: boolean): number {
    const length = this.varint();
    if (length < 0) return length;
    const outer = this.limit;
    const stop = this.i + length;
    if (stop > outer) return INVALID;
    this.limit = stop;
    // identifiers seen, as bits (every allowed identifier is below 64)
    let seenLow = 0;
    let seenHigh = 0;
    let alias = false;
    let r = 0;
    while (this.i < stop && r >= 0) {
      const id = this.u8();
      if (id < 0) {
        r = id;
        break;
      }
      const bit = 1 << (id & 31);
      const seen = id < 32 ? seenLow & bit : seenHigh & bit;
      if (allowed[id] === 0 || (id !== USER_PROPERTY && seen !== 0)) r = INVALID;
      else {
        if (id < 32) seenLow |= bit;
        else seenHigh |= bit;
        r = this.propertyValue(PROPERTY_KIND[id] as number);
        // a topic alias of 0 is a protocol error (MQTT 5.0, 3.3.2.3.4)
        if (id === TOPIC_ALIAS && r >= 0) {
          if (r === 0) r = INVALID;
          else alias = true;
        }
      }
    }
    this.limit = outer;
    if (r < 0) return r;
    return needsAlias && !alias ? INVALID : 0;
  }

  /** reads one value; returns it for integers (a topic alias must not be 0), 1 for others, or a status */
  private propertyValue(kind: number): number {
    switch (kind) {
      case U8: {
        const v = this.u8();
        return v < 0 ? v : 1;
      }
      case U16:
        return this.u16();
      case U32: {
        const r = this.skip(4);
        return r < 0 ? r : 1;
      }
      case VARINT: {
        const v = this.varint();
        return v === 0 ? INVALID : v;
      }
      case STRING: {
        const r = this.lengthPrefixed();
        return r < 0 ? r : 1;
      }
      case PAIR: {
        const r = this.lengthPrefixed();
        if (r < 0) return r;
        const s = this.lengthPrefixed();
        return s < 0 ? s : 1;
      }
      default:
        return INVALID;
    }
  }

  private lengthPrefixed(): number {
    const length = this.u16();
    return length < 0 ? length : this.skip(length);
  }

  protected textOf(length: number, wildcards: boolean): number {
    const a = this.i;
    const c = a + length;
    if (length === 0 || c > this.limit) return INVALID;
    if (!(this.text ??= new TopicText(this.b, this.n)).valid(a, c, wildcards)) return INVALID;
    if (c > this.n) return PENDING;
    this.i = c;
    return 0;
  }

  /** a packet identifier, never 0; `last`: it ends the packet (returns the end) */
  protected packetId(last: boolean): number {
    const id = this.u16();
    if (id < 0) return id;
    if (id === 0) return INVALID;
    return last ? this.i : id;
  }

  protected skipToEnd(): number {
    return this.skip(this.limit - this.i) < 0 ? PENDING : this.i;
  }

  private skip(k: number): number {
    if (this.i + k > this.limit) return INVALID;
    if (this.i + k > this.n) return PENDING;
    this.i += k;
    return 0;
  }

  protected u8(): number {
    if (this.i >= this.limit) return INVALID;
    if (this.i >= this.n) return PENDING;
    return this.b[this.i++] as number;
  }

  protected u16(): number {
    const hi = this.u8();
    if (hi < 0) return hi;
    const lo = this.u8();
    return lo < 0 ? lo : (hi << 8) | lo;
  }

  /** a variable byte integer in its shortest encoding (MQTT-1.5.5-1), at most 4 bytes */
  protected varint(): number {
    let value = 0;
    for (let k = 0, weight = 1; k < 4; k++, weight *= 128) {
      const c = this.u8();
      if (c < 0) return c;
      value += (c & 0x7f) * weight;
      if ((c & 0x80) === 0) return c === 0 && k > 0 ? INVALID : value;
    }
    return INVALID;
  }
}
