/**
 * @module A FlowLogRecord as the packet path's FlowSummary, so discovery, baselines and detections
 * take flow logs and captures alike. Only TCP and UDP flows have a FlowSummary (its key's
 * transport); others give undefined. Zeek's originator is the client. A unidirectional NetFlow
 * record has no initiator, so the flow tracker's own rule applies: the higher port is the client.
 */
import type { FlowCloseReason, FlowDirectionCounters, FlowKey, FlowRoleSource, FlowSummary } from '../model.js';
import type { FlowLogCounters, FlowLogRecord } from './model.js';

const RST_STATES = new Set(['REJ', 'RSTO', 'RSTR', 'RSTOS0', 'RSTRH']);

const counters = (c: FlowLogCounters | undefined): FlowDirectionCounters => ({ packets: c?.packets ?? 0, bytes: c?.bytes ?? 0, payloadBytes: c?.payloadBytes ?? 0 });

function closeReason(r: FlowLogRecord): FlowCloseReason {
  if (r.connState !== undefined) return r.connState === 'SF' ? 'fin' : RST_STATES.has(r.connState) ? 'rst' : 'timeout';
  const flags = r.tcpFlags ?? 0;
  return flags & 0x04 ? 'rst' : flags & 0x01 ? 'fin' : 'timeout';
}

/**
 * `id` becomes the summary id; `frame` stands in for frame numbers in evidence (default: the log
 * line, else `id`), since flow records have no frames.
 */
export function flowLogToSummary(r: FlowLogRecord, id: number, frame: number = r.location.line ?? id): FlowSummary | undefined {
  if (r.protocol !== 6 && r.protocol !== 17) return undefined;
  let srcIsClient: boolean;
  let roleSource: FlowRoleSource;
  if (r.origin === 'zeek') {
    // Zeek flips a connection whose first packet seen was the SYN-ACK; "S" first means the SYN was seen
    srcIsClient = true;
    roleSource = r.protocol === 6 && r.tcpFlags !== undefined && (r.tcpFlags & 0x02) !== 0 ? 'syn' : 'first-packet';
  } else if (r.srcPort !== r.dstPort) {
    srcIsClient = r.srcPort > r.dstPort;
    roleSource = 'port';
  } else {
    srcIsClient = true;
    roleSource = 'first-packet';
  }
  const src = { ip: r.srcIp, port: r.srcPort };
  const dst = { ip: r.dstIp, port: r.dstPort };
  const key: FlowKey = { transport: r.protocol === 6 ? 'tcp' : 'udp', client: srcIsClient ? src : dst, server: srcIsClient ? dst : src };
  if (r.vlan !== undefined) key.vlan = [r.vlan];
  const fwd = counters(r.forward);
  const rev = counters(r.reverse);
  const out: FlowSummary = {
    id,
    key,
    roleGuessed: roleSource === 'port' || roleSource === 'first-packet',
    roleSource,
    c2s: srcIsClient ? fwd : rev,
    s2c: srcIsClient ? rev : fwd,
    firstTs: Math.round(r.startMs * 1000),
    lastTs: Math.round(r.endMs * 1000),
    firstFrame: frame,
    lastFrame: frame,
    closeReason: closeReason(r),
  };
  if (r.protocol === 6) {
    // flow records count no retransmissions or gaps: zero means "not known", as documented
    out.tcp = { handshakeSeen: ((r.tcpFlags ?? 0) & 0x02) !== 0, retransmittedSegments: 0, overlapBytes: 0, outOfOrderSegments: 0, gapBytes: 0 };
  }
  return out;
}
