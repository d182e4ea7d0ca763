/**
 * @module Runs the dissector property checks (property-cases.ts) in a worker thread, so a dissector
 * that loops forever fails its test instead of hanging the run: a synchronous loop cannot be timed
 * from inside, but the waiting thread sees the worker's case counter stand still and terminates it.
 * The failure names the dissector, the property, the case and the fast-check seed to replay it. One
 * worker serves every check of a file (loading the dissectors once); after a hang the next check
 * starts a fresh one.
 */
import { Worker } from 'node:worker_threads';
import { PROPERTY_TEXT, type PropertyJob } from './property-cases.js';

export interface WorkerSetup {
  /** the worker module (property-worker.ts) the bootstrap imports */
  entry: string;
  /** module URL exporting `dissectorsWithSeeds` */
  catalog: string;
  /** Int32Array over a SharedArrayBuffer: [job id, case index or -1 between cases, case starts so far] */
  progress: SharedArrayBuffer;
}

export type WorkerRequest = PropertyJob & { id: number };
export type WorkerReply = { kind: 'ready' } | { kind: 'done'; id: number; ok: true } | { kind: 'done'; id: number; ok: false; message: string };

export const JOB = 0;
export const CASE = 1;
export const STARTS = 2;

export interface PropertyWorkerOptions {
  /** module URL exporting `dissectorsWithSeeds` (support/seeds.ts) */
  catalog: string;
  /** how often the progress array is looked at (default 25 ms) */
  pollMs?: number;
  /** loading the worker and the catalog (default 30 s) */
  startupMs?: number;
  /** the worker's heap: a case that allocates without end fails instead of exhausting memory (default 512 MB) */
  maxHeapMb?: number;
}

/** The base seed of a run: CAREGUARD_PROPERTY_SEED replays one, else a random one. */
export function baseSeed(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.CAREGUARD_PROPERTY_SEED;
  if (given === undefined || given === '') return (Math.random() * 0x1_0000_0000) | 0;
  if (!/^-?\d+$/.test(given)) throw new Error(`CAREGUARD_PROPERTY_SEED must be an integer, found "${given}"`);
  return Number(given) | 0;
}

/** A seed per (dissector, property), so dissectors do not all see the same random bytes. */
export function jobSeed(base: number, dissector: string, property: string): number {
  let h = 0x811c9dc5;
  for (const ch of `${dissector}/${property}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  return (base ^ h) | 0;
}

const BOOT = new URL('./property-worker-boot.mjs', import.meta.url);
const ENTRY = new URL('./property-worker.ts', import.meta.url).href;

function subject(job: PropertyJob): string {
  return `${job.property === 'dispatcher' ? 'all dissectors' : `dissector ${job.dissector}`}, ${PROPERTY_TEXT[job.property]}`;
}

function caseText(job: PropertyJob, index: number): string {
  if (index < 0) return 'outside any case';
  if (job.property === 'seeds') return `seed conversation ${index}`;
  return `case ${index}${index >= job.numRuns ? ' (while shrinking a failure)' : ''} of fast-check seed ${job.seed}`;
}

/** fast-check replays run `index` of a seed as `path` (a case while shrinking has no plain path). */
function replayText(job: PropertyJob, index: number): string {
  if (job.property === 'seeds' || index < 0 || index >= job.numRuns) return '';
  return `; replay it with fc.assert(..., { seed: ${job.seed}, path: "${index}" })`;
}

export class PropertyWorker {
  private worker: Worker | undefined;
  private ready: Promise<Worker> | undefined;
  private readonly progress = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  private nextId = 1;
  private pending: { id: number; job: PropertyJob; settle: (reply: WorkerReply | Error) => void } | undefined;

  constructor(private readonly opts: PropertyWorkerOptions) {}

  /** Resolves when the property holds; rejects naming the dissector, property and case when it does not or hangs. */
  async check(job: PropertyJob): Promise<void> {
    if (this.pending) throw new Error('PropertyWorker runs one check at a time');
    const worker = await this.start();
    const id = this.nextId++;
    const reply = await new Promise<WorkerReply | Error>((resolve) => {
      let starts = -1;
      let since = performance.now();
      const watch = setInterval(() => {
        const current = Atomics.load(this.progress, CASE);
        const now = performance.now();
        const s = Atomics.load(this.progress, STARTS);
        if (Atomics.load(this.progress, JOB) !== id || current < 0 || s !== starts) {
          starts = s;
          since = now;
          return;
        }
        if (now - since < job.maxMsPerCase) return;
        clearInterval(watch);
        void this.stop();
        resolve(new Error(`${caseText(job, current)} did not return within ${job.maxMsPerCase} ms (an endless loop?), so its worker was terminated${replayText(job, current)}`));
      }, this.opts.pollMs ?? 25);
      this.pending = {
        id,
        job,
        settle: (r) => {
          clearInterval(watch);
          resolve(r);
        },
      };
      worker.postMessage({ ...job, id } satisfies WorkerRequest);
    });
    this.pending = undefined;
    if (reply instanceof Error) throw new Error(`${subject(job)}: ${reply.message}`);
    if (reply.kind === 'done' && !reply.ok) throw new Error(`${subject(job)}: ${reply.message}`);
  }

  async close(): Promise<void> {
    await this.stop();
  }

  private stop(): Promise<number> | undefined {
    const w = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    return w?.terminate();
  }

  private start(): Promise<Worker> {
    if (this.ready) return this.ready;
    Atomics.store(this.progress, CASE, -1);
    const setup: WorkerSetup = { entry: ENTRY, catalog: this.opts.catalog, progress: this.progress.buffer as SharedArrayBuffer };
    const worker = new Worker(BOOT, { workerData: setup, resourceLimits: { maxOldGenerationSizeMb: this.opts.maxHeapMb ?? 512 } });
    worker.unref();
    this.worker = worker;
    const ready = new Promise<Worker>((resolve, reject) => {
      const timer = setTimeout(() => {
        void this.stop();
        reject(new Error(`the property worker did not load ${this.opts.catalog} within ${this.opts.startupMs ?? 30_000} ms`));
      }, this.opts.startupMs ?? 30_000);
      const failed = (why: string) => {
        clearTimeout(timer);
        if (this.worker === worker) void this.stop();
        const current = Atomics.load(this.progress, CASE);
        const where = this.pending ? `${caseText(this.pending.job, current)}${replayText(this.pending.job, current)}` : `loading ${this.opts.catalog}`;
        const e = new Error(`the property worker ${why} during ${where}`);
        if (this.pending) this.pending.settle(e);
        else reject(e);
      };
      worker.on('message', (m: WorkerReply) => {
        if (m.kind === 'ready') {
          clearTimeout(timer);
          resolve(worker);
        } else if (this.pending?.id === m.id) this.pending.settle(m);
      });
      worker.on('error', (e) => failed(`failed: ${e.message}`));
      worker.on('exit', (code) => {
        if (this.worker === worker) failed(`exited with code ${code}`);
      });
    });
    this.ready = ready;
    return ready;
  }
}
