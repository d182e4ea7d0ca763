/**
 * @module `anomaly.volume`: a device moving far more bytes in one time bucket than it usually does.
 * Each bucket after the learning window is compared with the device's buckets before it (up to the
 * baseline's history, idle buckets counted as 0, none before the device was first seen) by the
 * modified z-score 0.6745 (x - median) / MAD (robust.ts). It fires when z reaches `zThreshold`, the
 * bucket exceeds the median by at least `minExcessBytes` (a tiny device going from 2 kB to 40 kB is
 * not news) and at least `minHistoryBuckets` buckets exist. A bucket is judged once capture time is
 * `settleSeconds` past its end (flows report their bytes when they end), or at the end of input.
 * Only increases are flagged: a silent device is not an exfiltration.
 */
import { modifiedZScore, type DeviceBaseline } from '../../baseline/index.js';
import type { Micros } from '../../model.js';
import type { DetectionRule, RuleContext } from '../model.js';
import { clinicalSeverity, deviceLabel, megabytes } from './support.js';

const iso = (us: Micros): string => new Date(Math.floor(us / 1000)).toISOString();
const round = (n: number, digits = 2): number => (Number.isFinite(n) ? Number(n.toFixed(digits)) : n);

function judgeDevice(ctx: RuleContext, d: DeviceBaseline, through: number): void {
  const b = ctx.baseline;
  const v = d.volume;
  const learnEnd = b.learnEnd ?? Number.POSITIVE_INFINITY;
  const bu = b.bucketUs;
  const last = Math.min(through, v.startBucket + v.count - 1);
  const zThreshold = ctx.params.zThreshold ?? 3.5;
  const minHistory = ctx.params.minHistoryBuckets ?? 24;
  const minExcess = ctx.params.minExcessBytes ?? 0;
  for (let bucket = Math.max(v.evaluatedThrough + 1, v.startBucket); bucket <= last; bucket++) {
    v.evaluatedThrough = bucket;
    // a bucket that began inside the learning window is part of the baseline, not judged against it
    if (bucket * bu < learnEnd) continue;
    const from = Math.max(v.firstBucket, v.startBucket, bucket - b.options.historyBuckets);
    if (bucket - from < minHistory) continue;
    const history = Array.from(v.bytes.subarray(from - v.startBucket, bucket - v.startBucket));
    const value = v.bytes[bucket - v.startBucket] as number;
    const packets = v.packets[bucket - v.startBucket] as number;
    const score = modifiedZScore(value, history);
    if (score.z < zThreshold || value - score.median < minExcess) continue;
    const start = bucket * bu;
    const hours = b.options.bucketSeconds / 3600;
    const span = hours === 1 ? 'hour' : `${b.options.bucketSeconds} s bucket`;
    const z = Number.isFinite(score.z) ? score.z.toFixed(1) : 'infinite';
    ctx.emit({
      severity: clinicalSeverity(ctx.topology.info(d.ip).criticality, 'medium'),
      dedupSuffix: 'bytes',
      deviceIp: d.ip,
      ts: start,
      frame: 0,
      evidence: [{ kind: 'statistic', ref: `baseline#${d.ip}/bucket=${bucket}`, ts: start, detail: `value ${value} B, median ${round(score.median)} B, MAD ${round(score.mad)} B, z ${z}` }],
      describe: () => ({
        title: `Traffic volume anomaly on ${deviceLabel(ctx.topology, d.ip)}: ${megabytes(value)} in the ${span} from ${iso(start)} (usual ${megabytes(score.median)})`,
        explanation:
          `In the ${span} starting ${iso(start)} ${d.ip} sent and received ${megabytes(value)} (${value} bytes, ${packets} packets). ` +
          `Over the previous ${history.length} buckets its median was ${megabytes(score.median)} and its median absolute deviation ${megabytes(score.mad)}` +
          (score.method === 'mad'
            ? `, so the modified z-score 0.6745 x (value - median) / MAD is ${z}`
            : score.method === 'mean-ad'
              ? `; with a MAD of 0 the mean absolute deviation (${megabytes(score.meanAbsoluteDeviation)}) stands in: z = (value - median) / (1.2533 x mean AD) = ${z}`
              : `; every earlier bucket had the same volume, so any increase is infinitely unusual`) +
          ` (threshold ${zThreshold}, minimum excess ${megabytes(minExcess)}).`,
        facts: {
          bucketStart: iso(start),
          bucketSeconds: b.options.bucketSeconds,
          value,
          packets,
          median: round(score.median),
          mad: round(score.mad),
          meanAbsoluteDeviation: round(score.meanAbsoluteDeviation),
          method: score.method,
          z: Number.isFinite(score.z) ? round(score.z) : 'Infinity',
          zThreshold,
          historyBuckets: history.length,
        },
      }),
    });
  }
}

export const volumeRule: DetectionRule = {
  id: 'anomaly.volume',
  version: '1.0.0',
  category: 'anomaly',
  title: 'Traffic volume anomaly',
  description:
    'Bytes a device moved in one time bucket against its own history: median, median absolute deviation (MAD) and the modified z-score 0.6745 (x - median) / MAD; fires at zThreshold with at least minExcessBytes above the median.',
  params: [
    { name: 'zThreshold', description: 'modified z-score at or above which a bucket is anomalous (Iglewicz-Hoaglin: 3.5)', default: 3.5, min: 1, max: 1000 },
    { name: 'minHistoryBuckets', description: 'earlier buckets needed before a device is judged', default: 24, min: 3, max: 10_000, integer: true },
    { name: 'minExcessBytes', description: 'bytes above the median a bucket must also exceed', default: 1_048_576, min: 0, max: 1e15, integer: true },
    { name: 'settleSeconds', description: 'capture time after a bucket ends before it is judged (flows report bytes when they end)', default: 600, min: 0, max: 86_400, integer: true },
  ],
  create(ctx) {
    let judgedThrough = -1;
    const judgeAll = (through: number) => {
      if (through <= judgedThrough) return;
      judgedThrough = through;
      for (const d of ctx.baseline.devices()) judgeDevice(ctx, d, through);
    };
    return {
      onClock(now) {
        const settled = Math.floor((now - (ctx.params.settleSeconds ?? 600) * 1_000_000) / ctx.baseline.bucketUs) - 1;
        judgeAll(settled);
      },
      finish() {
        judgeAll(ctx.baseline.bucketOf(ctx.baseline.clock));
      },
    };
  },
};
