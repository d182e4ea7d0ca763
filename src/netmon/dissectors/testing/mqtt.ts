/** @module Builders for MQTT 3.1.1 / 5.0 control packets used by tests. */
import { ascii, concat, u16be } from './harness.js';

export function varint(n: number): Uint8Array {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Uint8Array.from(out);
}

export const str = (s: string) => {
  const b = ascii(s);
  return concat(u16be(b.length), b);
};
export const packet = (first: number, body: Uint8Array) => concat(Uint8Array.of(first), varint(body.length), body);

export interface ConnectOptions {
  level: 3 | 4 | 5;
  clientId: string;
  username?: string;
  password?: string;
  keepAlive?: number;
  clean?: boolean;
  will?: { topic: string; payload: string; qos: number; retain: boolean };
  /** raw MQTT 5 properties (without the length prefix) */
  properties?: Uint8Array;
}

export function connect(o: ConnectOptions): Uint8Array {
  const v5 = o.level === 5;
  let flags = o.clean === false ? 0 : 2;
  if (o.will) flags |= 4 | (o.will.qos << 3) | (o.will.retain ? 0x20 : 0);
  if (o.username !== undefined) flags |= 0x80;
  if (o.password !== undefined) flags |= 0x40;
  const props = (p?: Uint8Array) => (v5 ? concat(varint(p?.length ?? 0), p ?? new Uint8Array(0)) : new Uint8Array(0));
  const parts = [str(o.level === 3 ? 'MQIsdp' : 'MQTT'), Uint8Array.of(o.level, flags), u16be(o.keepAlive ?? 60), props(o.properties), str(o.clientId)];
  if (o.will) parts.push(props(), str(o.will.topic), str(o.will.payload));
  if (o.username !== undefined) parts.push(str(o.username));
  if (o.password !== undefined) parts.push(str(o.password));
  return packet(0x10, concat(...parts));
}

export const connack = (code: number, v5 = false) => packet(0x20, v5 ? Uint8Array.of(0, code, 0) : Uint8Array.of(0, code));

export function publish(topic: string, payload: Uint8Array, qos = 0, v5 = false): Uint8Array {
  return packet(0x30 | (qos << 1), concat(str(topic), qos > 0 ? u16be(1) : new Uint8Array(0), v5 ? Uint8Array.of(0) : new Uint8Array(0), payload));
}

export function subscribe(id: number, filters: { filter: string; qos: number }[], v5 = false): Uint8Array {
  return packet(0x82, concat(u16be(id), v5 ? Uint8Array.of(0) : new Uint8Array(0), ...filters.map((f) => concat(str(f.filter), Uint8Array.of(f.qos)))));
}

export const disconnect = () => Uint8Array.of(0xe0, 0);

/** PUBACK (4), PUBREC (5), PUBREL (6, flags 2), PUBCOMP (7); MQTT 5: a reason code and optional raw properties */
export function acknowledgement(type: 4 | 5 | 6 | 7, id: number, v5?: { reason: number; properties?: Uint8Array }): Uint8Array {
  const first = (type << 4) | (type === 6 ? 2 : 0);
  if (!v5) return packet(first, u16be(id));
  const props = v5.properties ? concat(varint(v5.properties.length), v5.properties) : new Uint8Array(0);
  return packet(first, concat(u16be(id), Uint8Array.of(v5.reason), props));
}

export const puback = (id: number, v5?: { reason: number; properties?: Uint8Array }) => acknowledgement(4, id, v5);
export const pingreq = () => Uint8Array.of(0xc0, 0);
export const pingresp = () => Uint8Array.of(0xd0, 0);

export function suback(id: number, codes: number[], v5 = false): Uint8Array {
  return packet(0x90, concat(u16be(id), v5 ? Uint8Array.of(0) : new Uint8Array(0), Uint8Array.from(codes)));
}

export function unsubscribe(id: number, filters: string[], v5 = false): Uint8Array {
  return packet(0xa2, concat(u16be(id), v5 ? Uint8Array.of(0) : new Uint8Array(0), ...filters.map(str)));
}

/** MQTT 5 PUBLISH without a topic name: the topic comes from a topic alias (property 0x23) */
export function publishByAlias(alias: number, payload: Uint8Array, qos = 0): Uint8Array {
  return packet(0x30 | (qos << 1), concat(u16be(0), qos > 0 ? u16be(1) : new Uint8Array(0), Uint8Array.of(3, 0x23), u16be(alias), payload));
}
