/**
 * Property tests for every dissector: random bytes and mutated valid conversations, fed in random chunkings,
 * never make a dissector throw anything but DissectorError, never hang, and never leak through the dispatcher
 * as a dissector fault.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Direction, FlowKey, Observation } from '../../../src/netmon/model.js';
import type { Dissector } from '../../../src/netmon/dissectors/contract.js';
import { isDissectorError } from '../../../src/netmon/dissectors/errors.js';
import { createDispatcher } from '../../../src/netmon/dissectors/registry.js';
import { streamFeeder, type Step } from '../../../src/netmon/dissectors/testing/harness.js';
import { dissectorsWithSeeds } from './support/seeds.js';

const RUNS = Number(process.env.CAREGUARD_PROPERTY_RUNS ?? 150);
const MAX_MS_PER_CASE = 2000;

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

const timed = (fn: () => void) => {
  const start = performance.now();
  fn();
  expect(performance.now() - start).toBeLessThan(MAX_MS_PER_CASE);
};

describe.each(dissectorsWithSeeds().map(([d, seeds]) => [d.id, d, seeds] as const))('dissector %s', (_id, d, seeds) => {
  it('has at least one valid seed conversation that dissects without error', () => {
    expect(seeds.length).toBeGreaterThan(0);
    for (const seed of seeds) expect(feed(d, seed, []).typedErrors).toBe(0);
  });

  it('throws only DissectorError on random bytes in random chunkings, within bounded time', () => {
    fc.assert(fc.property(randomSteps, fc.array(fc.nat(), { maxLength: 20 }), (steps, cuts) => timed(() => feed(d, steps, cuts))), { numRuns: RUNS });
  });

  it('throws only DissectorError on mutated valid conversations in random chunkings, within bounded time', () => {
    fc.assert(fc.property(mutatedSteps(seeds), fc.array(fc.nat(), { maxLength: 20 }), (steps, cuts) => timed(() => feed(d, steps, cuts))), { numRuns: RUNS });
  });

  it('detect never throws and answers yes, no or need-more for any bytes', () => {
    const key = keyFor(d);
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), mutatedSteps(seeds).map((s) => s[0]?.[1] ?? new Uint8Array(0))), dir, (bytes, direction) => {
        expect(['yes', 'no', 'need-more']).toContain(d.detect(bytes, direction, key));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('dispatcher under random and mutated flows', () => {
  it('never reports a dissector fault and stamps every observation with id@version', () => {
    const all = dissectorsWithSeeds().filter(([, s]) => s.length > 0);
    const flows = fc.oneof(
      fc.tuple(fc.constantFrom(...all), randomSteps).map(([[d], steps]) => [d, steps] as const),
      fc.constantFrom(...all).chain(([d, seeds]) => mutatedSteps(seeds).map((steps) => [d, steps] as const)),
    );
    fc.assert(
      fc.property(flows, ([d, steps]) => {
        const obs: Observation[] = [];
        const disp = createDispatcher(keyFor(d), (o) => obs.push(o));
        let frame = 0;
        for (const [direction, bytes] of steps) disp.onData(direction, bytes, { frame: ++frame, ts: frame });
        disp.onClose('fin', { frame: ++frame, ts: frame });
        for (const o of obs) {
          expect(o.kind).not.toMatch(/dissector-fault/);
          expect(o.producer).toMatch(/^[a-z0-9]+@\d+\.\d+\.\d+$/);
        }
      }),
      { numRuns: RUNS * 2 },
    );
  });
});
