import { describe, expect, it } from 'vitest';
import type { Observation } from '../../model.js';
import { dispatchGaps, dissectGaps, losing, type GapStep } from '../testing/gaps.js';
import { byteByByte, concat, fixedChunks, flowKey, type Step } from '../testing/harness.js';
import { perDirection } from '../testing/late-sync.js';
import { connack, connect, pingreq, pingresp, publish, suback, subscribe } from '../testing/mqtt.js';
import { mqttDissector } from './dissector.js';

const key = flowKey('tcp', 1883);
const payload = (n: number) => new Uint8Array(n).fill(0x41);
const WAVEFORM = publish('ward3/pump-1/waveform', payload(20_000), 1);
const AFTER = [publish('ward3/pump-1/alarm', payload(20), 1), publish('ward3/pump-1/status', payload(30)), pingreq(), publish('ward3/pump-1/battery', payload(5))];

/** a pump's session: a rate, a 20 KB waveform, then alarms and status, a PINGREQ and its battery level */
function session(): { steps: Step[]; waveformAt: number; alarmAt: number } {
  const opening = concat(connect({ level: 4, clientId: 'pump-1', username: 'pump' }), subscribe(1, [{ filter: 'ward3/cmd/#', qos: 1 }]), publish('ward3/pump-1/rate', payload(10)));
  const steps: Step[] = [
    ['c2s', opening],
    ['s2c', concat(connack(0), suback(1, [1]))],
    ['c2s', WAVEFORM],
    ['c2s', concat(...AFTER)],
    ['s2c', pingresp()],
  ];
  return { steps, waveformAt: opening.length, alarmAt: opening.length + WAVEFORM.length };
}

const publishes = (obs: readonly Observation[]) => obs.filter((o) => o.kind === 'mqtt.publish').map((o) => [o.dir, o.fields.topic, o.fields.resyncedAfterGap ?? null, o.fields.afterGap ?? null]);
const summaryOf = (obs: readonly Observation[]) => obs.find((o) => o.kind === 'mqtt.session-summary')?.fields;
const noGaps = { gaps: 0, lostBytes: 0, resyncs: 0, skippedBytes: 0, givenUp: false };

