/**
 * @module The observations an ingest keeps until it stores them (ObservationSample), held compactly:
 * each one's `fields` as UTF-8 JSON in 1 MB off-heap blocks, its numbers in a Float64Array, its
 * protocol, kind, producer and direction as one entry of a small table, and only its flow key and
 * findings as references. Kept as objects, 108,000 observations of a 1 GB capture took 77 MB of
 * JavaScript heap, and the garbage collector lets the heap grow to a multiple of what is live; this
 * way they take about 2 MB of heap and 45 MB outside it. An observation is rebuilt (its fields
 * parsed back) when read; JSON.stringify of the rebuilt fields gives exactly the text kept, which is
 * all storage does with them. Fields that cannot be written as JSON (a BigInt, a cycle) are kept as
 * they came (as is an observation whose time or frame is not a number), so storing them fails where
 * it always did.
 */
import type { Direction, FlowKey, Observation, WireFinding } from './model.js';

const BLOCK_BYTES = 1 << 20;
/** the fields of an observation getStored() gives: its fields are the JSON text beside it */
const NO_FIELDS: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;
/** per observation in `numbers`: ts, frame, signature, block, start, length */
const STRIDE = 6;

interface Signature {
  protocol: string;
  kind: string;
  producer: string;
  dir: Direction | undefined;
}

export class KeptObservations {
  private count = 0;
  private numbers = new Float64Array(1024 * STRIDE);
  private readonly flows: Array<FlowKey | undefined> = [];
  private readonly findings: Array<WireFinding[] | undefined> = [];
  /** (protocol, kind, producer, dir) combinations, a few dozen in any capture */
  private readonly signatures: Signature[] = [];
  private readonly signatureIndex = new Map<string, number>();
  /** observations whose fields JSON cannot write, kept whole by index */
  private readonly whole = new Map<number, Observation>();
  private readonly blocks: Buffer[] = [];
  /** bytes used in the last block */
  private used = 0;

  get length(): number {
    return this.count;
  }

  /** Bytes held outside the heap: JSON blocks and the numbers. */
  get externalBytes(): number {
    return this.blocks.reduce((n, b) => n + b.length, this.numbers.byteLength);
  }

  push(o: Observation): void {
    const i = this.count++;
    this.flows.push(o.flow);
    this.findings.push(o.findings);
    let json: string | undefined;
    try {
      json = JSON.stringify(o.fields);
    } catch {
      json = undefined;
    }
    if (json === undefined || typeof o.ts !== 'number' || typeof o.frame !== 'number') {
      this.whole.set(i, o);
      return;
    }
    const length = Buffer.byteLength(json, 'utf8');
    let block = this.blocks.length - 1;
    if (block < 0 || this.used + length > this.blocks[block]!.length) {
      this.blocks.push(Buffer.allocUnsafeSlow(Math.max(BLOCK_BYTES, length)));
      block++;
      this.used = 0;
    }
    const start = this.used;
    this.blocks[block]!.write(json, start, length, 'utf8');
    this.used += length;
    if ((i + 1) * STRIDE > this.numbers.length) {
      const grown = new Float64Array(this.numbers.length * 2);
      grown.set(this.numbers);
      this.numbers = grown;
    }
    const n = this.numbers;
    const at = i * STRIDE;
    n[at] = o.ts;
    n[at + 1] = o.frame;
    n[at + 2] = this.signatureOf(o);
    n[at + 3] = block;
    n[at + 4] = start;
    n[at + 5] = length;
  }

  /** The i-th observation kept, rebuilt: a new object (and new fields) at each call. */
  get(i: number): Observation {
    this.check(i);
    const original = this.whole.get(i);
    if (original) return original;
    return this.rebuild(i, JSON.parse(this.fieldsText(i)) as Record<string, unknown>);
  }

  /**
   * The i-th observation with its fields left as the JSON text kept (what storage writes), or
   * undefined for one kept whole (get() gives it as it came).
   */
  getStored(i: number): { observation: Observation; fieldsJson: string } | undefined {
    this.check(i);
    if (this.whole.has(i)) return undefined;
    return { observation: this.rebuild(i, NO_FIELDS), fieldsJson: this.fieldsText(i) };
  }

  private check(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) throw new RangeError(`no kept observation ${i} (${this.count} kept)`);
  }

  private fieldsText(i: number): string {
    const n = this.numbers;
    const start = n[i * STRIDE + 4]!;
    return this.blocks[n[i * STRIDE + 3]!]!.toString('utf8', start, start + n[i * STRIDE + 5]!);
  }

  private rebuild(i: number, fields: Record<string, unknown>): Observation {
    const n = this.numbers;
    const sig = this.signatures[n[i * STRIDE + 2]!]!;
    const o: Observation = { protocol: sig.protocol, kind: sig.kind, producer: sig.producer, ts: n[i * STRIDE]!, frame: n[i * STRIDE + 1]!, fields };
    const flow = this.flows[i];
    if (flow !== undefined) o.flow = flow;
    if (sig.dir !== undefined) o.dir = sig.dir;
    const findings = this.findings[i];
    if (findings !== undefined) o.findings = findings;
    return o;
  }

  private signatureOf(o: Observation): number {
    // NUL never occurs in the ids dissectors give these (JSON.stringify of the four cost more than keeping the observation)
    const key = `${o.protocol}\u0000${o.kind}\u0000${o.producer}\u0000${o.dir ?? ''}`;
    let n = this.signatureIndex.get(key);
    if (n === undefined) {
      n = this.signatures.length;
      this.signatures.push({ protocol: o.protocol, kind: o.kind, producer: o.producer, dir: o.dir });
      this.signatureIndex.set(key, n);
    }
    return n;
  }
}
