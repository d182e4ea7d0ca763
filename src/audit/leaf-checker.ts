/**
 * @module The hashing half of verification: hash each entry's text as a leaf, compare it with the
 * stored leaf hash, fold it into the tree, and report the root at requested sizes. Verification
 * is half database decoding and half SHA-256, so on large logs this half runs in a worker thread
 * while the main thread reads the next batch (about twice as fast on two cores). The worker's
 * source is plain JavaScript evaluated from a string so it runs the same under tsx, vitest and the
 * compiled build; tests check it against merkle.ts on random trees.
 */
import { Worker } from 'node:worker_threads';
import { HASH_SIZE, leafHash, MerkleFrontier } from './merkle.js';

export interface BatchResult {
  /** absolute index of the first entry whose stored hash does not match its text, or -1 */
  bad: number;
  /** hex roots at the requested sizes reached in this batch, in request order */
  roots: string[];
}

export interface LeafChecker {
  /** Texts and stored hashes of the next entries in order; sizes are absolute tree sizes to report roots at. */
  submit(texts: string[], hashes: string[], sizes: number[]): Promise<BatchResult>;
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

  async finish(): Promise<string> {
    return this.frontier.root().toString('hex');
  }

  async close(): Promise<void> {}
}

// Mirrors merkle.ts leafHash/nodeHash/MerkleFrontier exactly (RFC 9162 §2.1); see the tests.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { hash } = require('node:crypto');
const scratch = Buffer.alloc(65);
scratch[0] = 1;
const stored = Buffer.alloc(32);
const stack = [];
let count = 0;
let failed = false;
const node = (l, r) => { scratch.set(l, 1); scratch.set(r, 33); return hash('sha256', scratch, 'buffer'); };
const root = () => {
  if (stack.length === 0) return hash('sha256', Buffer.alloc(0), 'hex');
  let r = stack[stack.length - 1];
  for (let i = stack.length - 2; i >= 0; i--) r = node(stack[i], r);
  return r.toString('hex');
};
parentPort.on('message', (m) => {
  if (m.finish) { parentPort.postMessage({ root: root() }); return; }
  const roots = [];
  let next = 0;
  if (failed) { parentPort.postMessage({ bad: -1, roots }); return; }
  for (let i = 0; i < m.texts.length; i++) {
    const leaf = hash('sha256', '\\u0000' + m.texts[i], 'buffer');
    const h = m.hashes[i];
    if (h.length !== 64 || stored.write(h, 'hex') !== 32 || !stored.equals(leaf)) {
      failed = true;
      parentPort.postMessage({ bad: count, roots });
      return;
    }
    let x = leaf;
    let n = count;
    while (n % 2 === 1) { x = node(stack.pop(), x); n = (n - 1) / 2; }
    stack.push(x);
    count++;
    while (next < m.sizes.length && m.sizes[next] === count) { roots.push(root()); next++; }
  }
  parentPort.postMessage({ bad: -1, roots });
});
`;

/** Worker-thread checker: replies arrive in submission order, one per message. */
export class WorkerLeafChecker implements LeafChecker {
  private readonly worker: Worker;
  private readonly waiting: Array<{ resolve: (v: unknown) => void; reject: (e: unknown) => void }> = [];
  private failure: unknown;

  constructor() {
    this.worker = new Worker(WORKER_SOURCE, { eval: true });
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

  private request<T>(message: unknown): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage(message);
    });
  }

  submit(texts: string[], hashes: string[], sizes: number[]): Promise<BatchResult> {
    return this.request<BatchResult>({ texts, hashes, sizes });
  }

  async finish(): Promise<string> {
    return (await this.request<{ root: string }>({ finish: true })).root;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
