/**
 * @module What an ingest keeps of its observations: bounded by diversity, not volume. Observations
 * are grouped by (kind, client ip, server ip, server port); the first `perGroup` of each group are
 * kept in full and the rest only counted, so a capture of 170,000 HL7 messages between a few hosts
 * keeps a few thousand rows while a rare DHCP fingerprint or TLS ClientHello is never crowded out.
 * A hard cap on the rows kept bounds memory and storage whatever the capture holds; observations of
 * groups first seen after the cap are counted as dropped.
 */
import { KeptObservations } from './kept-observations.js';
import type { Observation } from './model.js';
import type { ObservationRow } from './ports.js';

export const DEFAULT_OBSERVATIONS_PER_GROUP = 10;
export const DEFAULT_MAX_STORED_OBSERVATIONS = 200_000;

export interface ObservationSampleOptions {
  /** observations kept in full per group (default 10) */
  perGroup?: number;
  /** observations kept per capture at most (default 200,000) */
  maxStored?: number;
}

/** A kept observation; the last kept one of its group carries the group's total count. */
export interface SampledObservation {
  observation: Observation;
  /** every observation of the group in the capture, kept or not (on the group's last kept row only) */
  groupCount?: number;
}

export interface ObservationSampleStats {
  /** observations the capture produced */
  seen: number;
  /** kept in full */
  stored: number;
  groups: number;
  /** counted in their group's groupCount but not kept */
  omitted: number;
  /** not kept and in no group: their group first appeared after the cap was reached */
  dropped: number;
  perGroup: number;
  maxStored: number;
}

const positiveInteger = (v: number | undefined, fallback: number, name: string): number => {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, found ${v}`);
  return v;
};

export class ObservationSample {
  readonly perGroup: number;
  readonly maxStored: number;
  /** group key -> group number; a capture can have 100,000 groups, so no object per group */
  private readonly groups = new Map<string, number>();
  /** per group number: observations seen */
  private readonly counts: number[] = [];
  /** per group number: index in `kept` of the group's last kept observation */
  private readonly lasts: number[] = [];
  /** compact until read (kept-observations.ts) */
  private readonly kept = new KeptObservations();
  private seen = 0;
  private dropped = 0;

  constructor(options: ObservationSampleOptions = {}) {
    this.perGroup = positiveInteger(options.perGroup, DEFAULT_OBSERVATIONS_PER_GROUP, 'perGroup');
    this.maxStored = positiveInteger(options.maxStored, DEFAULT_MAX_STORED_OBSERVATIONS, 'maxStored');
  }

  add(o: Observation): void {
    this.seen++;
    const f = o.flow;
    // join builds one flat string (a template literal leaves a chain of concatenation cells behind the key)
    const key = f ? [o.kind, f.client.ip, f.server.ip, f.server.port].join('\u0000') : `${o.kind}\u0000\u0000\u0000`;
    let g = this.groups.get(key);
    const room = this.kept.length < this.maxStored;
    if (g === undefined) {
      if (!room) {
        this.dropped++;
        return;
      }
      g = this.counts.length;
      this.groups.set(key, g);
      this.counts.push(0);
      this.lasts.push(-1);
    }
    const count = ++this.counts[g]!;
    if (count <= this.perGroup && room) {
      this.lasts[g] = this.kept.length;
      this.kept.push(o);
    }
  }

  /** Kept observations in capture order, each group's total on its last kept one. */
  list(): SampledObservation[] {
    const counts = this.groupCounts();
    const out: SampledObservation[] = [];
    for (let i = 0; i < this.kept.length; i++) {
      const observation = this.kept.get(i);
      const groupCount = counts.get(i);
      out.push(groupCount === undefined ? { observation } : { observation, groupCount });
    }
    return out;
  }

  /**
   * The rows to store, as list() in capture order with ids from `idOf(index)`. A row rebuilds its
   * observation each time it is read, so storage, which reads them a chunk at a time, never has
   * them all rebuilt at once (list() does: 108,000 observations are 77 MB).
   */
  rows(idOf: (index: number) => string): ObservationRow[] {
    const counts = this.groupCounts();
    const out: ObservationRow[] = [];
    for (let i = 0; i < this.kept.length; i++) out.push(new SampleRow(idOf(i), this.kept, i, counts.get(i)));
    return out;
  }

  /** index of each group's last kept row -> the group's total */
  private groupCounts(): Map<number, number> {
    const counts = new Map<number, number>();
    for (let g = 0; g < this.counts.length; g++) counts.set(this.lasts[g]!, this.counts[g]!);
    return counts;
  }

  stats(): ObservationSampleStats {
    const stored = this.kept.length;
    return { seen: this.seen, stored, groups: this.groups.size, omitted: this.seen - this.dropped - stored, dropped: this.dropped, perGroup: this.perGroup, maxStored: this.maxStored };
  }
}

/** A row of rows(): the observation is rebuilt from the sample on each read. */
class SampleRow implements ObservationRow {
  constructor(
    readonly id: string,
    private readonly kept: KeptObservations,
    private readonly index: number,
    readonly groupCount: number | undefined,
  ) {}

  get observation(): Observation {
    return this.kept.get(this.index);
  }

  stored(): { observation: Observation; fieldsJson: string } | undefined {
    return this.kept.getStored(this.index);
  }
}

/**
 * Capture time (µs since the epoch) as ISO-8601 UTC with six fractional digits: packet evidence
 * needs microseconds, and the fixed width keeps text order equal to time order in both engines.
 */
export function isoMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  const rest = Math.floor(us - ms * 1000);
  return `${new Date(ms).toISOString().slice(0, -1)}${String(rest).padStart(3, '0')}Z`;
}
