/**
 * @module Shape checks of one MQTT control packet at an offset of a buffer, used to find where packets
 * start in a stream seen from the middle (mid-stream.ts). Strict on purpose, since the bytes before the
 * answer may be anything: fixed-header flags the standard requires, minimal remaining-length encoding,
 * non-zero packet identifiers, the exact sizes of 3.1.1 acknowledgements or well-formed MQTT 5 reason
 * codes and property lists, and topics that are UTF-8 without control characters. A check never reads
 * past the end of the buffer: a packet cut by it is PENDING while what is there is valid. This file holds
 * what each side may send (FIRST_BYTES) and the check of each packet type; the bounded reads under them,
 * MQTT 5 property lists included, are wire-check-reader.ts.
 */

import { MAX_TEXT_BYTES } from './topic-text.js';
import * as reader from './wire-check-reader.js';

export type Role = 'client' | 'server';

// local copies: the checks return them per packet (a transpiled import can be a getter call)
/** the packet can never be valid here */
export const INVALID = reader.INVALID;
/** valid as far as the buffer goes; the rest has not arrived */
export const PENDING = reader.PENDING;

const table = reader.table;

/** PUBLISH first bytes: QoS 0-2, retain either way, DUP only with QoS 1 or 2 (MQTT-3.3.1-2) */
const PUBLISH_FIRST = [0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x3a, 0x3b, 0x3c, 0x3d];
const ACKS_FIRST = [0x40, 0x50, 0x62, 0x70];
const CLIENT_ONLY = [0x82, 0xa2, 0xc0];
const SERVER_ONLY = [0x90, 0xb0, 0xd0];
/** what each side sends on an established session: no CONNECT/CONNACK, no AUTH (re-authentication is rare) */
export const FIRST_BYTES: Record<Role, Uint8Array> = {
  client: table([...PUBLISH_FIRST, ...ACKS_FIRST, ...CLIENT_ONLY, 0xe0]),
  server: table([...PUBLISH_FIRST, ...ACKS_FIRST, ...SERVER_ONLY, 0xe0]),
};
export const PUBLISH_FIRST_BYTE = table(PUBLISH_FIRST);
/** either side's: a packet's shape does not depend on who sent it, only whether that side may send it */
export const ANY_FIRST_BYTE = table([...PUBLISH_FIRST, ...ACKS_FIRST, ...CLIENT_ONLY, ...SERVER_ONLY, 0xe0]);

// MQTT 5 reason codes each packet may carry (OASIS MQTT 5.0, 2.4)
const PUBACK_CODES = table([0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99]);
const PUBREL_CODES = table([0x00, 0x92]);
const SUBACK_V3_CODES = table([0x00, 0x01, 0x02, 0x80]);
const SUBACK_CODES = table([0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8f, 0x91, 0x97, 0x9e, 0xa1, 0xa2]);
const UNSUBACK_CODES = table([0x00, 0x11, 0x80, 0x83, 0x87, 0x8f, 0x91]);
const DISCONNECT_CODES = table([0x00, 0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x89, 0x8b, 0x8d, 0x8e, 0x8f, 0x90, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f, 0xa0, 0xa1, 0xa2]);

// which MQTT 5 property identifiers each packet may carry
const TOPIC_ALIAS = reader.TOPIC_ALIAS;
const USER_PROPERTY = reader.USER_PROPERTY;
const SUBSCRIPTION_ID = reader.SUBSCRIPTION_ID;
const PUBLISH_PROPS = table([0x01, 0x02, 0x03, 0x08, 0x09, SUBSCRIPTION_ID, TOPIC_ALIAS, USER_PROPERTY]);
const ACK_PROPS = table([0x1f, USER_PROPERTY]);
const SUBSCRIBE_PROPS = table([SUBSCRIPTION_ID, USER_PROPERTY]);
const UNSUBSCRIBE_PROPS = table([USER_PROPERTY]);
const DISCONNECT_PROPS = table([0x11, 0x1c, 0x1f, USER_PROPERTY]);

/** SUBSCRIBE filters and SUBACK codes looked at per packet: the rest only has to be there */
const MAX_ENTRIES_CHECKED = 32;

export const MAX_CHECKED_BYTES = MAX_TEXT_BYTES;

/**
 * Checks packets in b[0, n), n <= MAX_CHECKED_BYTES (the text index's size). `at(p)` answers INVALID,
 * PENDING or the offset where the packet's checks end (its end; for PUBLISH the end of topic and packet
 * id, since the payload is opaque) and sets `end`, `namedTopic`, `counts` and `terminal` for that packet. Whether
 * the side that sent it may send it is the caller's question (FIRST_BYTES).
 */
export class PacketChecker extends reader.WireReader {
  /** offset after the packet (may be past n) */
  end = 0;
  /** a PUBLISH with a topic name (the evidence a chain needs) */
  namedTopic = false;
  /**
   * the packet has shape enough to be evidence: not a PINGREQ, PINGRESP or DISCONNECT, whose two bytes
   * (0xc0 0x00 ...) are common in any binary data
   */
  counts = false;
  /** a DISCONNECT: nothing may follow it */
  terminal = false;

