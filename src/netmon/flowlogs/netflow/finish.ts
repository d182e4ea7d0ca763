/**
 * @module Turns a decoded draft into a FlowLogRecord: resolves the flow's start and end to epoch
 * milliseconds from whichever clock the exporter used (absolute, delta from export time, or
 * sysUpTime relative to the packet header (v9) or to systemInitTimeMilliseconds (IPFIX)).
 */
import { ipProtocolName, type FlowLogCounters, type FlowLogOrigin, type FlowLogRecord } from '../model.js';
import type { RecordDraft } from './fields.js';

/** What the packet header says, shared by every record in it. */
export interface PacketContext {
  origin: FlowLogOrigin;
  /** "ip:port" of the exporter */
  exporter: string;
  /** export time of the packet, epoch ms */
  exportMs: number;
  /** NetFlow v9 header sysUptime (ms); undefined for IPFIX */
  sysUptimeMs: number | undefined;
  /** IPFIX: the exporter's systemInitTimeMilliseconds when an options record told us */
  sysInitMs: number | undefined;
  sequence: number;
  domain: number;
}

function resolveTime(abs: number | undefined, deltaUs: number | undefined, uptime: number | undefined, ctx: PacketContext, sysInit: number | undefined): number | undefined {
  if (abs !== undefined) return abs;
  if (deltaUs !== undefined) return ctx.exportMs - deltaUs / 1000;
  if (uptime !== undefined) {
    // v9/v5: FIRST/LAST_SWITCHED count ms since boot as the header's sysUptime does. The difference
    // is taken as a signed 32-bit number: it survives the 49.7-day wrap of both counters, and a
    // switched time slightly after the header's (export time truncated to seconds) stays small.
    if (ctx.sysUptimeMs !== undefined) return ctx.exportMs - ((ctx.sysUptimeMs - uptime) | 0);
    if (sysInit !== undefined) return sysInit + uptime;
  }
  return undefined;
}

/** The record, or undefined when the data record names no source and destination address (not a flow). */
export function finishRecord(d: RecordDraft, ctx: PacketContext, byteOffset: number): FlowLogRecord | undefined {
  if (d.srcIp === undefined || d.dstIp === undefined) return undefined;
  const sysInit = d.sysInitMs ?? ctx.sysInitMs;
  const start = resolveTime(d.startAbs, d.startDeltaUs, d.startUptime, ctx, sysInit);
  const end = resolveTime(d.endAbs, d.endDeltaUs, d.endUptime, ctx, sysInit);
  const forward: FlowLogCounters = {};
  const bytes = d.bytes ?? d.bytesTotal;
  const packets = d.packets ?? d.packetsTotal;
  if (bytes !== undefined) forward.bytes = bytes;
  if (packets !== undefined) forward.packets = packets;
  const r: FlowLogRecord = {
    origin: ctx.origin,
    startMs: start ?? end ?? ctx.exportMs,
    endMs: end ?? start ?? ctx.exportMs,
    srcIp: d.srcIp,
    dstIp: d.dstIp,
    srcPort: d.srcPort,
    dstPort: d.dstPort,
    protocol: d.protocol,
    protocolName: ipProtocolName(d.protocol),
    forward,
    exporter: ctx.exporter,
    observationDomain: ctx.domain,
    location: { exporter: ctx.exporter, sequence: ctx.sequence, byteOffset },
  };
  if (d.revBytes !== undefined || d.revPackets !== undefined) {
    r.reverse = {};
    if (d.revBytes !== undefined) r.reverse.bytes = d.revBytes;
    if (d.revPackets !== undefined) r.reverse.packets = d.revPackets;
  }
  if (d.tcpFlags !== undefined || d.revTcpFlags !== undefined) r.tcpFlags = (d.tcpFlags ?? 0) | (d.revTcpFlags ?? 0);
  const vlan = d.vlan ?? d.dot1qVlan;
  if (vlan !== undefined) r.vlan = vlan;
  if (d.appName !== undefined && d.appName !== '') r.service = d.appName;
  if (d.inIf !== undefined) r.inputInterface = d.inIf;
  if (d.outIf !== undefined) r.outputInterface = d.outIf;
  return r;
}
