import { describe, expect, it } from 'vitest';
import { LinkType } from '../capture/types.js';
import * as F from '../capture/testing/frames.js';
import { PacketDecoder, TcpFlag } from '../decode/index.js';
import type { FlowInfo, FlowKey, FlowSummary, StreamConsumer } from '../model.js';
import { FlowTracker } from './tracker.js';
import type { FlowTrackerOptions } from './types.js';

const { SYN, ACK, FIN, RST, PSH } = TcpFlag;
const enc = (s: string) => new TextEncoder().encode(s);
const C = '10.0.0.1';
const S = '10.0.0.2';

interface Recorded {
  key: FlowKey;
  info: FlowInfo;
  events: string[];
}

/** A tracker whose consumers record everything they receive as text. */
function setup(opts: Omit<FlowTrackerOptions, 'onFlowStart' | 'onFlowEnd'> = {}, via: 'push' | 'pushCaptured' = 'push', withTs = false) {
  const at = (meta: { frame: number; ts: number }) => (withTs ? `@${meta.frame}/${meta.ts}` : `@${meta.frame}`);
  const flows: Recorded[] = [];
  const summaries: FlowSummary[] = [];
  const tracker = new FlowTracker({
    ...opts,
    onFlowStart: (key, info): StreamConsumer => {
      const rec: Recorded = { key, info, events: [] };
      flows.push(rec);
      return {
        onData: (dir, d, meta) => rec.events.push(`${dir}:${new TextDecoder().decode(d)}${at(meta)}`),
        onGap: (dir, n, meta) => rec.events.push(withTs ? `${dir}:gap ${n}${at(meta)}` : `${dir}:gap ${n}`),
        onClose: (reason, meta) => rec.events.push(`close ${reason}${at(meta)}`),
      };
    },
    onFlowEnd: (s) => summaries.push(s),
  });
  const decoder = new PacketDecoder();
  let frame = 0;
  const push = (bytes: Uint8Array, ts = frame * 1000) => {
    frame++;
    const p = decoder.decode(LinkType.ETHERNET, bytes, ts);
    if (!('transport' in p)) throw new Error(p.message);
    if (via === 'pushCaptured') return tracker.pushCaptured(p, frame, { ts, origLen: bytes.length });
    return tracker.push(p, { frame, ts }, bytes.length);
  };
  const tcp = (src: string, dst: string, sport: number, dport: number, seq: number, flags: number, data = '', ack = 0, vlans?: number[]) =>
    push(F.tcpFrame(src, dst, { sport, dport, seq, ack, flags, payload: enc(data) }, vlans));
  return { tracker, flows, summaries, push, tcp };
}

