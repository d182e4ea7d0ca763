/**
 * @module IP fragment reassembly (IPv4 and IPv6), bounded: a datagram may not exceed 65535 bytes or
 * a fragment count, all pending datagrams together may not exceed a byte budget (oldest dropped
 * first), and incomplete datagrams expire after a timeout measured in packet time. Overlapping
 * fragments resolve first-wins, as most receivers do.
 */
import { DecodeError } from './packet.js';

export interface FragmentLimits {
  /** largest reassembled datagram payload (default 65535, the IPv4/IPv6 maximum) */
  maxDatagramBytes: number;
  maxFragmentsPerDatagram: number;
  /** bytes held across all incomplete datagrams, each fragment also counting 128 (default 8 MiB) */
  maxTotalBytes: number;
  /** incomplete datagrams older than this (packet time, µs) are dropped (default 30 s) */
  timeoutUs: number;
}

export const DEFAULT_FRAGMENT_LIMITS: FragmentLimits = {
  maxDatagramBytes: 65535,
  maxFragmentsPerDatagram: 256,
  maxTotalBytes: 8 * 1024 * 1024,
  timeoutUs: 30_000_000,
};

/** Bytes charged per held fragment beyond its payload (object and buffer headers), so tiny fragments stay bounded too. */
export const FRAGMENT_OVERHEAD = 128;

interface Piece {
  off: number;
  data: Uint8Array;
}

interface Pending {
  firstTs: number;
  /** payload length, known once the last fragment (more-fragments clear) arrived; -1 before */
  total: number;
  bytes: number;
  pieces: Piece[];
  /** next protocol carried in the offset-0 fragment (IPv6 puts it in each fragment header) */
  proto: number;
}

export interface FragmentStats {
  fragments: number;
  reassembled: number;
  expired: number;
  evicted: number;
  bufferedBytes: number;
}

export class FragmentReassembler {
  private readonly pending = new Map<string, Pending>();
  private readonly limits: FragmentLimits;
  readonly stats: FragmentStats = { fragments: 0, reassembled: 0, expired: 0, evicted: 0, bufferedBytes: 0 };
  /** protocol of the datagram most recently completed by `add` */
  completedProto = 0;

  constructor(limits: Partial<FragmentLimits> = {}) {
    this.limits = { ...DEFAULT_FRAGMENT_LIMITS, ...limits };
  }

  /**
   * Stores one fragment's payload (copied). Returns the whole datagram payload when this fragment
   * completes it, null while incomplete, or a DecodeError when the datagram breaks a bound (it is dropped).
   */
  add(key: string, offset: number, more: boolean, data: Uint8Array, proto: number, ts: number): Uint8Array | null | DecodeError {
    this.stats.fragments++;
    this.expire(ts);
    let d = this.pending.get(key);
    if (d === undefined) {
      d = { firstTs: ts, total: -1, bytes: 0, pieces: [], proto: -1 };
      this.pending.set(key, d);
    }
    const end = offset + data.length;
    if (end > this.limits.maxDatagramBytes) {
      this.drop(key, d);
      return new DecodeError('fragment.too-large', `fragment ends at byte ${end} of its datagram, beyond the ${this.limits.maxDatagramBytes}-byte limit`, 0);
    }
    if (d.pieces.length >= this.limits.maxFragmentsPerDatagram) {
      this.drop(key, d);
      return new DecodeError('fragment.too-many', `datagram has more than ${this.limits.maxFragmentsPerDatagram} fragments`, 0);
    }
    if (!more) d.total = end;
    if (offset === 0) d.proto = proto;
    const charge = data.length + FRAGMENT_OVERHEAD;
    this.makeRoom(charge, key);
    d.pieces.push({ off: offset, data: data.slice() });
    d.bytes += charge;
    this.stats.bufferedBytes += charge;
    if (d.total < 0 || d.proto < 0 || !covers(d.pieces, d.total)) return null;
    this.drop(key, d);
    this.stats.reassembled++;
    this.completedProto = d.proto;
    return assemble(d.pieces, d.total);
  }

  get pendingDatagrams(): number {
    return this.pending.size;
  }

  private expire(ts: number): void {
    // Insertion order is arrival order, so the oldest datagrams come first.
    for (const [key, d] of this.pending) {
      if (d.firstTs + this.limits.timeoutUs >= ts) break;
      this.drop(key, d);
      this.stats.expired++;
    }
  }

  private makeRoom(need: number, keep: string): void {
    for (const [key, d] of this.pending) {
      if (this.stats.bufferedBytes + need <= this.limits.maxTotalBytes) return;
      if (key === keep) continue;
      this.drop(key, d);
      this.stats.evicted++;
    }
  }

  private drop(key: string, d: Pending): void {
    this.stats.bufferedBytes -= d.bytes;
    this.pending.delete(key);
  }
}

function covers(pieces: Piece[], total: number): boolean {
  const sorted = [...pieces].sort((a, b) => a.off - b.off);
  let pos = 0;
  for (const p of sorted) {
    if (p.off > pos) return false;
    pos = Math.max(pos, p.off + p.data.length);
    if (pos >= total) return true;
  }
  return pos >= total;
}

function assemble(pieces: Piece[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  // Later arrivals are written first so that earlier ones overwrite them: first wins.
  for (let i = pieces.length - 1; i >= 0; i--) {
    const p = pieces[i] as Piece;
    if (p.off >= total) continue;
    out.set(p.data.subarray(0, total - p.off), p.off);
  }
  return out;
}
