/**
 * @module How each direction of an MQTT flow starts: with its session's first packet (a client's CONNECT,
 * a broker's CONNACK), read from the first byte, or seen from the middle and read from the sync point
 * mid-stream.ts finds. Detection and the consumer use the same rules, so both find the same packets.
 */
import type { Detection } from '../contract.js';
import { findSyncPoint } from './mid-stream.js';
import type { StreamStart } from './stream.js';
import type { Role } from './wire-check.js';

/** CONNECT: 0x10, remaining length, then "\0\4MQTT" + level 4/5 or "\0\6MQIsdp" + level 3 */
export function opensWithConnect(b: Uint8Array): Detection {
  if (b.length === 0) return 'need-more';
  if (b[0] !== 0x10) return 'no';
  let i = 1;
  for (; i < 5; i++) {
    const c = b[i];
    if (c === undefined) return 'need-more';
    if ((c & 0x80) === 0) break;
  }
  if (i === 5) return 'no';
  const rest = b.subarray(i + 1);
  for (const [name, levels] of [['\u0000\u0004MQTT', [4, 5]], ['\u0000\u0006MQIsdp', [3]]] as const) {
    let ok = true;
    for (let k = 0; k < name.length && ok; k++) {
      if (k >= rest.length) return matchesSoFar(rest, name) ? 'need-more' : 'no';
      ok = rest[k] === name.charCodeAt(k);
    }
    if (!ok) continue;
    const level = rest[name.length];
    if (level === undefined) return 'need-more';
    return (levels as readonly number[]).includes(level) ? 'yes' : 'no';
  }
  return 'no';
}

const matchesSoFar = (rest: Uint8Array, name: string): boolean => {
  for (let k = 0; k < rest.length; k++) if (rest[k] !== name.charCodeAt(k)) return false;
  return true;
};

/** CONNACK: 0x20, a remaining length of at least 2 (MQTT 5 adds properties), acknowledge flags 0 or 1 */
function opensWithConnack(b: Uint8Array): Detection {
  if (b.length === 0) return 'need-more';
  if (b[0] !== 0x20) return 'no';
  let length = 0;
  let i = 1;
  for (let weight = 1; ; i++, weight *= 128) {
    const c = b[i];
    if (c === undefined) return 'need-more';
    length += (c & 0x7f) * weight;
    if ((c & 0x80) === 0) break;
    if (i === 4) return 'no';
  }
  const flags = b[i + 1];
  if (length < 2) return 'no';
  if (flags === undefined) return 'need-more';
  return flags <= 1 ? 'yes' : 'no';
}

/** The start rules of one direction. */
export class DirectionStart implements StreamStart {
  constructor(
    private readonly role: Role,
    private readonly needed: number,
  ) {}

  opens(b: Uint8Array): Detection {
    return this.role === 'client' ? opensWithConnect(b) : opensWithConnack(b);
  }

  syncPoint(b: Uint8Array): number {
    return findSyncPoint(b, this.role, this.needed);
  }
}
