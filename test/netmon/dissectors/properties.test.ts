/**
 * Property tests for every dissector: random bytes and mutated valid conversations, fed in random chunkings,
 * never make a dissector throw anything but DissectorError, never hang, and never leak through the dispatcher
 * as a dissector fault. The cases (property-cases.ts) run in a worker thread (isolated-properties.ts): a case
 * that does not return within MAX_MS_PER_CASE fails its test, naming the dissector, the case and the seed,
 * instead of hanging the run. CAREGUARD_PROPERTY_SEED replays a run (the seed is in every failure).
 */
import { afterAll, describe, it } from 'vitest';
import { baseSeed, jobSeed, PropertyWorker } from './isolated-properties.js';
import type { PropertyName } from './property-cases.js';
import { dissectorsWithSeeds } from './support/seeds.js';

const RUNS = Number(process.env.CAREGUARD_PROPERTY_RUNS ?? 150);
const MAX_MS_PER_CASE = 2000;
const SEED = baseSeed();

const worker = new PropertyWorker({ catalog: new URL('./support/seeds.ts', import.meta.url).href });
afterAll(() => worker.close());

/** Checks one property in the worker; a failure also says how to replay the whole run. */
const check = (dissector: string, property: PropertyName, numRuns = RUNS) =>
  worker.check({ dissector, property, numRuns, seed: jobSeed(SEED, dissector, property), maxMsPerCase: MAX_MS_PER_CASE }).catch((e: Error) => {
    throw new Error(`${e.message}\n(CAREGUARD_PROPERTY_SEED=${SEED} replays this run)`, { cause: e });
  });

describe.each(dissectorsWithSeeds().map(([d]) => d.id))('dissector %s', (id) => {
  it('has at least one valid seed conversation that dissects without error', () => check(id, 'seeds'));

  it('throws only DissectorError on random bytes in random chunkings, within bounded time', () => check(id, 'random'));

  it('throws only DissectorError on mutated valid conversations in random chunkings, within bounded time', () => check(id, 'mutated'));

  it('detect never throws and answers yes, no or need-more for any bytes', () => check(id, 'detect'));
});

describe('dispatcher under random and mutated flows', () => {
  it('never reports a dissector fault and stamps every observation with id@version', () => check('*', 'dispatcher', RUNS * 2));
});
