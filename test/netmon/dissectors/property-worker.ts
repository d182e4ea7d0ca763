/**
 * @module The worker thread side of isolated-properties.ts: loads the dissector catalog named in
 * workerData, then checks one property per message and answers ok or the failure text. Before and
 * after each case it writes the case number into the shared progress array, which the waiting
 * thread watches: a case that never returns is seen and the worker terminated from outside.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CASE, JOB, STARTS, type WorkerReply, type WorkerRequest, type WorkerSetup } from './isolated-properties.js';
import { checkProperty, type DissectorCatalog } from './property-cases.js';

/** fast-check keeps the predicate's error as `cause`: it crosses the thread as text with its stack. */
function failureText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const lines = [e.message];
  for (let c: unknown = e.cause, depth = 0; c !== undefined && depth < 5; c = c instanceof Error ? c.cause : undefined, depth++) {
    lines.push(`Caused by: ${c instanceof Error ? (c.stack ?? `${c.name}: ${c.message}`) : String(c)}`);
  }
  return lines.join('\n');
}

const port = parentPort;
if (port) {
  const setup = workerData as WorkerSetup;
  const progress = new Int32Array(setup.progress);
  const mod = (await import(setup.catalog)) as { dissectorsWithSeeds: DissectorCatalog };
  const hooks = {
    onCaseStart: (i: number) => {
      Atomics.store(progress, CASE, i);
      Atomics.add(progress, STARTS, 1);
    },
    onCaseEnd: () => void Atomics.store(progress, CASE, -1),
  };
  port.on('message', (job: WorkerRequest) => {
    Atomics.store(progress, JOB, job.id);
    Atomics.store(progress, CASE, -1);
    let reply: WorkerReply;
    try {
      checkProperty(mod.dissectorsWithSeeds, job, hooks);
      reply = { kind: 'done', id: job.id, ok: true };
    } catch (e) {
      reply = { kind: 'done', id: job.id, ok: false, message: failureText(e) };
    }
    Atomics.store(progress, CASE, -1);
    port.postMessage(reply);
  });
  port.postMessage({ kind: 'ready' } satisfies WorkerReply);
}
