import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SKIP_REST } from '../../model.js';
import { createDispatcher } from '../registry.js';
import { SELECTED_BY } from '../support/late-sync.js';
import { ascii, byteByByte, concat, cycling, fixedChunks, flowKey, type Step } from '../testing/harness.js';
import { dispatchFlow, perDirection, seenFrom } from '../testing/late-sync.js';
import { connack, connect, pingreq, puback, publish } from '../testing/mqtt.js';

const key = flowKey('tcp', 1883);
// a waveform as JSON text: 10 KiB of payload in one PUBLISH
const waveform = (n: number) => ascii(JSON.stringify({ ecg: Array.from({ length: n }, (_, i) => (i * 7919) % 2048) }).slice(0, n));
const vitals = (hr: number) => ascii(JSON.stringify({ hr, spo2: 97 }));

function session(): { steps: Step[]; bigPayloadAt: number } {
  const open = concat(connect({ level: 4, clientId: 'monitor-4' }));
  const big = publish('icu/bed4/monitor/ecg', waveform(10 * 1024), 1);
  // the broker acknowledges (a chain without a topic: no sync point) and later publishes a command, by
  // when the client has sent more than the dispatcher keeps while undecided (16 KiB): had the broker's
  // command come first, content would have chosen MQTT and the client side would be read by the
  // ordinary consumer (from a sync point in its first 4 KiB, or not at all)
  const steps: Step[] = [
    ['c2s', open],
    ['s2c', connack(0)],
    ['c2s', big],
    ['c2s', concat(publish('icu/bed4/monitor/vitals', vitals(71), 1), publish('icu/bed4/monitor/vitals', vitals(70), 1))],
    ['s2c', concat(puback(1), puback(1), puback(1))],
    ['c2s', publish('icu/bed4/monitor/ecg', waveform(10 * 1024), 1)],
    ['c2s', publish('icu/bed4/monitor/pleth', waveform(8 * 1024), 1)],
    ['c2s', concat(publish('icu/bed4/monitor/alarm', ascii('{"level":"low"}'), 1), pingreq())],
    ['s2c', concat(puback(1), publish('icu/bed4/monitor/cmd/silence', ascii('{"on":true}'), 1))],
  ];
  // where the payload starts: fixed header (1 + 2 varint bytes), topic (2 + 20), packet id (2)
  return { steps, bigPayloadAt: open.length + 3 + 22 + 2 };
}

describe('mqtt late sync: a direction whose first 4 KiB lie inside a large PUBLISH payload', () => {
  const { steps, bigPayloadAt } = session();
  // the monitor starts 1000 bytes into the 10 KiB payload; the broker side after its CONNACK
  const seen = seenFrom(steps, { c2s: bigPayloadAt + 1000, s2c: connack(0).length });
  const syncedAt = 10 * 1024 - 1000;

  it('reads the PUBLISH packets that follow on port 1883, marked as selected by port after content detection failed', () => {
    const { obs, dispatcher } = dispatchFlow(key, seen);
    expect(dispatcher.state).toBe('late-sync');
    expect(dispatcher.producer).toBe('mqtt@1.3.0');
    expect(obs.filter((o) => o.kind === 'mqtt.publish').map((o) => [o.dir, o.fields.topic, o.fields.lateSync])).toEqual([
      ['c2s', 'icu/bed4/monitor/vitals', { selectedBy: SELECTED_BY, syncedAfterBytes: syncedAt }],
      ['c2s', 'icu/bed4/monitor/ecg', { selectedBy: SELECTED_BY, syncedAfterBytes: syncedAt }],
      ['c2s', 'icu/bed4/monitor/pleth', { selectedBy: SELECTED_BY, syncedAfterBytes: syncedAt }],
      ['c2s', 'icu/bed4/monitor/alarm', { selectedBy: SELECTED_BY, syncedAfterBytes: syncedAt }],
      ['s2c', 'icu/bed4/monitor/cmd/silence', { selectedBy: SELECTED_BY, syncedAfterBytes: 0 }],
    ]);
    // the existing mid-stream markers: no-tls once, said of a session seen without its CONNECT
    expect(obs.flatMap((o) => o.findings ?? []).map((f) => f.code)).toEqual(['mqtt.no-tls']);
    expect(obs.find((o) => o.kind === 'mqtt.session-summary')?.fields).toMatchObject({
      midStream: true,
      sawConnect: false,
      publishCount: { c2s: 5, s2c: 1 },
      skippedBytes: { c2s: syncedAt, s2c: 0 },
      lateSync: { selectedBy: SELECTED_BY, c2s: { state: 'synced', syncedAfterBytes: syncedAt }, s2c: { state: 'synced', syncedAfterBytes: 0 } },
    });
  });

  it('gives the same observations in any chunking', () => {
    const baseline = perDirection(dispatchFlow(key, seen).obs);
    expect([baseline.c2s.length, baseline.s2c.length, baseline.flow.length]).toEqual([4, 1, 1]);
    for (const chunker of [byteByByte, fixedChunks(7), fixedChunks(1460)]) expect(perDirection(dispatchFlow(key, seen, chunker).obs)).toEqual(baseline);
  });

  it('leaves the same bytes unclassified on another port, as before', () => {
    const { obs, dispatcher } = dispatchFlow(flowKey('tcp', 17501), seenFrom(steps, { c2s: bigPayloadAt + 1000, s2c: 1e9 }));
    expect(dispatcher.state).toBe('unclassified');
    expect(obs).toEqual([]);
  });

  it('reads a session seen from any byte of the large payload, the same in any chunking', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 * 1024 - 4200 }), fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 6 }), (cut, sizes) => {
        const flow = seenFrom(steps, { c2s: bigPayloadAt + cut, s2c: connack(0).length });
        const whole = dispatchFlow(key, flow).obs;
        expect(perDirection(dispatchFlow(key, flow, cycling(sizes)).obs)).toEqual(perDirection(whole));
        expect(whole.filter((o) => o.kind === 'mqtt.publish').map((o) => o.fields.topic)).toEqual(['icu/bed4/monitor/vitals', 'icu/bed4/monitor/ecg', 'icu/bed4/monitor/pleth', 'icu/bed4/monitor/alarm', 'icu/bed4/monitor/cmd/silence']);
      }),
      { numRuns: Number(process.env.CAREGUARD_PROPERTY_RUNS ?? 60) },
    );
  });
});

describe('mqtt late sync: scan limit and bounds', () => {
  it('gives a direction up at the scan limit, says so and skips the rest, carrying at most one window', () => {
    const obs: string[] = [];
    const d = createDispatcher(key, (o) => obs.push(o.kind), { lateSyncScanLimit: 200_000 });
    const text = waveform(1460);
    let answer = 0;
    let maxCarried = 0;
    for (let frame = 1; answer !== SKIP_REST && frame < 1000; frame++) {
      answer = d.onData('c2s', text, { frame, ts: frame });
      maxCarried = Math.max(maxCarried, d.lateSync?.c2s.carriedBytes ?? 0, d.heldBytes);
    }
    expect(answer).toBe(SKIP_REST);
    expect(d.lateSync?.c2s).toEqual({ state: 'given-up', scannedBytes: 200_000, carriedBytes: 0, syncedAfterBytes: null });
    expect(maxCarried).toBeLessThanOrEqual(16 * 1024);
    d.onClose('fin', { frame: 2000, ts: 2000 });
    // the summary only follows packets read: a direction never synced has none
    expect(obs).toEqual(['mqtt.late-sync-given-up']);
  });
});