  at(p: number): number {
    const first = this.b[p] as number;
    if (ANY_FIRST_BYTE[first] === 0) return INVALID;
    this.i = p + 1;
    // the remaining length may run to the end of the buffer, where it is pending
    this.limit = Number.MAX_SAFE_INTEGER;
    const length = this.varint();
    if (length < 0) return length;
    this.limit = this.end = this.i + length;
    this.namedTopic = false;
    this.terminal = false;
    this.counts = first < 0xc0;
    switch (first >> 4) {
      case 3:
        return this.publish((first >> 1) & 3);
      case 4:
      case 5:
        return this.acknowledgement(length, PUBACK_CODES);
      case 6:
      case 7:
        return this.acknowledgement(length, PUBREL_CODES);
      case 8:
        return this.subscribe(false);
      case 10:
        return this.subscribe(true);
      case 9:
        return this.suback();
      case 11:
        return length === 2 ? this.packetId(true) : this.unsuback();
      case 12:
      case 13:
        return length === 0 ? this.end : INVALID;
      case 14:
        this.terminal = true;
        return this.disconnect(length);
      default:
        return INVALID;
    }
  }

  private publish(qos: number): number {
    const topicLength = this.u16();
    if (topicLength < 0) return topicLength;
    if (topicLength === 0) {
      // only MQTT 5 has an empty topic: the name comes from a topic alias (3.1.1 topics are never empty)
      if (qos > 0) {
        const id = this.packetId(false);
        if (id < 0) return id;
      }
      const r = this.properties(PUBLISH_PROPS, true);
      return r < 0 ? r : this.i;
    }
    const t = this.textOf(topicLength, false);
    if (t < 0) return t;
    if (qos > 0) {
      const id = this.packetId(false);
      if (id < 0) return id;
    }
    this.namedTopic = true;
    return this.i;
  }

  /** PUBACK, PUBREC, PUBREL, PUBCOMP: 3.1.1 is exactly a packet id, MQTT 5 may add a reason code and properties */
  private acknowledgement(length: number, codes: Uint8Array): number {
    if (length < 2) return INVALID;
    const id = this.packetId(true);
    if (id < 0 || length === 2) return id;
    const code = this.u8();
    if (code < 0) return code;
    if (codes[code] === 0) return INVALID;
    if (length === 3) return this.i;
    return this.finalProperties(ACK_PROPS);
  }

  /** SUBSCRIBE / UNSUBSCRIBE, as 3.1.1 or as MQTT 5 (properties before the filters) */
  private subscribe(unsubscribe: boolean): number {
    const id = this.packetId(false);
    if (id < 0) return id;
    const from = this.i;
    const v3 = this.filters(unsubscribe, false);
    if (v3 >= 0) return v3;
    this.i = from;
    let v5 = this.properties(unsubscribe ? UNSUBSCRIBE_PROPS : SUBSCRIBE_PROPS, false);
    if (v5 >= 0) v5 = this.filters(unsubscribe, true);
    if (v5 >= 0) return v5;
    return v3 === PENDING || v5 === PENDING ? PENDING : INVALID;
  }

  private filters(unsubscribe: boolean, v5: boolean): number {
    for (let count = 0; this.i < this.limit || count === 0; count++) {
      if (count === MAX_ENTRIES_CHECKED) return this.skipToEnd();
      const length = this.u16();
      if (length < 0) return length;
      const t = this.textOf(length, true);
      if (t < 0) return t;
      if (unsubscribe) continue;
      const options = this.u8();
      if (options < 0) return options;
      // 3.1.1: QoS only; MQTT 5: QoS, no-local, retain-as-published, retain handling 0-2, bits 6-7 reserved
      if (v5 ? (options & 0xc0) !== 0 || (options & 3) === 3 || (options & 0x30) === 0x30 : options > 2) return INVALID;
    }
    return this.i;
  }

  /** 3.1.1: return codes only; MQTT 5: properties, then reason codes */
  private suback(): number {
    const id = this.packetId(false);
    if (id < 0) return id;
    const from = this.i;
    const v3 = this.codes(SUBACK_V3_CODES);
    if (v3 >= 0) return v3;
    this.i = from;
    let v5 = this.properties(ACK_PROPS, false);
    if (v5 >= 0) v5 = this.codes(SUBACK_CODES);
    if (v5 >= 0) return v5;
    return v3 === PENDING || v5 === PENDING ? PENDING : INVALID;
  }

  /** MQTT 5 UNSUBACK (3.1.1's is a bare packet id) */
  private unsuback(): number {
    const id = this.packetId(false);
    if (id < 0) return id;
    const r = this.properties(ACK_PROPS, false);
    return r < 0 ? r : this.codes(UNSUBACK_CODES);
  }

  private codes(allowed: Uint8Array): number {
    for (let count = 0; this.i < this.limit || count === 0; count++) {
      if (count === MAX_ENTRIES_CHECKED) return this.skipToEnd();
      const code = this.u8();
      if (code < 0) return code;
      if (allowed[code] === 0) return INVALID;
    }
    return this.i;
  }

  private disconnect(length: number): number {
    if (length === 0) return this.end;
    const code = this.u8();
    if (code < 0) return code;
    if (DISCONNECT_CODES[code] === 0) return INVALID;
    return length === 1 ? this.i : this.finalProperties(DISCONNECT_PROPS);
  }

  /** a property list that must end the packet */
  private finalProperties(allowed: Uint8Array): number {
    const r = this.properties(allowed, false);
    if (r < 0) return r;
    return this.i === this.limit ? this.i : INVALID;
  }
}
