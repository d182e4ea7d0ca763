import { describe, expect, it } from 'vitest';
import { modifiedZScore, volumeBytes } from '../../baseline/index.js';
import { HOUR, SECOND, Sim, T0 } from '../testing.js';

const MB = 1_000_000;
/** hourly volumes of a modality: ~1 MB with a little spread */
const usual = (h: number) => MB + ((h * 37) % 11) * 10_000;

/** the modality's detections (the PACS it sends to sees the same bytes and may flag too) */
const of = (sim: Sim, ip = '10.0.0.5') => sim.of('anomaly.volume').filter((d) => d.deviceIp === ip);

function history(sim: Sim, hours: number, ip = '10.0.0.5') {
  for (let h = 0; h < hours; h++) sim.flow({ client: ip, server: '10.0.0.9', port: 104, at: h * HOUR + 60 * SECOND, bytes: usual(h) });
}

describe('anomaly.volume', () => {
  it('flags an hour far above the device\'s median, explaining median, MAD, value and z', () => {
    const sim = new Sim({ baselineOptions: { learnSeconds: 24 * 3600 } });
    history(sim, 30);
    sim.flow({ client: '10.0.0.5', server: '10.0.0.9', port: 104, at: 30 * HOUR + 60 * SECOND, bytes: 50 * MB });
    sim.flow({ client: '10.0.0.5', server: '10.0.0.9', port: 104, at: 31 * HOUR + 60 * SECOND, bytes: usual(31) });
    sim.finish();
    const expected = modifiedZScore(50 * MB, Array.from({ length: 30 }, (_, h) => usual(h)));
    const ds = of(sim);
    expect(ds).toHaveLength(1);
    expect(ds[0]).toMatchObject({
      deviceIp: '10.0.0.5',
      severity: 'medium',
      dedupKey: 'netmon:anomaly.volume:10.0.0.5:bytes',
      firstTs: T0 + 30 * HOUR,
      facts: { value: 50 * MB, median: expected.median, mad: expected.mad, method: 'mad', z: Number(expected.z.toFixed(2)), zThreshold: 3.5, historyBuckets: 30, bucketSeconds: 3600 },
      evidence: [expect.objectContaining({ kind: 'statistic', ref: expect.stringMatching(/^baseline#10\.0\.0\.5\/bucket=\d+$/) })],
    });
    expect(ds[0]!.explanation).toBe(
      `In the hour starting 2026-01-06T06:00:00.000Z 10.0.0.5 sent and received 50.0 MB (50000000 bytes, 10 packets). Over the previous 30 buckets its median was 1.1 MB and its median absolute deviation 30.0 kB, so the modified z-score 0.6745 x (value - median) / MAD is ${expected.z.toFixed(1)} (threshold 3.5, minimum excess 1.0 MB).`,
    );
  });

  it('judges a bucket once capture time is settleSeconds past its end, without waiting for the end of input', () => {
    const sim = new Sim({ baselineOptions: { learnSeconds: 24 * 3600 } });
    history(sim, 30);
    sim.flow({ client: '10.0.0.5', server: '10.0.0.9', port: 104, at: 30 * HOUR + 60 * SECOND, bytes: 50 * MB });
    sim.flow({ client: '10.0.0.7', server: '10.0.0.9', port: 104, at: 31 * HOUR + 5 * 60 * SECOND });
    expect(sim.of('anomaly.volume')).toEqual([]);
    sim.flow({ client: '10.0.0.7', server: '10.0.0.9', port: 104, at: 31 * HOUR + 11 * 60 * SECOND });
    expect(of(sim)).toHaveLength(1);
  });

  it('stays quiet for ordinary hours, for buckets inside the learning window and before minHistoryBuckets', () => {
    const sim = new Sim({ baselineOptions: { learnSeconds: 24 * 3600 } });
    history(sim, 40);
    sim.flow({ client: '10.0.0.6', server: '10.0.0.9', port: 104, at: 2 * HOUR, bytes: 5 * MB });
    sim.flow({ client: '10.0.0.6', server: '10.0.0.9', port: 104, at: 3 * HOUR, bytes: 500 * MB });
    sim.finish();
    expect(sim.of('anomaly.volume')).toEqual([]);
  });

  it('needs the excess over the median to reach minExcessBytes, however large z is', () => {
    const sim = new Sim({ baselineOptions: { learnSeconds: 3600 } });
    for (let h = 0; h < 30; h++) sim.flow({ client: '10.0.0.5', server: '10.0.0.9', port: 104, at: h * HOUR, bytes: 2000 });
    sim.flow({ client: '10.0.0.5', server: '10.0.0.9', port: 104, at: 30 * HOUR, bytes: 400_000 });
    sim.finish();
    expect(sim.of('anomaly.volume')).toEqual([]);
    const loose = new Sim({ baselineOptions: { learnSeconds: 3600 }, policyJson: { rules: { 'anomaly.volume': { minExcessBytes: 100_000 } } } });
    for (let h = 0; h < 30; h++) loose.flow({ client: '10.0.0.5', server: '10.0.0.9', port: 104, at: h * HOUR, bytes: 2000 });
    loose.flow({ client: '10.0.0.5', server: '10.0.0.9', port: 104, at: 30 * HOUR, bytes: 400_000 });
    loose.finish();
    expect(of(loose)).toEqual([expect.objectContaining({ facts: expect.objectContaining({ method: 'degenerate', z: 'Infinity', mad: 0 }) })]);
  });

  it('counts idle hours as zero volume in the history', () => {
    const sim = new Sim({ baselineOptions: { learnSeconds: 3600 }, policyJson: { rules: { 'anomaly.volume': { minHistoryBuckets: 10 } } } });
    // busy every other hour: median of the history is about half the busy volume
    for (let h = 0; h < 30; h += 2) sim.flow({ client: '10.0.0.5', server: '10.0.0.9', port: 104, at: h * HOUR, bytes: 4 * MB + h });
    sim.finish();
    expect(volumeBytes(sim.engine.baseline.get('10.0.0.5')!.volume).filter((b) => b === 0).length).toBe(14);
    expect(sim.of('anomaly.volume')).toEqual([]);
  });

  it('rates a clinical device\'s anomaly high and does not judge a bucket twice after the baseline is resumed', async () => {
    const { baselineFromJson, baselineToJson } = await import('../../baseline/index.js');
    const policyJson = { devices: [{ ip: '10.0.0.5', criticality: 'life-supporting' }] };
    const sim = new Sim({ baselineOptions: { learnSeconds: 24 * 3600 }, policyJson });
    history(sim, 30);
    sim.flow({ client: '10.0.0.5', server: '10.0.0.9', port: 104, at: 30 * HOUR + 60 * SECOND, bytes: 50 * MB });
    sim.finish();
    expect(of(sim)).toEqual([expect.objectContaining({ severity: 'high' })]);
    const resumed = new Sim({ baseline: baselineFromJson(baselineToJson(sim.engine.baseline)), policyJson });
    resumed.now = sim.now;
    resumed.flow({ client: '10.0.0.5', server: '10.0.0.9', port: 104, at: 31 * HOUR, bytes: usual(1) });
    resumed.finish();
    expect(resumed.of('anomaly.volume')).toEqual([]);
  });
});