describe('mqtt after a gap: reads on from the next packet boundary', () => {
  const { steps, waveformAt, alarmAt } = session();
  // a 1460-byte segment inside the waveform's payload is lost
  const from = waveformAt + 5000;
  const lossy = losing(steps, [{ dir: 'c2s', from, length: 1460 }]);

  it('a gap inside a large PUBLISH payload: the publishes after it are read, marked, and counted in the summary', () => {
    const obs = dissectGaps(mqttDissector, key, lossy);
    expect(publishes(obs)).toEqual([
      ['c2s', 'ward3/pump-1/rate', null, null],
      // the waveform was in progress at the gap: neither counted nor reported
      ['c2s', 'ward3/pump-1/alarm', 1, { gapBytes: 1460, skippedBytes: alarmAt - (from + 1460) }],
      ['c2s', 'ward3/pump-1/status', 1, null],
      ['c2s', 'ward3/pump-1/battery', 1, null],
    ]);
    expect(obs.map((o) => o.kind)).toEqual(['mqtt.connect', 'mqtt.subscribe', 'mqtt.publish', 'mqtt.connack', 'mqtt.publish', 'mqtt.publish', 'mqtt.publish', 'mqtt.session-summary']);
    expect(summaryOf(obs)).toMatchObject({
      publishCount: { c2s: 4, s2c: 0 },
      sawConnect: true,
      midStream: false,
      skippedBytes: { c2s: 0, s2c: 0 },
      gapResync: { c2s: { gaps: 1, lostBytes: 1460, resyncs: 1, skippedBytes: alarmAt - (from + 1460), givenUp: false }, s2c: noGaps },
    });
  });

  it('gives the same observations per direction in any chunking, and through the dispatcher; off port 1883 too', () => {
    const baseline = perDirection(dissectGaps(mqttDissector, key, lossy));
    for (const chunker of [byteByByte, fixedChunks(7), fixedChunks(1460)]) expect(perDirection(dissectGaps(mqttDissector, key, lossy, chunker))).toEqual(baseline);
    const { obs, dispatcher } = dispatchGaps(key, lossy, fixedChunks(1460));
    expect(dispatcher.producer).toBe('mqtt@1.3.0');
    expect(perDirection(obs)).toEqual(baseline);
    // elsewhere a chain needs three packets that count: alarm, status and battery (PINGREQ does not count)
    expect(publishes(dissectGaps(mqttDissector, flowKey('tcp', 8884), lossy)).map(([, topic, mark]) => [topic, mark])).toEqual([
      ['ward3/pump-1/rate', null],
      ['ward3/pump-1/alarm', 1],
      ['ward3/pump-1/status', 1],
      ['ward3/pump-1/battery', 1],
    ]);
  });

  it('a gap in the broker direction: its later packets are read after it', () => {
    const broker: Step[] = [...steps, ['s2c', concat(publish('ward3/cmd/rate', payload(4), 1), publish('ward3/cmd/stop', payload(2), 1), publish('ward3/cmd/resume', payload(2), 1))]];
    const connackAt = concat(connack(0), suback(1, [1]), pingresp()).length;
    const obs = dissectGaps(mqttDissector, key, losing(broker, [{ dir: 's2c', from: connackAt + 3, length: 10 }]));
    expect(publishes(obs).filter(([dir]) => dir === 's2c')).toEqual([
      ['s2c', 'ward3/cmd/stop', 1, { gapBytes: 10, skippedBytes: publish('ward3/cmd/rate', payload(4), 1).length - 13 }],
      ['s2c', 'ward3/cmd/resume', 1, null],
    ]);
    expect(summaryOf(obs)).toMatchObject({ publishCount: { c2s: 5, s2c: 2 }, gapResync: { s2c: { gaps: 1, resyncs: 1, givenUp: false } } });
  });

  it('invents nothing from garbage after a gap: the direction is given up at the scan limit', () => {
    const garbage: GapStep[] = [...losing(steps.slice(0, 3), [{ dir: 'c2s', from, length: 1460 }]), ['c2s', payload(100_000)], ['c2s', concat(...AFTER)]];
    for (const chunker of [fixedChunks(1460), fixedChunks(7)]) {
      const obs = dissectGaps(mqttDissector, key, garbage, chunker, { resyncScanLimit: 50_000 });
      expect(obs.map((o) => [o.kind, o.fields.topic ?? null])).toEqual([
        ['mqtt.connect', null],
        ['mqtt.subscribe', null],
        ['mqtt.publish', 'ward3/pump-1/rate'],
        ['mqtt.connack', null],
        ['mqtt.resync-given-up', null],
        ['mqtt.session-summary', null],
      ]);
      expect(obs[4]?.fields).toEqual({ gaps: 1, gapBytes: 1460, scannedBytes: 50_000, scanLimit: 50_000 });
      expect(summaryOf(obs)).toMatchObject({ publishCount: { c2s: 1, s2c: 0 }, gapResync: { c2s: { gaps: 1, lostBytes: 1460, resyncs: 0, skippedBytes: 0, givenUp: true } } });
    }
  });

  it('a direction seen from the middle and still looking for its start keeps looking past a gap', () => {
    const client = concat(...steps.filter(([dir]) => dir === 'c2s').map(([, b]) => b));
    // the monitor started inside the waveform; more of it is lost before the alarm
    const obs = dissectGaps(mqttDissector, key, [['c2s', client.subarray(waveformAt + 100, waveformAt + 3000)], ['c2s', 'gap', 2000], ['c2s', client.subarray(waveformAt + 5000)]]);
    expect(publishes(obs)).toEqual([
      ['c2s', 'ward3/pump-1/alarm', null, null],
      ['c2s', 'ward3/pump-1/status', null, null],
      ['c2s', 'ward3/pump-1/battery', null, null],
    ]);
    expect(summaryOf(obs)).toMatchObject({ midStream: true, skippedBytes: { c2s: alarmAt - waveformAt - 100 - 2000 }, gapResync: { c2s: { gaps: 1, lostBytes: 2000, resyncs: 0 } } });
  });
});
