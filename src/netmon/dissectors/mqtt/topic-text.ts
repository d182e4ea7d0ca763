/**
 * @module Whether byte ranges of one buffer are MQTT topic text: UTF-8 (no overlong forms, surrogates or
 * code points past U+10FFFF), without control characters (C0, DEL, C1), and for topic names without the
 * wildcards + and #. Used by the mid-stream packet checks, which ask about many overlapping ranges.
 */

/** length of the UTF-8 sequence a byte leads, 0 if it cannot lead one */
const sequenceLength = (c: number): number => (c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0);

/** the second byte of a sequence, where overlong forms, surrogates and code points past U+10FFFF are excluded */
function secondByteValid(lead: number, c: number): boolean {
  if (lead === 0xe0) return c >= 0xa0 && c <= 0xbf;
  if (lead === 0xed) return c >= 0x80 && c <= 0x9f;
  if (lead === 0xf0) return c >= 0x90 && c <= 0xbf;
  if (lead === 0xf4) return c >= 0x80 && c <= 0x8f;
  // U+0080-U+009F are C1 control characters
  if (lead === 0xc2) return c >= 0xa0 && c <= 0xbf;
  return (c & 0xc0) === 0x80;
}

const isWildcard = (c: number) => c === 0x2b || c === 0x23;

export const MAX_TEXT_BYTES = 4096;
// scratch for the index, overwritten by each build before it is read (detection runs on every new flow)
const NEXT_BAD = new Int32Array(MAX_TEXT_BYTES + 1);
const NEXT_WILDCARD = new Int32Array(MAX_TEXT_BYTES + 1);

/**
 * Topic text in b[0, n) (n <= MAX_TEXT_BYTES). A range is checked byte by byte, which costs little since
 * most candidate ranges in other protocols' bytes fail within a few bytes; once that has cost more than a
 * few passes over the buffer (overlapping long ranges, as crafted input could make), an index built in one
 * pass answers every further range in O(1), so all questions about one buffer cost O(n).
 */
export class TopicText {
  private scanned = 0;
  private indexed = false;

  constructor(
    private readonly b: Uint8Array,
    private readonly n: number,
  ) {}

  /** b[a, c) is topic text (c <= n), or, when c > n, b[a, n) is a valid beginning of it */
  valid(a: number, c: number, wildcards: boolean): boolean {
    if (c <= a) return false;
    if (!this.indexed) {
      if (this.scanned <= 3 * this.n + 256) return this.scan(a, Math.min(c, this.n), c > this.n, wildcards);
      this.buildIndex();
    }
    return c <= this.n ? this.whole(a, c, wildcards) : this.begins(a, wildcards);
  }

  /** byte by byte: `cut` when the range goes on past `stop` (the end of the buffer) */
  private scan(a: number, stop: number, cut: boolean, wildcards: boolean): boolean {
    const b = this.b;
    let q = a;
    let ok = true;
    while (q < stop) {
      const c = b[q] as number;
      if (c < 0x80) {
        if (c < 0x20 || c === 0x7f || (!wildcards && isWildcard(c))) {
          ok = false;
          break;
        }
        q++;
        continue;
      }
      const end = q + sequenceLength(c);
      // a sequence may run past the end of the buffer only when the range does
      if (end === q || (end > stop && !cut) || (q + 1 < stop && !secondByteValid(c, b[q + 1] as number))) {
        ok = false;
        break;
      }
      let r = q + 2;
      for (const last = Math.min(end, stop); r < last; r++) if (((b[r] as number) & 0xc0) !== 0x80) break;
      if (r < Math.min(end, stop)) {
        ok = false;
        break;
      }
      q = end;
    }
    this.scanned += q - a + 1;
    return ok;
  }

  private buildIndex(): void {
    const { b, n } = this;
    const bad = NEXT_BAD;
    // pass 1: bad[q] = 1 where byte q cannot be in topic text; every non-continuation byte starts a sequence
    for (let q = 0; q < n; ) {
      const c = b[q] as number;
      if (c < 0x80) {
        bad[q++] = c < 0x20 || c === 0x7f ? 1 : 0;
        continue;
      }
      const stop = Math.min(q + sequenceLength(c), n);
      let ok = stop > q && (q + 1 >= n || secondByteValid(c, b[q + 1] as number));
      for (let r = q + 2; r < stop && ok; r++) ok = ((b[r] as number) & 0xc0) === 0x80;
      if (!ok) {
        bad[q++] = 1;
        continue;
      }
      for (; q < stop; q++) bad[q] = 0;
    }
    // pass 2: the flags become "next bad offset at or after q" (each flag is read before it is replaced)
    let nextBad = n;
    let nextWildcard = n;
    bad[n] = n;
    NEXT_WILDCARD[n] = n;
    for (let q = n - 1; q >= 0; q--) {
      if (bad[q] === 1) nextBad = q;
      bad[q] = nextBad;
      if (isWildcard(b[q] as number)) nextWildcard = q;
      NEXT_WILDCARD[q] = nextWildcard;
    }
    this.indexed = true;
  }

  private whole(a: number, c: number, wildcards: boolean): boolean {
    const b = this.b;
    if (((b[a] as number) & 0xc0) === 0x80 || (NEXT_BAD[a] as number) < c) return false;
    if (!wildcards && (NEXT_WILDCARD[a] as number) < c) return false;
    // the last sequence must end at c, not run on past it
    let lead = c - 1;
    while (lead > a && ((b[lead] as number) & 0xc0) === 0x80) lead--;
    const last = b[lead] as number;
    return (last < 0x80 ? lead + 1 : lead + sequenceLength(last)) === c;
  }

  private begins(a: number, wildcards: boolean): boolean {
    const n = this.n;
    if (a >= n) return true;
    if (((this.b[a] as number) & 0xc0) === 0x80 || (NEXT_BAD[a] as number) < n) return false;
    return wildcards || (NEXT_WILDCARD[a] as number) >= n;
  }
}
