/**
 * @module Test support: a fast-check property asserting that a parser of untrusted text throws
 * nothing but AdvisoryParseError on random text, random JSON, byte-level mutations of real seeds
 * and structural mutations (a random subtree of a seed document replaced by a random value).
 */
import fc from 'fast-check';
import { AdvisoryParseError } from '../common/errors.js';

function replaceAt(doc: unknown, picks: number[], replacement: unknown): unknown {
  if (picks.length === 0 || doc === null || typeof doc !== 'object') return replacement;
  const [pick, ...rest] = picks as [number, ...number[]];
  if (Array.isArray(doc)) {
    if (doc.length === 0) return replacement;
    const i = pick % doc.length;
    const copy = [...doc];
    copy[i] = replaceAt(doc[i], rest, replacement);
    return copy;
  }
  const keys = Object.keys(doc);
  if (keys.length === 0) return replacement;
  const k = keys[pick % keys.length] as string;
  return { ...(doc as Record<string, unknown>), [k]: replaceAt((doc as Record<string, unknown>)[k], rest, replacement) };
}

/** Arbitrary inputs derived from seeds: random text, random JSON, text mutations, structural mutations. */
export function untrustedInputs(seeds: readonly string[]): fc.Arbitrary<string> {
  const seed = fc.constantFrom(...seeds);
  const textMutation = fc.tuple(seed, fc.nat(), fc.nat({ max: 8 }), fc.string({ maxLength: 6 })).map(([s, at, del, ins]) => {
    const i = at % (s.length + 1);
    return s.slice(0, i) + ins + s.slice(i + del);
  });
  const truncation = fc.tuple(seed, fc.nat()).map(([s, n]) => s.slice(0, n % (s.length + 1)));
  const structural = fc
    .tuple(seed, fc.array(fc.nat(), { maxLength: 8 }), fc.jsonValue({ maxDepth: 3 }))
    .map(([s, picks, value]) => {
      try {
        return JSON.stringify(replaceAt(JSON.parse(s), picks, value));
      } catch {
        return s;
      }
    });
  return fc.oneof(fc.string(), fc.json({ maxDepth: 4 }), textMutation, truncation, structural, structural);
}

/** Run the property; rethrows (failing the test) when the parser throws anything but AdvisoryParseError. */
export function assertOnlyTypedErrors(parse: (input: string) => unknown, seeds: readonly string[], numRuns = 400): void {
  fc.assert(
    fc.property(untrustedInputs(seeds), (input) => {
      try {
        parse(input);
      } catch (e) {
        if (!(e instanceof AdvisoryParseError)) throw e;
      }
    }),
    { numRuns },
  );
}
