import { describe, expect, it } from 'vitest';
import { LinkType } from '../capture/types.js';
import * as F from '../capture/testing/frames.js';
import { PacketDecoder } from '../decode/index.js';
import type { FlowSummary } from '../model.js';
import { FlowTracker } from './tracker.js';

const enc = (s: string) => new TextEncoder().encode(s);
const ip = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

describe('flow table', () => {
  it('finds each of thousands of flows again, in both directions, after the table has grown', () => {
    const summaries: FlowSummary[] = [];
    const tracker = new FlowTracker({ onFlowEnd: (s) => summaries.push(s) });
    const decoder = new PacketDecoder();
    let frame = 0;
    const push = (bytes: Uint8Array) => {
      const p = decoder.decode(LinkType.ETHERNET, bytes);
      if (!('transport' in p)) throw new Error(p.message);
      tracker.push(p, { frame: ++frame, ts: frame }, bytes.length);
    };
    const n = 5000;
    for (let i = 0; i < n; i++) push(F.udpFrame(ip(i), '10.255.0.1', 40000 + (i % 1000), 53, enc('q')));
    for (let i = n - 1; i >= 0; i--) push(F.udpFrame('10.255.0.1', ip(i), 53, 40000 + (i % 1000), enc('a')));
    expect(tracker.stats).toMatchObject({ flowsCreated: n, activeFlows: n });
    tracker.end();
    expect(summaries).toHaveLength(n);
    expect(summaries.every((s) => s.c2s.packets === 1 && s.s2c.packets === 1)).toBe(true);
  });

  it('forgets evicted flows, so their next packet starts a new flow, while the others are still found', () => {
    const tracker = new FlowTracker({ limits: { maxFlows: 100 } });
    const decoder = new PacketDecoder();
    let frame = 0;
    const push = (i: number) => {
      const p = decoder.decode(LinkType.ETHERNET, F.udpFrame(ip(i), '10.255.0.1', 40000, 53, enc('q')));
      if (!('transport' in p)) throw new Error(p.message);
      tracker.push(p, { frame: ++frame, ts: frame }, 60);
    };
    for (let i = 0; i < 300; i++) push(i);
    expect(tracker.stats).toMatchObject({ flowsCreated: 300, evictedFlows: 200, activeFlows: 100 });
    for (let i = 200; i < 300; i++) push(i);
    expect(tracker.stats.flowsCreated).toBe(300);
    push(0);
    expect(tracker.stats).toMatchObject({ flowsCreated: 301, evictedFlows: 201 });
  });
});
