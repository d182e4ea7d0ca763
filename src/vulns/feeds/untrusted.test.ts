import fc from 'fast-check';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDomainError } from '../../core/index.js';
import { decodeChunks, splitLines } from './lines.js';
import { parseDocument, readAdvisoryFile } from './local.js';
import { streamEpss } from './epss-stream.js';
import { buildZip, csafDoc, epssCsv, gzip, osvRecord } from './testing/fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cg-fuzz-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const seeds = [csafDoc('ACME-1', 'CVE-2024-0001'), osvRecord('PYSEC-2024-1'), epssCsv(3), '{"catalogVersion":"1","vulnerabilities":[]}'];
const mutatedText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.tuple(fc.constantFrom(...seeds), fc.nat(), fc.nat({ max: 10 }), fc.string({ maxLength: 6 })).map(([s, at, del, ins]) => {
    const i = at % (s.length + 1);
    return s.slice(0, i) + ins + s.slice(i + del);
  }),
);

describe('feed readers on untrusted input', () => {
  it('parseDocument returns an item and never throws on random or mutated documents', () => {
    fc.assert(
      fc.property(mutatedText, fc.boolean(), (text, inCollection) => {
        const item = parseDocument(text, 'fuzz.json', 'fuzz.json', undefined, inCollection);
        return item.kind !== 'error' || isDomainError(item.error);
      }),
      { numRuns: 800 },
    );
  });

  it('streamEpss yields only typed errors and terminates on mutated CSV', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedText, async (text) => {
        const lines = splitLines(decodeChunks((async function* () {
          yield text;
        })()), 'fuzz.csv');
        for await (const c of streamEpss(lines, 'fuzz.csv', 5)) if ('error' in c && !isDomainError(c.error)) return false;
        return true;
      }),
      { numRuns: 300 },
    );
  });

  const archive = buildZip({ 'a.json': osvRecord('PYSEC-2024-1'), 'b.json': osvRecord('PYSEC-2024-2') });
  const mutatedBytes = fc.oneof(
    fc.tuple(fc.constantFrom(archive, gzip(epssCsv(5))), fc.nat(), fc.integer({ min: 0, max: 255 })).map(([b, at, v]) => {
      const copy = Buffer.from(b);
      copy[at % copy.length] = v;
      return copy;
    }),
    fc.tuple(fc.constantFrom(archive, gzip(epssCsv(5))), fc.nat()).map(([b, n]) => b.subarray(0, n % (b.length + 1))),
    fc.uint8Array({ maxLength: 100 }).map((u) => Buffer.from(u)),
  );

  it('readAdvisoryFile turns corrupt zip and gzip bytes into typed error items, never a crash', async () => {
    let i = 0;
    await fc.assert(
      fc.asyncProperty(mutatedBytes, async (bytes) => {
        const path = join(dir, `f${i++}`);
        await writeFile(path, bytes);
        for await (const item of readAdvisoryFile(path)) if (item.kind === 'error' && !isDomainError(item.error)) return false;
        await rm(path);
        return true;
      }),
      { numRuns: 150 },
    );
    expect(i).toBeGreaterThan(0);
  });
});
