/**
 * The property worker (isolated-properties.ts) turns a dissector that never returns into a failed
 * check naming the dissector, the property, the case and the seed, instead of a hung test run; the
 * next check gets a fresh worker. Runs against hang-guard-fixture.ts, not the real dissectors.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { baseSeed, jobSeed, PropertyWorker } from './isolated-properties.js';

const worker = new PropertyWorker({ catalog: new URL('./hang-guard-fixture.ts', import.meta.url).href, pollMs: 10 });
afterAll(() => worker.close());

const job = { numRuns: 50, seed: 7, maxMsPerCase: 300 };

/** How long a check took to settle, and its failure text (undefined when it held). */
async function timedCheck(j: Parameters<PropertyWorker['check']>[0]): Promise<{ ms: number; failure: string | undefined }> {
  const start = performance.now();
  const failure = await worker.check(j).then(
    () => undefined,
    (e: Error) => e.message,
  );
  return { ms: performance.now() - start, failure };
}

describe('dissector property worker', () => {
  it('fails a case that never returns, naming the dissector, the property, the case and the seed', async () => {
    const r = await timedCheck({ ...job, dissector: 'endless', property: 'random' });
    expect(r.failure).toMatch(/^dissector endless, random bytes in random chunkings: case (\d+) of fast-check seed 7 did not return within 300 ms \(an endless loop\?\), so its worker was terminated; replay it with fc\.assert\(\.\.\., \{ seed: 7, path: "\1" \}\)$/);
    // within the per-case bound plus polling, not the test timeout
    expect(r.ms).toBeLessThan(5000);
  });

  it('names the seed conversation that never returns, and runs the next checks in a fresh worker', async () => {
    const r = await timedCheck({ ...job, dissector: 'endless', property: 'seeds' });
    expect(r.failure).toBe('dissector endless, valid seed conversations: seed conversation 0 did not return within 300 ms (an endless loop?), so its worker was terminated');
    for (const property of ['seeds', 'random'] as const) expect((await timedCheck({ ...job, dissector: 'steady', property })).failure).toBeUndefined();
  });

  it('reports a dissector the catalog does not have', async () => {
    expect((await timedCheck({ ...job, dissector: 'nope', property: 'random' })).failure).toBe('dissector nope, random bytes in random chunkings: no dissector "nope" in the catalog');
  });
});

describe('property seeds', () => {
  it('replays the base seed CAREGUARD_PROPERTY_SEED gives and refuses one that is not an integer', () => {
    expect(baseSeed({ CAREGUARD_PROPERTY_SEED: '-12345' })).toBe(-12345);
    expect(() => baseSeed({ CAREGUARD_PROPERTY_SEED: '12x' })).toThrow(/CAREGUARD_PROPERTY_SEED must be an integer, found "12x"/);
    expect(Number.isInteger(baseSeed({}))).toBe(true);
  });

  it('gives each dissector and property its own seed, the same on every replay', () => {
    expect(jobSeed(5, 'dicom', 'random')).toBe(jobSeed(5, 'dicom', 'random'));
    expect(new Set([jobSeed(5, 'dicom', 'random'), jobSeed(5, 'dicom', 'mutated'), jobSeed(5, 'hl7', 'random'), jobSeed(6, 'dicom', 'random')]).size).toBe(4);
  });
});
