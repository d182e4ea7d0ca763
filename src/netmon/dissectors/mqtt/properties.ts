/**
 * @module MQTT 5 property lists (OASIS MQTT 5.0, 2.2.2.2) and the encoded primitives shared by both
 * protocol versions: variable byte integers, length-prefixed UTF-8 strings and binary data. Authentication
 * data and correlation data are reduced to lengths.
 */
import type { ByteReader } from '../support/bytes.js';
import { safeUtf8 } from '../support/text.js';

export function varint(r: ByteReader, what: string): number {
  let value = 0;
  for (let i = 0; i < 4; i++) {
    const b = r.u8(what);
    value += (b & 0x7f) * 128 ** i;
    if ((b & 0x80) === 0) return value;
  }
  return r.fail('bad-varint', `${what} is longer than 4 bytes`);
}

/** 2-byte length prefix; the "<what> length" label is only built when the prefix itself is truncated */
const lengthPrefix = (r: ByteReader, what: string): number => (r.remaining >= 2 ? r.u16be() : r.u16be(`${what} length`));

/** the raw bytes of a length-prefixed string (a view) */
export const mqttStringBytes = (r: ByteReader, what: string): Uint8Array => r.take(lengthPrefix(r, what), what);
export const mqttString = (r: ByteReader, what: string, max = 256): string => safeUtf8(mqttStringBytes(r, what), max);
export const mqttBinaryLength = (r: ByteReader, what: string): number => {
  const n = lengthPrefix(r, what);
  r.skip(n, what);
  return n;
};

export interface Mqtt5Properties {
  [name: string]: string | number;
}

type Kind = 'u8' | 'u16' | 'u32' | 'varint' | 'string' | 'binary' | 'pair';

const PROPERTIES: ReadonlyMap<number, [string, Kind]> = new Map([
  [0x01, ['payloadFormatIndicator', 'u8']],
  [0x02, ['messageExpiryInterval', 'u32']],
  [0x03, ['contentType', 'string']],
  [0x08, ['responseTopic', 'string']],
  [0x09, ['correlationDataLength', 'binary']],
  [0x0b, ['subscriptionIdentifier', 'varint']],
  [0x11, ['sessionExpiryInterval', 'u32']],
  [0x12, ['assignedClientIdentifier', 'string']],
  [0x13, ['serverKeepAlive', 'u16']],
  [0x15, ['authenticationMethod', 'string']],
  [0x16, ['authenticationDataLength', 'binary']],
  [0x17, ['requestProblemInformation', 'u8']],
  [0x18, ['willDelayInterval', 'u32']],
  [0x19, ['requestResponseInformation', 'u8']],
  [0x1a, ['responseInformation', 'string']],
  [0x1c, ['serverReference', 'string']],
  [0x1f, ['reasonString', 'string']],
  [0x21, ['receiveMaximum', 'u16']],
  [0x22, ['topicAliasMaximum', 'u16']],
  [0x23, ['topicAlias', 'u16']],
  [0x24, ['maximumQoS', 'u8']],
  [0x25, ['retainAvailable', 'u8']],
  [0x26, ['userPropertyCount', 'pair']],
  [0x27, ['maximumPacketSize', 'u32']],
  [0x28, ['wildcardSubscriptionAvailable', 'u8']],
  [0x29, ['subscriptionIdentifierAvailable', 'u8']],
  [0x2a, ['sharedSubscriptionAvailable', 'u8']],
]);

export function readProperties(r: ByteReader): Mqtt5Properties {
  const props: Mqtt5Properties = {};
  const list = r.sub(varint(r, 'property length'), 'properties');
  while (list.remaining > 0) {
    const at = list.offset;
    const id = varint(list, 'property identifier');
    const spec = PROPERTIES.get(id);
    if (!spec) return list.fail('bad-property', `unknown property identifier 0x${id.toString(16)}`, at);
    const [name, kind] = spec;
    switch (kind) {
      case 'u8':
        props[name] = list.u8(name);
        break;
      case 'u16':
        props[name] = list.u16be(name);
        break;
      case 'u32':
        props[name] = list.u32be(name);
        break;
      case 'varint':
        props[name] = varint(list, name);
        break;
      case 'string':
        props[name] = mqttString(list, name);
        break;
      case 'binary':
        props[name] = mqttBinaryLength(list, name);
        break;
      case 'pair':
        mqttString(list, 'user property name');
        mqttString(list, 'user property value');
        props[name] = ((props[name] as number | undefined) ?? 0) + 1;
        break;
    }
  }
  return props;
}
