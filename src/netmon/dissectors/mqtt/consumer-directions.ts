/**
 * @module How an MQTT flow's directions are recognised and routed: the dissector's detect (a client
 * opening its session with CONNECT, or a stream seen from the middle, mid-stream.ts) and the handler
 * routing one direction's packets to its session (MqttConsumer, dissector.ts).
 */
import type { Direction, FlowKey, FrameMeta } from '../../model.js';
import type { Detection } from '../contract.js';
import { detectMidStream } from './mid-stream.js';
import { opensWithConnect } from './stream-start.js';
import type { MqttPacket, PacketHandler } from './stream.js';

/** What a direction's packet handler needs of its session (MqttConsumer). */
export interface PacketOwner {
  packet(dir: Direction, p: MqttPacket, meta: FrameMeta): void;
  synced(dir: Direction, offset: number, meta: FrameMeta): void;
  lost(dir: Direction, meta: FrameMeta): void;
}

/**
 * A client direction opening its session, read from its first byte; any other stream is looked at as one
 * seen from the middle (mid-stream.ts).
 */
export function detect(b: Uint8Array, dir: Direction, key: FlowKey): Detection {
  if (dir === 'c2s') {
    const opening = opensWithConnect(b);
    if (opening !== 'no') return opening;
  }
  return b.length === 0 ? 'need-more' : detectMidStream(b, dir, key);
}

/** One direction's packets routed to its session (an object, not a closure per direction). */
export class DirectionEvents implements PacketHandler {
  constructor(
    private readonly session: PacketOwner,
    private readonly dir: Direction,
  ) {}

  packet(p: MqttPacket, meta: FrameMeta): void {
    this.session.packet(this.dir, p, meta);
  }

  synced(offset: number, meta: FrameMeta): void {
    this.session.synced(this.dir, offset, meta);
  }

  lost(meta: FrameMeta): void {
    this.session.lost(this.dir, meta);
  }
}