describe('flow tracker', () => {
  it('pushCaptured (FrameMeta made only when a consumer is called) reports exactly what push does', () => {
    const run = (via: 'push' | 'pushCaptured') => {
      const t = setup({}, via, true);
      // mid-stream start on a bare ACK, data with bare ACKs between, a hole, a UDP datagram, a RST
      t.tcp(C, S, 40001, 2575, 1000, ACK, '', 7);
      t.tcp(S, C, 2575, 40001, 7, ACK, '', 1000);
      t.tcp(C, S, 40001, 2575, 1000, ACK | PSH, 'MSH|one', 7);
      t.tcp(S, C, 2575, 40001, 7, ACK, '', 1007);
      t.tcp(C, S, 40001, 2575, 1010, ACK | PSH, 'MSH|two', 7);
      t.push(F.udpFrame(C, S, 5353, 53, enc('query')));
      t.tcp(S, C, 2575, 40001, 7, ACK | PSH, 'ACK', 1017);
      t.tcp(C, S, 40001, 2575, 1017, RST, '', 0);
      t.tracker.end();
      return { flows: t.flows.map((f) => ({ key: f.key, info: f.info, events: f.events })), summaries: t.summaries };
    };
    const viaPush = run('push');
    expect(viaPush.flows[0]?.events).toContain('c2s:MSH|one@3/2000');
    expect(viaPush.flows[0]?.events.some((e) => e.startsWith('c2s:gap 3'))).toBe(true);
    expect(run('pushCaptured')).toEqual(viaPush);
  });

  it('takes the SYN sender as client, reassembles both directions and closes on FIN from both sides', () => {
    const t = setup();
    t.tcp(C, S, 40000, 104, 100, SYN);
    t.tcp(S, C, 104, 40000, 500, SYN | ACK, '', 101);
    t.tcp(C, S, 40000, 104, 101, ACK | PSH, 'A-ASSOCIATE-RQ', 501);
    t.tcp(S, C, 104, 40000, 501, ACK | PSH, 'A-ASSOCIATE-AC', 115);
    t.tcp(C, S, 40000, 104, 115, FIN | ACK, '', 515);
    t.tcp(S, C, 104, 40000, 515, FIN | ACK, '', 116);
    t.tcp(C, S, 40000, 104, 116, ACK, '', 516);
    t.tracker.end();
    expect(t.flows).toHaveLength(1);
    const f = t.flows[0] as Recorded;
    expect([f.key.client, f.key.server, f.info.roleSource, f.info.roleGuessed]).toEqual([
      { ip: C, port: 40000, mac: '02:00:00:00:00:01' },
      { ip: S, port: 104, mac: '02:00:00:00:00:02' },
      'syn',
      false,
    ]);
    expect(f.events).toEqual(['c2s:A-ASSOCIATE-RQ@3', 's2c:A-ASSOCIATE-AC@4', 'close fin@6']);
    // The last ACK after both FINs still counts in the same flow.
    expect(t.summaries).toHaveLength(1);
    expect(t.summaries[0]).toMatchObject({ closeReason: 'fin', c2s: { packets: 4, payloadBytes: 14 }, s2c: { packets: 3, payloadBytes: 14 }, firstFrame: 1, lastFrame: 7 });
    expect(t.summaries[0]?.tcp?.handshakeSeen).toBe(true);
  });

  it('takes the receiver of a SYN-ACK as client when the capture starts mid-handshake', () => {
    const t = setup();
    t.tcp(S, C, 1883, 41892, 700, SYN | ACK, '', 11);
    t.tcp(C, S, 41892, 1883, 11, ACK | PSH, 'CONNECT', 701);
    expect(t.flows[0]?.key.client.port).toBe(41892);
    expect(t.flows[0]?.info.roleSource).toBe('syn-ack');
    expect(t.flows[0]?.events).toEqual(['c2s:CONNECT@2']);
  });

  it('guesses the lower port as server for a stream seen mid-way and flags the guess', () => {
    const t = setup();
    t.tcp(S, C, 6661, 49242, 9000, ACK | PSH, 'MSA|AA');
    t.tcp(C, S, 49242, 6661, 100, ACK | PSH, 'MSH|');
    expect(t.flows[0]?.key.server).toMatchObject({ ip: S, port: 6661 });
    expect(t.flows[0]?.info).toMatchObject({ roleSource: 'port', roleGuessed: true });
    expect(t.flows[0]?.events).toEqual(['s2c:MSA|AA@1', 'c2s:MSH|@2']);
  });

  it('takes the first sender as client when both ports are equal', () => {
    const t = setup();
    t.push(F.udpFrame(S, C, 123, 123, enc('ntp')));
    expect(t.flows[0]?.key.client.ip).toBe(S);
    expect(t.flows[0]?.info.roleSource).toBe('first-packet');
  });

  it('delivers a one-sided capture reordered by sequence number without ever seeing the other side', () => {
    const t = setup();
    t.tcp(C, S, 50000, 443, 1, ACK | PSH, 'world', 1);
    t.tcp(C, S, 50000, 443, 6, ACK | PSH, '!', 1);
    t.tracker.end();
    // Mid-stream start at the first sequence number seen (1); nothing before it is expected.
    expect(t.flows[0]?.events).toEqual(['c2s:world@1', 'c2s:!@2', 'close end-of-capture@2']);
    const t2 = setup();
    t2.tcp(C, S, 50000, 443, 0, SYN);
    t2.tcp(C, S, 50000, 443, 7, ACK | PSH, 'world', 1);
    t2.tcp(C, S, 50000, 443, 1, ACK | PSH, 'hello ', 1);
    t2.tcp(C, S, 50000, 443, 12, FIN | ACK, '', 1);
    expect(t2.flows[0]?.events).toEqual(['c2s:hello @3', 'c2s:world@2', 'close fin@4']);
  });

  it('closes on RST, handing on held data after a gap for the hole', () => {
    const t = setup();
    t.tcp(C, S, 40001, 2575, 0, SYN);
    t.tcp(C, S, 40001, 2575, 1, ACK, 'ab', 0);
    t.tcp(C, S, 40001, 2575, 6, ACK, 'fg', 0);
    t.tcp(S, C, 2575, 40001, 0, RST | ACK);
    expect(t.flows[0]?.events).toEqual(['c2s:ab@2', 'c2s:gap 3', 'c2s:fg@3', 'close rst@4']);
  });

  it('starts a new flow when a new SYN reuses the ports of a finished connection', () => {
    const t = setup();
    t.tcp(C, S, 40002, 104, 10, SYN);
    t.tcp(C, S, 40002, 104, 11, FIN | ACK, 'x');
    t.tcp(S, C, 104, 40002, 90, FIN | ACK);
    t.tcp(C, S, 40002, 104, 5000, SYN);
    t.tcp(C, S, 40002, 104, 5001, ACK, 'second');
    expect(t.flows.map((f) => f.info.id)).toEqual([1, 2]);
    expect(t.flows[1]?.events).toEqual(['c2s:second@5']);
    expect(t.summaries[0]?.closeReason).toBe('fin');
  });

  it('treats a retransmitted SYN as the same connection', () => {
    const t = setup();
    t.tcp(C, S, 40003, 104, 10, SYN);
    t.tcp(C, S, 40003, 104, 10, SYN);
    expect(t.flows).toHaveLength(1);
  });

  it('expires idle flows by packet time, not wall-clock time, and on flush', () => {
    const t = setup({ limits: { tcpIdleTimeoutUs: 1_000_000, udpIdleTimeoutUs: 500_000 } });
    t.push(F.tcpFrame(C, S, { sport: 40004, dport: 104, seq: 1, flags: ACK, payload: enc('a') }), 0);
    t.push(F.udpFrame(C, S, 5000, 53, enc('q')), 100_000);
    t.push(F.udpFrame(C, S, 5001, 53, enc('q')), 700_000);
    expect(t.summaries.map((s) => [s.key.client.port, s.closeReason])).toEqual([[5000, 'timeout']]);
    t.tracker.flush(2_000_000);
    expect(t.summaries.map((s) => s.key.client.port)).toEqual([5000, 40004, 5001]);
    expect(t.flows[0]?.events.at(-1)).toBe('close timeout@1');
    expect(t.tracker.stats.expiredFlows).toBe(3);
  });

  it('evicts the least recently active flow when the table is full', () => {
    const t = setup({ limits: { maxFlows: 2 } });
    t.tcp(C, S, 1001, 80, 1, ACK, 'a');
    t.tcp(C, S, 1002, 80, 1, ACK, 'b');
    t.tcp(C, S, 1001, 80, 2, ACK, 'c');
    t.tcp(C, S, 1003, 80, 1, ACK, 'd');
    expect(t.summaries.map((s) => [s.key.client.port, s.closeReason])).toEqual([[1002, 'evicted']]);
    expect(t.tracker.activeFlows).toBe(2);
    expect(t.tracker.stats).toMatchObject({ evictedFlows: 1, peakActiveFlows: 2 });
  });

  it('never holds more flows than the bound, however many distinct flows pass', () => {
    const t = setup({ limits: { maxFlows: 50 } });
    for (let i = 0; i < 2000; i++) t.push(F.udpFrame(`10.1.${i >> 8}.${i & 255}`, S, 40000, 53, enc('q')));
    expect(t.tracker.activeFlows).toBe(50);
    expect(t.summaries).toHaveLength(1950);
    expect(t.summaries.every((s) => s.closeReason === 'evicted')).toBe(true);
  });

  it('keeps out-of-order data of all flows together within the global buffer budget', () => {
    const t = setup({ limits: { maxBufferedBytesTotal: 20_000, maxBufferedBytesPerFlow: 1 << 20 } });
    for (let i = 0; i < 100; i++) {
      const client = `10.2.0.${i + 1}`;
      t.tcp(client, S, 40000, 104, 0, SYN);
      // Each flow is missing its first byte, so everything after it must wait.
      t.tcp(client, S, 40000, 104, 2, ACK, 'x'.repeat(500));
      t.tcp(client, S, 40000, 104, 502, ACK, 'y'.repeat(500));
    }
    t.tracker.end();
    expect(t.tracker.stats.peakBufferedBytes).toBeLessThanOrEqual(20_000 + 500 + 128);
    expect(t.tracker.stats.forcedGaps).toBeGreaterThan(0);
    expect(t.tracker.stats.bufferedBytes).toBe(0);
    // Every flow still hands on all 1000 bytes after a 1-byte gap, whether forced early or at the end.
    for (const f of t.flows) expect(f.events.filter((e) => e.startsWith('c2s:') && !e.includes('gap')).join('').replace(/c2s:|@\d+/g, '')).toBe('x'.repeat(500) + 'y'.repeat(500));
  });

  it('hands each UDP datagram on with its own frame, taking the lower port as server', () => {
    const t = setup();
    t.push(F.udpFrame('0.0.0.0', '255.255.255.255', 68, 67, enc('DISCOVER')));
    t.push(F.udpFrame('10.0.0.254', '255.255.255.255', 67, 68, enc('OFFER')));
    t.push(F.udpFrame('0.0.0.0', '255.255.255.255', 68, 67, enc('REQUEST')));
    expect(t.flows).toHaveLength(2);
    expect(t.flows[0]?.key).toMatchObject({ transport: 'udp', client: { port: 68 }, server: { port: 67 } });
    expect(t.flows[0]?.events).toEqual(['c2s:DISCOVER@1', 'c2s:REQUEST@3']);
    expect(t.flows[1]?.events).toEqual(['s2c:OFFER@2']);
  });

  it('keeps the same five-tuple on different VLANs apart', () => {
    const t = setup();
    t.tcp(C, S, 1883, 35035, 1, ACK, 'x', 0, [1008]);
    t.tcp(C, S, 1883, 35035, 1, ACK, 'y', 0, [1009]);
    t.tcp(C, S, 1883, 35035, 1, ACK, 'z');
    expect(t.flows.map((f) => f.key.vlan)).toEqual([[1008], [1009], undefined]);
  });

  it('tracks IPv6 flows', () => {
    const t = setup();
    const frame = F.ethernet({ etherType: 0x86dd, payload: F.ipv6({ src: '2001:db8::5', dst: '2001:db8::6', nextHeader: 6, payload: F.tcp({ sport: 50000, dport: 2575, seq: 9, flags: SYN }) }) });
    t.push(frame);
    expect(t.flows[0]?.key).toMatchObject({ client: { ip: '2001:db8::5', port: 50000 }, server: { ip: '2001:db8::6', port: 2575 } });
  });

  it('detaches a consumer that throws and keeps tracking', () => {
    let calls = 0;
    const tracker = new FlowTracker({
      onFlowStart: () => ({
        onData: () => {
          calls++;
          throw new Error('dissector bug');
        },
      }),
    });
    const d = new PacketDecoder();
    for (let i = 0; i < 3; i++) {
      const p = d.decode(LinkType.ETHERNET, F.tcpFrame(C, S, { sport: 9, dport: 10, seq: 1 + i, flags: ACK, payload: enc('x') }));
      if ('transport' in p) tracker.push(p, { frame: i + 1, ts: i });
    }
    expect([calls, tracker.consumerErrors, tracker.stats.flowsCreated]).toEqual([1, 1, 1]);
  });

  it('counts packets and closes on FIN for flows nobody consumes', () => {
    const summaries: FlowSummary[] = [];
    const tracker = new FlowTracker({ onFlowEnd: (s) => summaries.push(s) });
    const d = new PacketDecoder();
    const frames = [
      F.tcpFrame(C, S, { sport: 40007, dport: 8, seq: 1, flags: FIN | ACK, payload: enc('bye') }),
      F.tcpFrame(S, C, { sport: 8, dport: 40007, seq: 1, flags: FIN | ACK }),
    ];
    frames.forEach((f, i) => {
      const p = d.decode(LinkType.ETHERNET, f);
      if ('transport' in p) tracker.push(p, { frame: i + 1, ts: i }, f.length);
    });
    tracker.end();
    expect(summaries[0]).toMatchObject({ closeReason: 'fin', c2s: { packets: 1, bytes: frames[0]?.length, payloadBytes: 3 }, s2c: { packets: 1 } });
  });

  it('ignores packets that are not TCP or UDP', () => {
    const t = setup();
    const arp = F.ethernet({ etherType: 0x0806, payload: F.arp({ op: 1, senderMac: '02:00:00:00:00:01', senderIp: C, targetMac: '00:00:00:00:00:00', targetIp: S }) });
    expect(t.push(arp)).toBe(false);
    expect(t.tracker.stats.flowsCreated).toBe(0);
  });
});
