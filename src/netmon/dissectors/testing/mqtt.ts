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
