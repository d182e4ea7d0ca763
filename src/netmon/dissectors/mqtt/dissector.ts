/**
 * @module MQTT 3.1/3.1.1/5.0 dissector: CONNECT (client id, credentials presence, keep-alive, clean start,
 * will), CONNACK, topics published and subscribed (first sighting per direction), and a session summary.
 * Anything this dissector can read crossed the network without TLS, which is itself a finding. Sessions
 * seen from the middle (no CONNECT: a monitor started on a live network) are recognised and read from the
 * first packet boundary mid-stream.ts can prove; on port 1883 also when that lies past the first 4 KiB of
 * a direction (late sync, contract.ts). After a gap a direction reads on from the next packet boundary
 * mid-stream.ts can prove (support/gap-resync.ts).
 */
import type { Direction, FlowKey, FrameMeta, ObservationSink, StreamConsumer, WireFinding } from '../../model.js';
import type { ConsumerOptions, Dissector, LateSyncOptions } from '../contract.js';
import { ByteReader } from '../support/bytes.js';
import { flowEmitter, senderOf, type Emit } from '../support/emitter.js';
import { DEFAULT_RESYNC_SCAN_LIMIT, DirectionGaps, flushBoth, gapSummary, streamAfterGap } from '../support/gap-resync.js';
import { contentChosenScan, LateSyncFlow, type ScanningConsumer } from '../support/late-sync.js';
import type { ScanProgress, SlidingScan } from '../support/stream-start.js';
import { DissectorError } from '../errors.js';
import { detect, DirectionEvents, type PacketOwner } from './consumer-directions.js';
import { LATE_SYNC_OVERLAP, MQTT_PORT, packetsNeeded } from './mid-stream.js';
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
  type SubscribePacket,
} from './packets.js';
import { addCredentialFindings, connectFields, onlyInMqtt5 } from './session-observations.js';
import { DirectionStart } from './stream-start.js';
import { MqttStream, type MqttPacket } from './stream.js';

const ID = 'mqtt';
// 1.1: sessions seen from the middle (no CONNECT) are read from a proven packet boundary
// 1.2: late sync on 1883 (a boundary past the first 4 KiB): `lateSync` fields, mqtt.late-sync-given-up;
//      on 1883 a direction of a session content chose also keeps looking past its first 4 KiB
// 1.3: after a gap a direction reads on from the next packet boundary (`resyncedAfterGap`/`afterGap`,
//      mqtt.resync-given-up, summary `gapResync`)
const VERSION = '1.3.0';
const MAX_TRACKED_TOPICS = 256;

class MqttConsumer implements ScanningConsumer, PacketOwner {
  private readonly streams: Record<Direction, MqttStream>;
  /** each direction's emitter: the flow's, or after a resync one that marks its observations (gap-resync.ts) */
  private readonly emits: Record<Direction, Emit>;
  /** gaps met per direction, from the first one */
  private readonly gaps: Record<Direction, DirectionGaps | null> = { c2s: null, s2c: null };
  private v5 = false;
  private readonly topics: Record<Direction, Set<string>> = { c2s: new Set(), s2c: new Set() };
  private readonly lastTopic: Record<Direction, TopicMemo> = { c2s: new TopicMemo(), s2c: new TopicMemo() };
  private readonly publishes: Record<Direction, number> = { c2s: 0, s2c: 0 };
  private topicsOverflow = false;
  private packets = 0;
  private disconnected = false;
  /** the protocol level from CONNECT, null without one */
  private level: number | null = null;
  /** a direction was read from a sync point (the session was seen from the middle) */
  private midStream = false;
  /** the no-tls finding was attached to an observation (once per flow) */
  private noTlsReported = false;
  /** bytes of a direction not read as packets before its first one, kept when a gap replaces its stream */
  private readonly skipped: Record<Direction, number> = { c2s: 0, s2c: 0 };

