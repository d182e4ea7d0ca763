/**
 * @module Parses MQTT 3.1, 3.1.1 and 5.0 control packet bodies (variable header + payload) that matter to a
 * monitor: CONNECT, CONNACK, PUBLISH (topic only), SUBSCRIBE/UNSUBSCRIBE, DISCONNECT. Passwords and will
 * payloads are reduced to lengths.
 */
import type { ByteReader } from '../support/bytes.js';
import { safeUtf8 } from '../support/text.js';
import { mqttBinaryLength, mqttString, mqttStringBytes, readProperties, type Mqtt5Properties } from './properties.js';

export const PACKET_TYPES = ['reserved', 'CONNECT', 'CONNACK', 'PUBLISH', 'PUBACK', 'PUBREC', 'PUBREL', 'PUBCOMP', 'SUBSCRIBE', 'SUBACK', 'UNSUBSCRIBE', 'UNSUBACK', 'PINGREQ', 'PINGRESP', 'DISCONNECT', 'AUTH'] as const;

const MAX_TOPICS_PER_PACKET = 64;

export interface ConnectPacket {
  protocolName: string;
  protocolLevel: number;
  cleanStart: boolean;
  keepAlive: number;
  clientId: string;
  will: { topic: string; qos: number; retain: boolean; payloadLength: number } | null;
  username: string | null;
  passwordLength: number | null;
  properties: Mqtt5Properties | null;
}

export function parseConnect(r: ByteReader): ConnectPacket {
  const protocolName = mqttString(r, 'protocol name', 16);
  if (protocolName !== 'MQTT' && protocolName !== 'MQIsdp') r.fail('bad-protocol-name', `protocol name "${protocolName}" is not MQTT`);
  const protocolLevel = r.u8('protocol level');
  const flagsAt = r.offset;
  const flags = r.u8('connect flags');
  if (flags & 0x01) r.fail('bad-flags', 'reserved connect flag is set', flagsAt);
  const willFlag = (flags & 0x04) !== 0;
  const willQos = (flags >> 3) & 3;
  if (willQos === 3 || (!willFlag && (willQos !== 0 || flags & 0x20))) r.fail('bad-flags', 'invalid will QoS/retain flags', flagsAt);
  const keepAlive = r.u16be('keep alive');
  const v5 = protocolLevel === 5;
  const properties = v5 ? readProperties(r) : null;
  const clientId = mqttString(r, 'client identifier');
  let will: ConnectPacket['will'] = null;
  if (willFlag) {
    if (v5) readProperties(r);
    const topic = mqttString(r, 'will topic');
    will = { topic, qos: willQos, retain: (flags & 0x20) !== 0, payloadLength: mqttBinaryLength(r, 'will payload') };
  }
  const username = flags & 0x80 ? mqttString(r, 'user name') : null;
  const passwordLength = flags & 0x40 ? mqttBinaryLength(r, 'password') : null;
  return { protocolName, protocolLevel, cleanStart: (flags & 0x02) !== 0, keepAlive, clientId, will, username, passwordLength, properties };
}

export interface ConnackPacket {
  sessionPresent: boolean;
  code: number;
  properties: Mqtt5Properties | null;
}

export function parseConnack(r: ByteReader, v5: boolean): ConnackPacket {
  const sessionPresent = (r.u8('acknowledge flags') & 1) === 1;
  const code = r.u8('return code');
  return { sessionPresent, code, properties: v5 && r.remaining > 0 ? readProperties(r) : null };
}

