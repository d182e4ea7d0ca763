/**
 * @module A device's volume series: bytes and packets per time bucket in Float64Arrays (8 bytes a
 * bucket, not scanned by the garbage collector), grown by doubling up to the history length and
 * then slid forward, so a device seen for an hour costs a few buckets and one seen for a month at
 * most `historyBuckets + 4`.
 */

/** Values in use are [0, count): index i is bucket startBucket + i (bucket = floor(ts / bucket length)). */
export interface VolumeSeries {
  startBucket: number;
  count: number;
  bytes: Float64Array;
  packets: Float64Array;
  /** the device's first bucket: earlier buckets are not zeros, they are before it existed */
  firstBucket: number;
  /** last bucket the volume rule has judged (-1: none), so a resumed baseline does not judge twice */
  evaluatedThrough: number;
}

const EMPTY = new Float64Array(0);

export const newVolume = (bucket: number): VolumeSeries => ({ startBucket: bucket, count: 0, bytes: EMPTY, packets: EMPTY, firstBucket: bucket, evaluatedThrough: -1 });

export function restoreVolume(v: Omit<VolumeSeries, 'count' | 'bytes' | 'packets'>, bytes: readonly number[], packets: readonly number[]): VolumeSeries {
  return { ...v, count: bytes.length, bytes: Float64Array.from(bytes), packets: Float64Array.from(packets) };
}

/** Bytes of the buckets in use, oldest first. */
export const volumeBytes = (v: VolumeSeries): number[] => Array.from(v.bytes.subarray(0, v.count));
export const volumePackets = (v: VolumeSeries): number[] => Array.from(v.packets.subarray(0, v.count));

function ensureCapacity(v: VolumeSeries, needed: number, keep: number): void {
  if (v.bytes.length >= needed) return;
  const cap = Math.min(keep, Math.max(8, needed, v.bytes.length * 2));
  const bytes = new Float64Array(cap);
  const packets = new Float64Array(cap);
  bytes.set(v.bytes.subarray(0, v.count));
  packets.set(v.packets.subarray(0, v.count));
  v.bytes = bytes;
  v.packets = packets;
}

/**
 * Adds to bucket `b`, keeping at most `keep` buckets (the oldest slide out). Returns false when `b`
 * is older than what can be kept (the caller counts it as dropped).
 */
export function addToBucket(v: VolumeSeries, b: number, bytes: number, packets: number, keep: number): boolean {
  if (v.count === 0) v.startBucket = b;
  if (b < v.startBucket) {
    const grow = v.startBucket - b;
    if (grow + v.count > keep) return false;
    ensureCapacity(v, v.count + grow, keep);
    v.bytes.copyWithin(grow, 0, v.count);
    v.packets.copyWithin(grow, 0, v.count);
    v.bytes.fill(0, 0, grow);
    v.packets.fill(0, 0, grow);
    v.count += grow;
    v.startBucket = b;
  }
  let i = b - v.startBucket;
  if (i >= keep) {
    const shift = i - keep + 1;
    if (shift >= v.count) {
      v.count = 0;
      v.startBucket = b;
      i = 0;
    } else {
      v.bytes.copyWithin(0, shift, v.count);
      v.packets.copyWithin(0, shift, v.count);
      v.count -= shift;
      v.startBucket += shift;
      i -= shift;
    }
  }
  if (i >= v.count) {
    ensureCapacity(v, i + 1, keep);
    v.bytes.fill(0, v.count, i + 1);
    v.packets.fill(0, v.count, i + 1);
    v.count = i + 1;
  }
  v.bytes[i] = (v.bytes[i] as number) + bytes;
  v.packets[i] = (v.packets[i] as number) + packets;
  return true;
}
