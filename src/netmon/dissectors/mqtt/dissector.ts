/**
 * @module MQTT 3.1/3.1.1/5.0 dissector: CONNECT (client id, credentials presence, keep-alive, clean start,
 * will), CONNACK, topics published and subscribed (first sighting per direction), and a session summary.
 * Anything this dissector can read crossed the network without TLS, which is itself a finding.
 */
import type { Direction, FlowKey, FrameMeta, ObservationSink, StreamConsumer, WireFinding } from '../../model.js';
import type { Detection, Dissector } from '../contract.js';
import { ByteReader } from '../support/bytes.js';
import { flowEmitter, senderOf, type Emit } from '../support/emitter.js';
import { DissectorError } from '../errors.js';
import {
  PACKET_TYPES,
  connackCodeName,
  flagsValid,
  parseConnack,
  parseConnect,
  parsePublishHead,
  parseSubscribe,
  protocolVersionName,
  TopicMemo,
} from './packets.js';
import { MqttStream, type MqttPacket, type PacketHandler } from './stream.js';

const ID = 'mqtt';
const VERSION = '1.0.0';
const MAX_TRACKED_TOPICS = 256;

/** CONNECT: 0x10, remaining length, then "\0\4MQTT" + level 4/5 or "\0\6MQIsdp" + level 3 */
function detect(b: Uint8Array): Detection {
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

/** One direction's packets routed to its session (an object, not a closure per direction). */
class DirectionEvents implements PacketHandler {
  constructor(
    private readonly session: MqttConsumer,
    private readonly dir: Direction,
  ) {}

  packet(p: MqttPacket, meta: FrameMeta): void {
    this.session.packet(this.dir, p, meta);
  }
}

class MqttConsumer implements StreamConsumer {
  private readonly streams: Record<Direction, MqttStream | null>;
  private v5 = false;
  private readonly topics: Record<Direction, Set<string>> = { c2s: new Set(), s2c: new Set() };
  private readonly lastTopic: Record<Direction, TopicMemo> = { c2s: new TopicMemo(), s2c: new TopicMemo() };
  private readonly publishes: Record<Direction, number> = { c2s: 0, s2c: 0 };
  private topicsOverflow = false;
  private packets = 0;
  private disconnected = false;

  constructor(
    private readonly key: FlowKey,
    private readonly emit: Emit,
  ) {
    this.streams = { c2s: new MqttStream(new DirectionEvents(this, 'c2s')), s2c: new MqttStream(new DirectionEvents(this, 's2c')) };
  }

  onData(dir: Direction, data: Uint8Array, meta: FrameMeta): void {
    this.streams[dir]?.feed(data, meta);
  }

  onGap(dir: Direction): void {
    this.streams[dir] = null;
  }

  onClose(reason: string, meta: FrameMeta): void {
    if (this.packets === 0) return;
    this.emit('mqtt.session-summary', undefined, meta, {
      publishCount: { ...this.publishes },
      distinctTopics: { c2s: this.topics.c2s.size, s2c: this.topics.s2c.size },
      topicsOverflow: this.topicsOverflow,
      disconnected: this.disconnected,
      closeReason: reason,
    });
  }

  packet(dir: Direction, p: MqttPacket, meta: FrameMeta): void {
    this.packets++;
    const { type, flags, length } = p;
    if (!flagsValid(type, flags)) throw new DissectorError('mqtt', 'bad-flags', `${PACKET_TYPES[type] ?? type} with fixed-header flags 0x${flags.toString(16)}`, p.start);
    if (type === 3 && this.repeatsSeenTopic(dir, flags, p.body)) {
      this.publishes[dir]++;
      return;
    }
    const r = new ByteReader(p.body, 'mqtt', p.bodyStart);
    if (type === 3) return this.publish(dir, flags, r, length, meta);
    if (!p.complete) {
      this.emit('mqtt.oversized-packet', dir, meta, { packetType: PACKET_TYPES[type] ?? null, length });
      return;
    }
    switch (type) {
      case 1:
        return this.connect(dir, r, meta);
      case 2: {
        const c = parseConnack(r, this.v5);
        this.emit('mqtt.connack', dir, meta, {
          sessionPresent: c.sessionPresent,
          returnCode: c.code,
          returnCodeName: connackCodeName(c.code, this.v5),
          accepted: c.code === 0,
          properties: c.properties,
        });
        return;
      }
      case 8:
      case 10: {
        const s = parseSubscribe(r, this.v5, type === 10);
        this.emit(type === 8 ? 'mqtt.subscribe' : 'mqtt.unsubscribe', dir, meta, { packetId: s.packetId, topics: s.topics, topicCount: s.topicCount });
        return;
      }
      case 14:
        this.disconnected = true;
        return;
      default:
        return;
    }
  }

  private connect(dir: Direction, r: ByteReader, meta: FrameMeta): void {
    const c = parseConnect(r);
    this.v5 = c.protocolLevel === 5;
    const findings: WireFinding[] = [
      { code: 'mqtt.no-tls', severity: 'medium', message: `MQTT client ${senderOf(this.key, dir)} connects without TLS` },
    ];
    if (c.passwordLength !== null) {
      findings.push({
        code: 'mqtt.cleartext-credentials',
        severity: 'high',
        message: `MQTT CONNECT sends ${c.username === null ? 'a password' : `user "${c.username}" and a password`} (${c.passwordLength} bytes) in cleartext`,
      });
    } else if (c.username !== null) {
      findings.push({ code: 'mqtt.cleartext-credentials', severity: 'medium', message: `MQTT CONNECT sends user "${c.username}" in cleartext` });
    }
    this.emit(
      'mqtt.connect',
      dir,
      meta,
      {
        protocolName: c.protocolName,
        protocolLevel: c.protocolLevel,
        protocolVersion: protocolVersionName(c.protocolLevel),
        clientId: c.clientId,
        cleanStart: c.cleanStart,
        keepAlive: c.keepAlive,
        usernamePresent: c.username !== null,
        username: c.username,
        passwordPresent: c.passwordLength !== null,
        passwordLength: c.passwordLength ?? 0,
        will: c.will,
        properties: c.properties,
      },
      findings,
    );
  }

  /**
   * A 3.1/3.1.1 PUBLISH whose topic is the one this direction published last and already reported:
   * it would only be counted, so it is counted without a reader or a parse (most PUBLISH packets of
   * a device repeat one topic). What the full parse would reject (QoS 3, a body too short for the
   * topic and packet id) takes the full parse; MQTT 5 always does, its properties are checked there.
   */
  private repeatsSeenTopic(dir: Direction, flags: number, body: Uint8Array): boolean {
    const qos = (flags >> 1) & 3;
    if (this.v5 || qos === 3 || body.length < 2) return false;
    const end = 2 + (((body[0] as number) << 8) | (body[1] as number));
    if (body.length < end + (qos > 0 ? 2 : 0)) return false;
    const topic = this.lastTopic[dir].repeated(body, 2, end);
    return topic !== undefined && this.topics[dir].has(topic);
  }

  private publish(dir: Direction, flags: number, r: ByteReader, length: number, meta: FrameMeta): void {
    this.publishes[dir]++;
    const head = parsePublishHead(r, flags, this.v5, this.lastTopic[dir]);
    const seen = this.topics[dir];
    if (seen.has(head.topic)) return;
    if (seen.size >= MAX_TRACKED_TOPICS) {
      this.topicsOverflow = true;
      return;
    }
    seen.add(head.topic);
    this.emit('mqtt.publish', dir, meta, {
      topic: head.topic,
      qos: head.qos,
      retain: head.retain,
      payloadLength: length - r.position,
      firstSighting: true,
    });
  }
}

export const mqttDissector: Dissector = {
  id: ID,
  version: VERSION,
  transport: 'tcp',
  defaultPorts: [1883],
  detect,
  create(key: FlowKey, emit: ObservationSink): StreamConsumer {
    return new MqttConsumer(key, flowEmitter({ id: ID, version: VERSION }, key, emit));
  },
};