const V3_RETURN_CODES = ['accepted', 'unacceptable protocol version', 'identifier rejected', 'server unavailable', 'bad user name or password', 'not authorized'];
const V5_REASON_CODES: Record<number, string> = {
  0x00: 'success', 0x80: 'unspecified error', 0x81: 'malformed packet', 0x82: 'protocol error', 0x83: 'implementation specific error',
  0x84: 'unsupported protocol version', 0x85: 'client identifier not valid', 0x86: 'bad user name or password', 0x87: 'not authorized',
  0x88: 'server unavailable', 0x89: 'server busy', 0x8a: 'banned', 0x8c: 'bad authentication method', 0x90: 'topic name invalid',
  0x95: 'packet too large', 0x97: 'quota exceeded', 0x99: 'payload format invalid', 0x9a: 'retain not supported', 0x9b: 'QoS not supported',
  0x9c: 'use another server', 0x9d: 'server moved', 0x9f: 'connection rate exceeded',
};

export const connackCodeName = (code: number, v5: boolean): string =>
  (v5 ? V5_REASON_CODES[code] : V3_RETURN_CODES[code]) ?? `reserved-0x${code.toString(16)}`;

export interface PublishHead {
  topic: string;
  qos: number;
  retain: boolean;
  dup: boolean;
  packetId: number | null;
  properties: Mqtt5Properties | null;
}

const NO_BYTES = new Uint8Array(0);

/**
 * The text of the last topic seen and its bytes: a session usually publishes to one topic over and over, so
 * comparing bytes spares decoding and cleaning the same string per PUBLISH.
 */
export class TopicMemo {
  private lastBytes = NO_BYTES;
  private lastText = '';

  text(raw: Uint8Array): string {
    if (!sameBytes(raw, this.lastBytes)) {
      this.lastText = safeUtf8(raw);
      this.lastBytes = raw.slice();
    }
    return this.lastText;
  }

  /** The topic's text if b[start, end) are the bytes of the last topic read, else undefined. */
  repeated(b: Uint8Array, start: number, end: number): string | undefined {
    const last = this.lastBytes;
    if (end - start !== last.length || last === NO_BYTES) return undefined;
    for (let i = 0; i < last.length; i++) if (b[start + i] !== last[i]) return undefined;
    return this.lastText;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** `r` may hold only a prefix of the packet: the payload is never needed */
export function parsePublishHead(r: ByteReader, flags: number, v5: boolean, memo?: TopicMemo): PublishHead {
  const qos = (flags >> 1) & 3;
  if (qos === 3) r.fail('bad-flags', 'PUBLISH with QoS 3');
  const raw = mqttStringBytes(r, 'topic name');
  const topic = memo ? memo.text(raw) : safeUtf8(raw);
  const packetId = qos > 0 ? r.u16be('packet identifier') : null;
  const properties = v5 ? readProperties(r) : null;
  return { topic, qos, retain: (flags & 1) === 1, dup: (flags & 8) === 8, packetId, properties };
}

export interface SubscribePacket {
  packetId: number;
  topics: { filter: string; qos: number }[];
  topicCount: number;
}

export function parseSubscribe(r: ByteReader, v5: boolean, unsubscribe: boolean): SubscribePacket {
  const packetId = r.u16be('packet identifier');
  if (v5) readProperties(r);
  const topics: SubscribePacket['topics'] = [];
  let topicCount = 0;
  while (r.remaining > 0) {
    const filter = mqttString(r, 'topic filter');
    const qos = unsubscribe ? 0 : r.u8('subscription options') & 3;
    if (topics.length < MAX_TOPICS_PER_PACKET) topics.push({ filter, qos });
    topicCount++;
  }
  if (topicCount === 0) r.fail('bad-subscribe', `${unsubscribe ? 'UNSUBSCRIBE' : 'SUBSCRIBE'} without topic filters`);
  return { packetId, topics, topicCount };
}

/** Fixed-header flags that MQTT requires for each packet type (3.1.1 table 2.2); PUBLISH flags vary. */
export function flagsValid(type: number, flags: number): boolean {
  if (type === 3) return true;
  return flags === (type === 6 || type === 8 || type === 10 ? 2 : 0);
}

export function protocolVersionName(level: number): string {
  return level === 3 ? '3.1' : level === 4 ? '3.1.1' : level === 5 ? '5.0' : `unknown-${level}`;
}

