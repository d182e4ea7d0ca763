/** @module The FlowSummary of a flow leaving the table: counters per direction, timing, close reason, TCP counters. */
import type { FlowSummary } from '../model.js';
import { C2S, S2C, type Flow } from './flow.js';
import type { TcpHalfStream } from './tcp-stream.js';

export function summarizeFlow(flow: Flow): FlowSummary {
  const out: FlowSummary = {
    id: flow.info.id,
    key: flow.key,
    roleGuessed: flow.info.roleGuessed,
    roleSource: flow.info.roleSource,
    c2s: flow.counters(C2S),
    s2c: flow.counters(S2C),
    firstTs: flow.firstTs,
    lastTs: flow.lastTs,
    firstFrame: flow.firstFrame,
    lastFrame: flow.lastFrame,
    closeReason: flow.closeReason,
  };
  if (flow.tcp) {
    const halves = [flow.tcpC2s, flow.tcpS2c];
    const sum = (f: (x: TcpHalfStream) => number) => halves.reduce((n, x) => n + (x === null ? 0 : f(x)), 0);
    out.tcp = {
      handshakeSeen: flow.handshakeSeen,
      retransmittedSegments: sum((x) => x.retransmittedSegments),
      overlapBytes: sum((x) => x.overlapBytes),
      outOfOrderSegments: sum((x) => x.outOfOrderSegments),
      gapBytes: sum((x) => x.gapBytes),
    };
  }
  return out;
}
