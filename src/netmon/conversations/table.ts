/**
 * @module Conversations: finished flows folded by (client, server, server port, transport,
 * protocol), the unit the communication map and flow summaries show. Bounded: past `maxEntries`
 * new conversations are counted as dropped (with their bytes), never kept, so memory does not grow
 * with capture size; existing ones keep accumulating.
 */
import type { FlowSummary, Micros } from '../model.js';

export interface Conversation {
  client: string;
  server: string;
  port: number;
  transport: 'tcp' | 'udp';
  /** application protocol the dissectors recognised ('dicom', 'hl7', 'tls', ...) or 'unknown' */
  protocol: string;
  flows: number;
  packets: number;
  bytes: number;
  /** ISO-8601 of the first and last packet */
  firstSeen: string;
  lastSeen: string;
  /** capture frame of the first flow, for evidence */
  firstFrame: number;
}

export const DEFAULT_MAX_CONVERSATIONS = 200_000;

interface Entry {
  c: Conversation;
  first: Micros;
  last: Micros;
}

const iso = (ts: Micros): string => new Date(Math.floor(ts / 1000)).toISOString();

export class ConversationTable {
  private readonly entries = new Map<string, Entry>();
  droppedFlows = 0;
  droppedBytes = 0;

  constructor(private readonly maxEntries = DEFAULT_MAX_CONVERSATIONS) {}

  add(s: FlowSummary, protocol: string): void {
    this.addSpan(s, protocol, { packets: s.c2s.packets + s.s2c.packets, bytes: s.c2s.bytes + s.s2c.bytes, firstTs: s.firstTs, newFlow: true });
  }

  /**
   * Part of a flow: `span` packets and bytes from `span.firstTs` to the summary's last packet, counted
   * as a flow only when `newFlow` (a long flow recorded at checkpoints counts once, in its first part).
   */
  addSpan(s: FlowSummary, protocol: string, span: { packets: number; bytes: number; firstTs: Micros; newFlow: boolean }): void {
    const key = `${s.key.client.ip}|${s.key.server.ip}|${s.key.server.port}|${s.key.transport}|${protocol}`;
    const { packets, bytes } = span;
    const e = this.entries.get(key);
    if (e) {
      if (span.newFlow) e.c.flows++;
      e.c.packets += packets;
      e.c.bytes += bytes;
      if (span.firstTs < e.first) e.first = span.firstTs;
      if (s.lastTs > e.last) e.last = s.lastTs;
      if (s.firstFrame < e.c.firstFrame) e.c.firstFrame = s.firstFrame;
      return;
    }
    if (this.entries.size >= this.maxEntries) {
      if (span.newFlow) this.droppedFlows++;
      this.droppedBytes += bytes;
      return;
    }
    this.entries.set(key, {
      c: { client: s.key.client.ip, server: s.key.server.ip, port: s.key.server.port, transport: s.key.transport, protocol, flows: span.newFlow ? 1 : 0, packets, bytes, firstSeen: '', lastSeen: '', firstFrame: s.firstFrame },
      first: span.firstTs,
      last: s.lastTs,
    });
  }

  /** FlowSummaryConsumer: flow logs feed the table the same way captures do. */
  onFlowEnd(s: FlowSummary, protocol: string): void {
    this.add(s, protocol);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Largest first. */
  list(): Conversation[] {
    return [...this.entries.values()]
      .map((e) => ({ ...e.c, firstSeen: iso(e.first), lastSeen: iso(e.last) }))
      .sort((a, b) => b.bytes - a.bytes || a.client.localeCompare(b.client) || a.server.localeCompare(b.server) || a.port - b.port);
  }
}