  /**
   * `scan`: each direction keeps looking for its sync point past the first window (late sync);
   * `resyncLimit`: bytes after a gap looked at for the next sync point
   */
  constructor(
    private readonly key: FlowKey,
    private readonly emit: Emit,
    scan: SlidingScan | undefined,
    private readonly resyncLimit: number,
  ) {
    this.emits = { c2s: emit, s2c: emit };
    const needed = packetsNeeded(key);
    this.streams = {
      c2s: new MqttStream(new DirectionEvents(this, 'c2s'), new DirectionStart('client', needed), scan),
      s2c: new MqttStream(new DirectionEvents(this, 's2c'), new DirectionStart('server', needed), scan),
    };
  }

  scanOf(dir: Direction): ScanProgress {
    return this.streams[dir].scan;
  }

  sinceGap(dir: Direction): boolean {
    return this.gaps[dir]?.sinceGap === true;
  }

  /** reads a start a deferred search finds in bytes it has not looked at yet (before a gap or the end) */
  flush(dir: Direction, meta: FrameMeta): void {
    this.streams[dir].flush(meta);
  }

  onData(dir: Direction, data: Uint8Array, meta: FrameMeta): void {
    this.streams[dir].feed(data, meta);
  }

  /**
   * Bytes of `dir` were lost. A direction being read lost its packet boundaries: the packet in progress
   * is dropped (a PUBLISH cut by the gap is neither counted nor reported), and the bytes after the gap
   * are looked at for the next chain of packets the mid-stream rules prove. A direction still looking
   * for its start keeps looking past the gap.
   */
  onGap(dir: Direction, length: number, meta: FrameMeta): void {
    const s = this.streams[dir];
    const gaps = (this.gaps[dir] ??= new DirectionGaps(ID, dir, this.resyncLimit));
    const firstLoss = !gaps.sinceGap;
    const next = streamAfterGap(s, gaps, length, meta, LATE_SYNC_OVERLAP, this.resyncLimit);
    // the bytes before the first sync point belong to the stream the first loss ended
    if (next !== s && firstLoss) this.skipped[dir] = s.skippedBytes;
    this.streams[dir] = next;
  }

  onClose(reason: string, meta: FrameMeta): void {
    const failure = flushBoth((dir) => this.flush(dir, meta));
    this.summarise(reason, meta);
    if (failure !== undefined) throw failure.error;
  }

  private summarise(reason: string, meta: FrameMeta): void {
    if (this.packets === 0 && !this.midStream) return;
    for (const dir of ['c2s', 's2c'] as const) if (this.gaps[dir]?.sinceGap !== true) this.skipped[dir] = this.streams[dir].skippedBytes;
    this.report('mqtt.session-summary', undefined, meta, {
      publishCount: { ...this.publishes },
      distinctTopics: { c2s: this.topics.c2s.size, s2c: this.topics.s2c.size },
      topicsOverflow: this.topicsOverflow,
      disconnected: this.disconnected,
      closeReason: reason,
      sawConnect: this.level !== null,
      midStream: this.midStream,
      protocolVersion: this.level !== null ? protocolVersionName(this.level) : this.v5 ? '5.0' : null,
      skippedBytes: { ...this.skipped },
      // added in 1.3.0
      gapResync: gapSummary(this.gaps),
    });
  }

  synced(dir: Direction, offset: number, _meta: FrameMeta): void {
    const gaps = this.gaps[dir];
    if (gaps === null || !gaps.synced(offset)) {
      this.midStream = true;
      this.skipped[dir] = offset;
      return;
    }
    if (this.emits[dir] === this.emit) this.emits[dir] = gaps.marked(this.emit);
  }

  lost(dir: Direction, meta: FrameMeta): void {
    this.gaps[dir]?.lost(this.emit, meta);
  }

  /**
   * Emits through the flow emitter. Anything readable crossed the network without TLS: CONNECT says so,
   * and in a session without one (seen from the middle, or only its broker side) the first observation
   * does, since a live session may run for weeks before the summary at its close.
   */
  private report(kind: string, dir: Direction | undefined, meta: FrameMeta, fields: Record<string, unknown>): void {
    const emit = dir === undefined ? this.emit : this.emits[dir];
    if (this.noTlsReported) return emit(kind, dir, meta, fields);
    this.noTlsReported = true;
    const seen = this.midStream ? ' (seen from the middle, without its CONNECT)' : ' (without its CONNECT)';
    emit(kind, dir, meta, fields, [
      { code: 'mqtt.no-tls', severity: 'medium', message: `MQTT session of client ${senderOf(this.key, 'c2s')} with broker ${senderOf(this.key, 's2c')} runs without TLS${seen}` },
    ]);
  }

