/**
 * @module The search for the first message start of an HL7 stream that began inside a message (a monitor
 * started on a live, persistent connection), across chunks: the rules of mid-stream.ts, with only the
 * last MAX_START_BYTES carried between chunks (a start cut by a chunk end), so the search slides over
 * the stream by itself. Late sync (LateSync in contract.ts) bounds it: a start must lie whole in the
 * first `limit` bytes, else the stream is given up. Offsets count the bytes seen, never those a gap lost.
 */
import type { ScanProgress } from '../support/stream-start.js';
import { concatBytes } from '../support/bytes.js';
import { findMessageStart } from './mid-stream.js';
import type { Framing } from './framing.js';

/** a start block and a whole header opening ("\x0bMSH|^~\\&#|"): the bytes a start can be cut across */
export const MAX_START_BYTES = 11;
const EMPTY = new Uint8Array(0);

export interface FoundStart {
  /** the bytes from the message start on (a view of the chunk, or of a copy with the carried bytes) */
  bytes: Uint8Array;
  framing: Framing;
}

export class MessageStartSearch implements ScanProgress {
  /** the last bytes seen, which may hold the beginning of a message start */
  private carry: Uint8Array = EMPTY;
  /** bytes passed over before the carry (before the start, once found) */
  private skipped = 0;
  private atStreamStart = true;
  private found = false;
  private scanLost = false;

  /** `limit`: bytes a start must lie in (late sync's scan limit; unbounded otherwise) */
  constructor(private readonly limit = Number.POSITIVE_INFINITY) {}

  /** bytes passed over: before the start once found */
  get skippedBytes(): number {
    return this.skipped;
  }

  get decided(): boolean {
    return this.found;
  }

  get lost(): boolean {
    return this.scanLost;
  }

  get synced(): boolean {
    return this.found;
  }

  get scannedBytes(): number {
    return this.scanLost ? this.limit : this.skipped + this.carry.length;
  }

  get carriedBytes(): number {
    return this.carry.length;
  }

  /** Takes the next chunk; the bytes from the first message start on, once there is one. */
  offer(data: Uint8Array): FoundStart | undefined {
    if (this.found || this.scanLost) return undefined;
    const probe = this.carry.length === 0 ? data : concatBytes(this.carry, data);
    // only a start lying whole in the first `limit` bytes counts, whatever the chunking
    const room = this.limit - this.skipped;
    const searched = probe.length > room ? probe.subarray(0, room) : probe;
    // the first byte of the stream counts as the start of a line
    const at = findMessageStart(searched, 0, this.atStreamStart);
    if (at === undefined) {
      if (searched.length >= room) {
        this.scanLost = true;
        this.carry = EMPTY;
        return undefined;
      }
      const keep = Math.min(probe.length, MAX_START_BYTES);
      this.skip(probe.length - keep);
      this.carry = probe.slice(probe.length - keep);
      return undefined;
    }
    this.skip(at.start);
    this.found = true;
    this.carry = EMPTY;
    return { bytes: probe.subarray(at.start), framing: at.framing };
  }

  /**
   * A gap before a start was found: a start cut by it is lost, and the byte after it counts as the start
   * of a line, as the first byte of a stream does (a header segment, "MSH|^~\\&|", is too specific to
   * appear by chance where a line was cut).
   */
  gap(): void {
    if (this.found || this.scanLost) return;
    this.skipped += this.carry.length;
    this.carry = EMPTY;
    this.atStreamStart = true;
  }

  private skip(n: number): void {
    if (n === 0) return;
    this.skipped += n;
    this.atStreamStart = false;
  }
}
