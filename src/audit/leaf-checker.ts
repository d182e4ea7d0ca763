/**
 * @module The hashing half of verification: hash each entry's text as a leaf, compare it with the
 * stored leaf hash, fold it into the tree, and report the root at requested sizes. On large logs
 * this half runs in a worker thread (leaf-worker-source.ts) while the main thread reads the next
 * batch. Batches arrive either as strings (the row-by-row path) or packed into buffers
 * (PackedEntries), which cross to the worker without copying and hash without re-encoding.
 */
import { hash } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { contentSeq } from './encoding.js';
import { LEAF_WORKER_SOURCE } from './leaf-worker-source.js';
import { HASH_SIZE, leafHash, MerkleFrontier } from './merkle.js';
import type { PackedEntries } from './ports.js';

export interface BatchResult {
  /** absolute index of the first entry whose stored hash does not match its text, or -1 */
  bad: number;
  /** hex roots at the requested sizes reached in this batch, in request order */
  roots: string[];
  /** packed batches only: the first entry whose text names another position (written absent when unreadable) */
  misplaced?: { index: number; written?: number };
}

export interface LeafChecker {
  /** Texts and stored hashes of the next entries in order; sizes are absolute tree sizes to report roots at. */
  submit(texts: string[], hashes: string[], sizes: number[]): Promise<BatchResult>;
  /** The same for a packed batch, which must start where the entries submitted so far end. */
  submitPacked(batch: PackedEntries, sizes: number[]): Promise<BatchResult>;
  /** hex root over every entry submitted before the first bad one */
  finish(): Promise<string>;
  close(): Promise<void>;
}

/** Same-thread checker over merkle.ts (small logs, and where worker threads are unavailable). */
export class InlineLeafChecker implements LeafChecker {
  private readonly frontier = new MerkleFrontier();
  private readonly stored = Buffer.alloc(HASH_SIZE);
  private failed = false;

  async submit(texts: string[], hashes: string[], sizes: number[]): Promise<BatchResult> {
    const roots: string[] = [];
    let next = 0;
    if (this.failed) return { bad: -1, roots };
    for (let i = 0; i < texts.length; i++) {
      const leaf = leafHash(texts[i]!);
      const h = hashes[i]!;
      if (h.length !== 2 * HASH_SIZE || this.stored.write(h, 'hex') !== HASH_SIZE || !this.stored.equals(leaf)) {
        this.failed = true;
        return { bad: this.frontier.size, roots };
      }
      this.frontier.append(leaf);
      while (next < sizes.length && sizes[next] === this.frontier.size) {
        roots.push(this.frontier.root().toString('hex'));
        next++;
      }
    }
    return { bad: -1, roots };
  }

  async submitPacked(batch: PackedEntries, sizes: number[]): Promise<BatchResult> {
    const roots: string[] = [];
    let next = 0;
    if (this.failed) return { bad: -1, roots };
    const leaves = Buffer.from(batch.leaves.buffer, batch.leaves.byteOffset, batch.leaves.byteLength);
    const hashes = Buffer.from(batch.hashes.buffer, batch.hashes.byteOffset, batch.hashes.byteLength);
    const lengths = batch.lengths.split(',');
    let off = 0;
    for (let i = 0; i < batch.count; i++) {
      const end = off + Number(lengths[i]);
      const leaf = hash('sha256', leaves.subarray(off, end), 'buffer');
      if (leaf.compare(hashes, HASH_SIZE * i, HASH_SIZE * (i + 1)) !== 0) {
        this.failed = true;
        return { bad: this.frontier.size, roots };
      }
      const written = contentSeq(leaves.toString('utf8', off + 1, end));
      this.frontier.append(leaf);
      off = end;
      while (next < sizes.length && sizes[next] === this.frontier.size) {
        roots.push(this.frontier.root().toString('hex'));
        next++;
      }
      if (written !== batch.first + i) {
        this.failed = true;
        return { bad: -1, roots, misplaced: written === undefined ? { index: batch.first + i } : { index: batch.first + i, written } };
      }
    }
    return { bad: -1, roots };
  }

  async finish(): Promise<string> {
    return this.frontier.root().toString('hex');
  }

  async close(): Promise<void> {}
}

/** Worker-thread checker: replies arrive in submission order, one per message. */
export class WorkerLeafChecker implements LeafChecker {
  private readonly worker: Worker;
  private readonly waiting: Array<{ resolve: (v: unknown) => void; reject: (e: unknown) => void }> = [];
  private failure: unknown;

  constructor() {
    this.worker = new Worker(LEAF_WORKER_SOURCE, { eval: true });
    this.worker.on('message', (m: unknown) => {
      this.waiting.shift()?.resolve(m);
    });
    const fail = (e: unknown) => {
      this.failure = e;
      for (const w of this.waiting.splice(0)) w.reject(e);
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => {
      if (this.waiting.length > 0) fail(new Error(`verification worker exited with code ${code}`));
    });
  }

  private request<T>(message: unknown, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage(message, transfer);
    });
  }

  submit(texts: string[], hashes: string[], sizes: number[]): Promise<BatchResult> {
    return this.request<BatchResult>({ texts, hashes, sizes });
  }

  submitPacked(batch: PackedEntries, sizes: number[]): Promise<BatchResult> {
    // Buffers that own their whole memory move to the worker instead of being copied.
    const owned = (u: Uint8Array) => u.byteOffset === 0 && u.byteLength === u.buffer.byteLength && u.buffer instanceof ArrayBuffer;
    const transfer = [batch.leaves, batch.hashes].filter(owned).map((u) => u.buffer as ArrayBuffer);
    return this.request<BatchResult>({ packed: batch, sizes }, transfer);
  }

  async finish(): Promise<string> {
    return (await this.request<{ root: string }>({ finish: true })).root;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