  packet(dir: Direction, p: MqttPacket, meta: FrameMeta): void {
    this.packets++;
    const { type, flags, length } = p;
    if (!flagsValid(type, flags)) throw new DissectorError('mqtt', 'bad-flags', `${PACKET_TYPES[type] ?? type} with fixed-header flags 0x${flags.toString(16)}`, p.start);
    if (!this.v5 && this.level === null && onlyInMqtt5(p)) this.v5 = true;
    if (type === 3 && this.repeatsSeenTopic(dir, flags, p.body)) {
      this.publishes[dir]++;
      return;
    }
    const r = new ByteReader(p.body, 'mqtt', p.bodyStart);
    if (type === 3) return this.publish(dir, flags, r, length, meta);
    if (!p.complete) {
      this.report('mqtt.oversized-packet', dir, meta, { packetType: PACKET_TYPES[type] ?? null, length });
      return;
    }
    switch (type) {
      case 1:
        return this.connect(dir, r, meta);
      case 2: {
        const c = parseConnack(r, this.v5);
        this.report('mqtt.connack', dir, meta, {
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
        const s = this.subscription(p, r, type === 10);
        this.report(type === 8 ? 'mqtt.subscribe' : 'mqtt.unsubscribe', dir, meta, { packetId: s.packetId, topics: s.topics, topicCount: s.topicCount });
        return;
      }
      case 14:
        this.disconnected = true;
        return;
      default:
        return;
    }
  }

  /**
   * Without CONNECT the level is unknown: a SUBSCRIBE/UNSUBSCRIBE that only parses as MQTT 5 (properties
   * before the filters; the 3.1.1 reading runs off its end) tells it.
   */
  private subscription(p: MqttPacket, r: ByteReader, unsubscribe: boolean): SubscribePacket {
    if (this.v5 || this.level !== null) return parseSubscribe(r, this.v5, unsubscribe);
    try {
      return parseSubscribe(r, false, unsubscribe);
    } catch (e) {
      if (!(e instanceof DissectorError)) throw e;
      let s: SubscribePacket;
      try {
        s = parseSubscribe(new ByteReader(p.body, 'mqtt', p.bodyStart), true, unsubscribe);
      } catch {
        throw e;
      }
      this.v5 = true;
      return s;
    }
  }

  private connect(dir: Direction, r: ByteReader, meta: FrameMeta): void {
    const c = parseConnect(r);
    this.v5 = c.protocolLevel === 5;
    this.level = c.protocolLevel;
    const findings: WireFinding[] = [];
    if (!this.noTlsReported) findings.push({ code: 'mqtt.no-tls', severity: 'medium', message: `MQTT client ${senderOf(this.key, dir)} connects without TLS` });
    this.noTlsReported = true;
    addCredentialFindings(findings, c);
    this.emits[dir]('mqtt.connect', dir, meta, connectFields(c), findings);
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
    this.report('mqtt.publish', dir, meta, {
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
  create(key: FlowKey, emit: ObservationSink, options?: ConsumerOptions): StreamConsumer {
    const scan = contentChosenScan(key.server.port, [MQTT_PORT], LATE_SYNC_OVERLAP);
    return new MqttConsumer(key, flowEmitter({ id: ID, version: VERSION }, key, emit), scan, options?.resyncScanLimit ?? DEFAULT_RESYNC_SCAN_LIMIT);
  },
  lateSync: {
    ports: [MQTT_PORT],
    create(key: FlowKey, emit: ObservationSink, options: LateSyncOptions) {
      const scan = { overlap: LATE_SYNC_OVERLAP, scanLimit: options.scanLimit };
      const resyncLimit = options.resyncScanLimit ?? DEFAULT_RESYNC_SCAN_LIMIT;
      return new LateSyncFlow(ID, flowEmitter({ id: ID, version: VERSION }, key, emit), scan, (stamped, sliding) => new MqttConsumer(key, stamped, sliding, resyncLimit));
    },
  },
};
