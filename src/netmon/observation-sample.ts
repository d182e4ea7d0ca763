/**
 * @module What an ingest keeps of its observations: bounded by diversity, not volume. Observations
 * are grouped by (kind, client ip, server ip, server port); the first `perGroup` of each group are
 * kept in full and the rest only counted, so a capture of 170,000 HL7 messages between a few hosts
 * keeps a few thousand rows while a rare DHCP fingerprint or TLS ClientHello is never crowded out.
 * A hard cap on the rows kept bounds memory and storage whatever the capture holds; observations of
 * groups first seen after the cap are counted as dropped.
 */
import type { Observation } from './model.js';

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

interface Group {
  count: number;
  /** index in `kept` of the group's last kept observation */
  last: number;
}

const positiveInteger = (v: number | undefined, fallback: number, name: string): number => {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be a positive integer, found ${v}`);
  return v;
};

export class ObservationSample {
  readonly perGroup: number;
  readonly maxStored: number;
  private readonly groups = new Map<string, Group>();
  private readonly kept: Observation[] = [];
  private seen = 0;
  private dropped = 0;

  constructor(options: ObservationSampleOptions = {}) {
    this.perGroup = positiveInteger(options.perGroup, DEFAULT_OBSERVATIONS_PER_GROUP, 'perGroup');
    this.maxStored = positiveInteger(options.maxStored, DEFAULT_MAX_STORED_OBSERVATIONS, 'maxStored');
  }

  add(o: Observation): void {
    this.seen++;
    const f = o.flow;
    const key = f ? `${o.kind}\u0000${f.client.ip}\u0000${f.server.ip}\u0000${f.server.port}` : `${o.kind}\u0000\u0000\u0000`;
    let g = this.groups.get(key);
    const room = this.kept.length < this.maxStored;
    if (!g) {
      if (!room) {
        this.dropped++;
        return;
      }
      this.groups.set(key, (g = { count: 0, last: -1 }));
    }
    g.count++;
    if (g.count <= this.perGroup && room) {
      g.last = this.kept.length;
      this.kept.push(o);
    }
  }

  /** Kept observations in capture order, each group's total on its last kept one. */
  list(): SampledObservation[] {
    const counts = new Map<number, number>();
    for (const g of this.groups.values()) counts.set(g.last, g.count);
    return this.kept.map((observation, i) => {
      const groupCount = counts.get(i);
      return groupCount === undefined ? { observation } : { observation, groupCount };
    });
  }

  stats(): ObservationSampleStats {
    const stored = this.kept.length;
    return { seen: this.seen, stored, groups: this.groups.size, omitted: this.seen - this.dropped - stored, dropped: this.dropped, perGroup: this.perGroup, maxStored: this.maxStored };
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
