/**
 * @module The dissector property cases (what properties.test.ts states), written without vitest so
 * they run inside the property worker: random bytes and mutated valid conversations, fed in random
 * chunkings, make a dissector throw nothing but DissectorError; detect answers yes, no or need-more;
 * the dispatcher never reports a dissector fault. `onCase` is told when each case starts and ends, so
 * the thread that waits can tell a case that never returns (the worker cannot report its own hang).
 */
import fc from 'fast-check';
import type { Dissector } from '../../../src/netmon/dissectors/contract.js';
import { isDissectorError } from '../../../src/netmon/dissectors/errors.js';
import { createDispatcher } from '../../../src/netmon/dissectors/registry.js';
import { streamFeeder, type Step } from '../../../src/netmon/dissectors/testing/harness.js';
import type { Direction, FlowKey, Observation } from '../../../src/netmon/model.js';

/** Dissectors with their valid seed conversations (support/seeds.ts `dissectorsWithSeeds`). */
export type DissectorCatalog = () => [Dissector, Step[][]][];

export type PropertyName = 'seeds' | 'random' | 'mutated' | 'detect' | 'dispatcher';

export const PROPERTY_TEXT: Record<PropertyName, string> = {
  seeds: 'valid seed conversations',
  random: 'random bytes in random chunkings',
  mutated: 'mutated valid conversations in random chunkings',
  detect: 'detect on random and mutated bytes',
  dispatcher: 'the dispatcher under random and mutated flows',
};

export interface PropertyJob {
  property: PropertyName;
  /** the dissector id (every property but `dispatcher`, which takes all dissectors with seeds) */
  dissector?: string;
  /** fast-check seed and runs (not used by `seeds`, which feeds each seed conversation once) */
  seed: number;
  numRuns: number;
  /** a case slower than this fails even when it returns */
  maxMsPerCase: number;
}

export interface CaseHooks {
  /** case `index` (0-based: fast-check's replay `path`; at or past numRuns while shrinking) starts */
  onCaseStart(index: number): void;
  onCaseEnd(): void;
}

const keyFor = (d: Dissector): FlowKey => ({
  transport: d.transport === 'udp' ? 'udp' : 'tcp',
  client: { ip: '10.0.0.5', port: 40000 },
  server: { ip: '10.0.0.9', port: d.defaultPorts[0] ?? 9999 },
});

const dir = fc.constantFrom<Direction>('c2s', 's2c');
const randomSteps = fc.array(fc.tuple(dir, fc.uint8Array({ maxLength: 600 })), { maxLength: 8 });

// 'saturate' writes 0xff over 1-4 bytes, most often within a step's first 16 bytes, where headers
// keep their length fields: lengths at their maximum probe the buffer bounds (a dissector must fail
// with a typed error, not wait forever for a body its bound can never hold; the SSLv2 case that
// once did has its own test in tls.test.ts, as random mutation rarely forms it).
type Mutation = { at: number; kind: 'flip' | 'set' | 'insert' | 'delete' | 'truncate' | 'saturate'; value: number };
const mutation = fc.record({ at: fc.nat(), kind: fc.constantFrom<Mutation['kind']>('flip', 'set', 'insert', 'delete', 'truncate', 'saturate'), value: fc.integer({ min: 0, max: 255 }) });

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  if (bytes.length === 0) return Uint8Array.of(m.value);
  const at = m.at % bytes.length;
  const out = Array.from(bytes);
  if (m.kind === 'flip') out[at] = (out[at] as number) ^ (1 << (m.value % 8));
  else if (m.kind === 'set') out[at] = m.value;
  else if (m.kind === 'insert') out.splice(at, 0, m.value);
  else if (m.kind === 'delete') out.splice(at, 1);
  else if (m.kind === 'saturate') {
    const start = m.value & 1 ? m.at % Math.min(16, bytes.length) : at;
    for (let i = start; i < Math.min(out.length, start + 1 + (m.value >> 1) % 4); i++) out[i] = 0xff;
  } else out.length = at;
  return Uint8Array.from(out);
}

function mutatedSteps(seeds: Step[][]) {
  return fc
    .tuple(fc.constantFrom(...seeds), fc.array(fc.tuple(fc.nat(), mutation), { minLength: 1, maxLength: 6 }))
    .map(([seed, ms]) => {
      const steps = seed.map(([d, b]) => [d, b] as [Direction, Uint8Array]);
      for (const [which, m] of ms) {
        const step = steps[which % steps.length] as [Direction, Uint8Array];
        step[1] = mutate(step[1], m);
      }
      return steps;
    });
}

/**
 * Feeds like the dispatcher does: a DissectorError stops that TCP direction, a UDP datagram only; TCP
 * bytes a dissector asks to pass over are not delivered (as flow tracking does).
 */
