import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { InlineLeafChecker, WorkerLeafChecker, type LeafChecker } from './leaf-checker.js';
import { emptyRoot, leafHash, rootOfLeafHashes } from './merkle.js';

const texts = (n: number, salt: number) => Array.from({ length: n }, (_, i) => `{"n":${i},"salt":${salt},"s":"ü-${i}"}`);

describe('leaf checkers', () => {
  const workers: WorkerLeafChecker[] = [];
  afterAll(async () => {
    for (const w of workers) await w.close();
  });
  const make = (kind: 'inline' | 'worker'): LeafChecker => {
    if (kind === 'inline') return new InlineLeafChecker();
    const w = new WorkerLeafChecker();
    workers.push(w);
    return w;
  };

  for (const kind of ['inline', 'worker'] as const) {
    it(`${kind}: reports the same roots as the reference MTH at every requested size, across batches`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 64 }), fc.nat(), async (n, batch, salt) => {
          const all = texts(n, salt);
          const leaves = all.map((t) => leafHash(t));
          const checker = make(kind);
          for (let start = 0; start < n; start += batch) {
            const end = Math.min(n, start + batch);
            const sizes = Array.from({ length: end - start }, (_, i) => start + i + 1).filter((s) => s % 3 === 0 || s === end);
            const r = await checker.submit(all.slice(start, end), leaves.slice(start, end).map((l) => l.toString('hex')), sizes);
            expect(r.bad).toBe(-1);
            expect(r.roots).toEqual(sizes.map((s) => rootOfLeafHashes(leaves.slice(0, s)).toString('hex')));
          }
          expect(await checker.finish()).toBe((n === 0 ? emptyRoot() : rootOfLeafHashes(leaves)).toString('hex'));
          await checker.close();
        }),
        { numRuns: kind === 'worker' ? 25 : 100 },
      );
    });

    it(`${kind}: names the first entry whose stored hash does not match, and nothing after it`, async () => {
      const all = texts(50, 1);
      const hashes = all.map((t) => leafHash(t).toString('hex'));
      hashes[23] = hashes[22]!;
      hashes[40] = 'zz';
      const checker = make(kind);
      expect(await checker.submit(all.slice(0, 20), hashes.slice(0, 20), [20])).toMatchObject({ bad: -1 });
      expect(await checker.submit(all.slice(20), hashes.slice(20), [30, 50])).toEqual({ bad: 23, roots: [] });
      expect(await checker.submit(['x'], ['00'], [51])).toEqual({ bad: -1, roots: [] });
      expect(await checker.finish()).toBe(rootOfLeafHashes(all.slice(0, 23).map((t) => leafHash(t))).toString('hex'));
      await checker.close();
    });
  }
});
