import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { InlineLeafChecker, WorkerLeafChecker, type LeafChecker } from './leaf-checker.js';
import { emptyRoot, leafHash, rootOfLeafHashes } from './merkle.js';
import type { PackedEntries } from './ports.js';

const texts = (n: number, salt: number) => Array.from({ length: n }, (_, i) => `{"n":${i},"salt":${salt},"s":"ü-${i}"}`);
/** Entry-like texts that name their own position, as stored entries do (`"seq":i` last but one). */
const entryText = (i: number, salt: number) => `{"s":"ü-${i}","salt":${salt},"seq":${i},"time":"t"}`;
const entries = (n: number, salt: number) => Array.from({ length: n }, (_, i) => entryText(i, salt));

/** What a store's scanPacked returns for these entries starting at seq `first`. */
function pack(first: number, entryTexts: string[], leafHashes: Buffer[]): PackedEntries {
  const leaves = entryTexts.map((t) => Buffer.concat([Buffer.alloc(1), Buffer.from(t)]));
  return { first, count: entryTexts.length, leaves: Buffer.concat(leaves), lengths: leaves.map((l) => l.length).join(','), hashes: Buffer.concat(leafHashes) };
}

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

    it(`${kind}: packed batches give the same roots as the reference MTH, and mix with text batches`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 1, max: 50 }), fc.nat(), async (n, batch, salt) => {
          const all = entries(n, salt);
          const leaves = all.map((t) => leafHash(t));
          const checker = make(kind);
          for (let start = 0, k = 0; start < n; start += batch, k++) {
            const end = Math.min(n, start + batch);
            const sizes = Array.from({ length: end - start }, (_, i) => start + i + 1).filter((s) => s % 4 === 0 || s === end);
            const r =
              k % 3 === 2
                ? await checker.submit(all.slice(start, end), leaves.slice(start, end).map((l) => l.toString('hex')), sizes)
                : await checker.submitPacked(pack(start, all.slice(start, end), leaves.slice(start, end)), sizes);
            expect(r).toEqual({ bad: -1, roots: sizes.map((s) => rootOfLeafHashes(leaves.slice(0, s)).toString('hex')) });
          }
          expect(await checker.finish()).toBe((n === 0 ? emptyRoot() : rootOfLeafHashes(leaves)).toString('hex'));
          await checker.close();
        }),
        { numRuns: kind === 'worker' ? 25 : 100 },
      );
    });

    it(`${kind}: in a packed batch, names the first altered entry, or the first one written at another position`, async () => {
      const all = entries(30, 2);
      const leaves = all.map((t) => leafHash(t));
      const altered = make(kind);
      const forged = [...leaves];
      forged[17] = leafHash('something else');
      expect(await altered.submitPacked(pack(0, all.slice(0, 10), forged.slice(0, 10)), [10])).toMatchObject({ bad: -1 });
      expect(await altered.submitPacked(pack(10, all.slice(10), forged.slice(10)), [20, 30])).toEqual({ bad: 17, roots: [] });
      expect(await altered.submitPacked(pack(30, [entryText(30, 2)], [leafHash(entryText(30, 2))]), [31])).toEqual({ bad: -1, roots: [] });
      await altered.close();

      // entry 12 (intact, its own hash) sits at position 13: counted into the tree, then reported
      const moved = make(kind);
      const order = [...all.keys()].map((i) => (i === 13 ? 12 : i === 12 ? 13 : i));
      const texts = order.map((i) => all[i]!);
      const hashes = order.map((i) => leaves[i]!);
      expect(await moved.submitPacked(pack(0, texts.slice(0, 20), hashes.slice(0, 20)), [12, 20])).toEqual({
        bad: -1,
        roots: [rootOfLeafHashes(hashes.slice(0, 12)).toString('hex')],
        misplaced: { index: 12, written: 13 },
      });
      await moved.close();

      const unreadable = make(kind);
      const noSeq = ['{"a":1}'];
      expect(await unreadable.submitPacked(pack(0, noSeq, noSeq.map((t) => leafHash(t))), [])).toEqual({ bad: -1, roots: [], misplaced: { index: 0 } });
      await unreadable.close();
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