function feed(d: Dissector, steps: readonly (readonly [Direction, Uint8Array])[], cuts: number[]): { typedErrors: number } {
  const key = keyFor(d);
  const c = d.create(key, () => undefined);
  const tcpFeed = streamFeeder(c);
  const dead: Record<Direction, boolean> = { c2s: false, s2c: false };
  let typedErrors = 0;
  let frame = 0;
  const guard = (fn: () => void, direction?: Direction) => {
    try {
      fn();
    } catch (e) {
      if (!isDissectorError(e)) throw e;
      typedErrors++;
      if (direction && key.transport === 'tcp') dead[direction] = true;
    }
  };
  for (const [direction, bytes] of steps) {
    if (dead[direction]) continue;
    if (key.transport === 'udp') {
      guard(() => c.onData(direction, bytes.slice(), { frame: ++frame, ts: frame }), direction);
      continue;
    }
    let pos = 0;
    for (const cut of cuts.length > 0 ? cuts : [bytes.length]) {
      if (pos >= bytes.length || dead[direction]) break;
      const end = Math.min(bytes.length, pos + 1 + (cut % 97));
      guard(() => tcpFeed(direction, bytes.slice(pos, end), { frame: ++frame, ts: frame }), direction);
      pos = end;
    }
    if (pos < bytes.length && !dead[direction]) guard(() => tcpFeed(direction, bytes.slice(pos), { frame: ++frame, ts: frame }), direction);
  }
  guard(() => c.onClose?.('fin', { frame: ++frame, ts: frame }));
  return { typedErrors };
}

/** Runs `predicate` as numbered cases, each reported to `hooks` and failing when it takes too long. */
function cases<A extends unknown[]>(job: PropertyJob, hooks: CaseHooks, predicate: (...args: A) => void): (...args: A) => void {
  let index = 0;
  return (...args: A) => {
    hooks.onCaseStart(index++);
    const start = performance.now();
    try {
      predicate(...args);
    } finally {
      hooks.onCaseEnd();
    }
    const ms = performance.now() - start;
    if (ms >= job.maxMsPerCase) throw new Error(`the case took ${Math.round(ms)} ms, the bound is ${job.maxMsPerCase} ms`);
  };
}

function dissectorOf(catalog: DissectorCatalog, id: string | undefined): [Dissector, Step[][]] {
  const found = catalog().find(([d]) => d.id === id);
  if (!found) throw new Error(`no dissector "${id}" in the catalog`);
  return found;
}

/** Checks one property; throws (fast-check's report: seed, path, counterexample) when it does not hold. */
export function checkProperty(catalog: DissectorCatalog, job: PropertyJob, hooks: CaseHooks): void {
  const params = { seed: job.seed, numRuns: job.numRuns };
  if (job.property === 'dispatcher') {
    const all = catalog().filter(([, s]) => s.length > 0);
    const flows = fc.oneof(
      fc.tuple(fc.constantFrom(...all), randomSteps).map(([[d], steps]) => [d, steps] as const),
      fc.constantFrom(...all).chain(([d, seeds]) => mutatedSteps(seeds).map((steps) => [d, steps] as const)),
    );
    const check = ([d, steps]: readonly [Dissector, readonly (readonly [Direction, Uint8Array])[]]) => {
      const obs: Observation[] = [];
      const disp = createDispatcher(keyFor(d), (o) => obs.push(o));
      let frame = 0;
      for (const [direction, bytes] of steps) disp.onData(direction, bytes, { frame: ++frame, ts: frame });
      disp.onClose('fin', { frame: ++frame, ts: frame });
      for (const o of obs) {
        if (/dissector-fault/.test(o.kind)) throw new Error(`${d.id}: the dispatcher reported ${o.kind}`);
        if (!/^[a-z0-9]+@\d+\.\d+\.\d+$/.test(o.producer)) throw new Error(`${d.id}: observation ${o.kind} has producer "${o.producer}", not id@version`);
      }
    };
    fc.assert(fc.property(flows, cases(job, hooks, check)), params);
    return;
  }
  const [d, seeds] = dissectorOf(catalog, job.dissector);
  switch (job.property) {
    case 'seeds': {
      if (seeds.length === 0) throw new Error(`${d.id} has no seed conversation (support/seeds.ts)`);
      const run = cases(job, hooks, (seed: Step[]) => {
        const { typedErrors } = feed(d, seed, []);
        if (typedErrors !== 0) throw new Error(`a valid seed conversation raised ${typedErrors} DissectorError(s)`);
      });
      seeds.forEach((seed, i) => {
        try {
          run(seed);
        } catch (e) {
          throw new Error(`seed conversation ${i}: ${(e as Error).message}`, { cause: e });
        }
      });
      return;
    }
    case 'random':
      fc.assert(fc.property(randomSteps, fc.array(fc.nat(), { maxLength: 20 }), cases(job, hooks, (steps, cuts) => void feed(d, steps, cuts))), params);
      return;
    case 'mutated':
      fc.assert(fc.property(mutatedSteps(seeds), fc.array(fc.nat(), { maxLength: 20 }), cases(job, hooks, (steps, cuts) => void feed(d, steps, cuts))), params);
      return;
    case 'detect': {
      const key = keyFor(d);
      const bytes = fc.oneof(fc.uint8Array({ maxLength: 300 }), mutatedSteps(seeds).map((s) => s[0]?.[1] ?? new Uint8Array(0)));
      const check = (b: Uint8Array, direction: Direction) => {
        const answer = d.detect(b, direction, key);
        if (!['yes', 'no', 'need-more'].includes(answer)) throw new Error(`detect answered ${JSON.stringify(answer)}, not yes, no or need-more`);
      };
      fc.assert(fc.property(bytes, dir, cases(job, hooks, check)), params);
      return;
    }
  }
}
