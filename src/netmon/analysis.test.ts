import { describe, expect, it } from 'vitest';
import { CaptureAnalysis } from './analysis.js';
import { ouiDatabaseFrom } from './discovery/oui.js';
import type { FlowSummary } from './model.js';

const T0 = Date.UTC(2026, 3, 1) * 1000;
const summary = (packets: number, bytes: number): FlowSummary => ({
  id: 7,
  key: { transport: 'tcp', client: { ip: '10.0.0.5', port: 40000 }, server: { ip: '10.0.0.9', port: 1883 } },
  roleGuessed: false,
  roleSource: 'syn',
  c2s: { packets, bytes, payloadBytes: bytes / 2 },
  s2c: { packets, bytes, payloadBytes: bytes / 2 },
  firstTs: T0,
  lastTs: T0 + 1000,
  firstFrame: 1,
  lastFrame: 2 * packets,
  closeReason: 'timeout',
});
const read = { bytes: 0, packets: 0, decoded: 0, flows: 0, decodeErrors: {}, captureErrors: [], consumerErrors: 0 };
const analysis = () => new CaptureAnalysis({ name: 'segment', oui: ouiDatabaseFrom(new Map(), 'fallback'), engine: undefined });

describe('CaptureAnalysis parts of long flows', () => {
  it('counts the part of a flow an earlier segment counted, without counting the flow again', () => {
    const a = analysis();
    a.onFlowEnd(summary(10, 1000), 'mqtt@1.3.0', { summary: summary(3, 300), newFlow: false });
    const r = a.finish(read);
    expect(r.protocols).toEqual([{ protocol: 'mqtt', flows: 0, observations: 0, packets: 6, bytes: 600 }]);
    expect(r.topTalkers.map((t) => t.bytes)).toEqual([600]);
  });

  it('adds nothing to the tables for a flow that ends with nothing new after an earlier segment counted it', () => {
    const a = analysis();
    a.onFlowEnd(summary(10, 1000), 'mqtt@1.3.0', { summary: summary(0, 0), newFlow: false });
    const r = a.finish(read);
    expect(r.protocols).toEqual([]);
    expect(r.topTalkers).toEqual([]);
    expect(r.devices).toEqual([]);
  });
});
