import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concat, flowKey, type Chunker, type Step, cycling, outcome as outcomeOf } from '../testing/harness.js';
import { dispatchGaps, losing, type Loss } from '../testing/gaps.js';
import { checkHostileBytes, perDirection } from '../testing/late-sync.js';
import { connack, connect, disconnect, publish, subscribe } from '../testing/mqtt.js';
import { mqttDissector } from './dissector.js';

const key = flowKey('tcp', 1883);
const TOPICS = ['ward3/pump-1/rate', 'ward3/pump-1/alarm', 'ward3/\u0001odd', 'bett/ü'];

function session(v5: boolean, publishes: readonly { topic: number; size: number; qos: number }[]): Step[] {
  return [
    ['c2s', connect({ level: v5 ? 5 : 4, clientId: 'pump-1', username: 'u', password: 'p' })],
    ['s2c', connack(0, v5)],
    ['c2s', subscribe(1, [{ filter: 'ward3/#', qos: 1 }], v5)],
    ['c2s', concat(...publishes.map((p) => publish(TOPICS[p.topic % TOPICS.length] as string, new Uint8Array(p.size), p.qos, v5)))],
    ['s2c', publish('ward3/cmd', new Uint8Array(10), 1, v5)],
    ['c2s', disconnect()],
  ];
}

const outcome = (steps: readonly Step[], chunker?: Chunker) => outcomeOf(mqttDissector, key, steps, chunker);

describe('mqtt dissector on mutated sessions', () => {
  it('throws only DissectorError and gives the same result in any chunking', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.record({ topic: fc.nat(), size: fc.integer({ min: 0, max: 6000 }), qos: fc.integer({ min: 0, max: 2 }) }), { maxLength: 12 }),
        fc.array(fc.record({ step: fc.nat(), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 8 }),
        (v5, publishes, edits, sizes) => {
          const steps = session(v5, publishes).map(([dir, b]) => [dir, b.slice()] as const);
          for (const e of edits) {
            const b = steps[e.step % steps.length]![1];
            if (b.length > 0) b[e.at % Math.min(b.length, 400)] = e.value;
          }
          expect(outcome(steps, cycling(sizes))).toEqual(outcome(steps));
        },
      ),
      { numRuns: Number(process.env.CAREGUARD_PROPERTY_RUNS ?? 150) },
    );
  });

  it('reads a session seen from any offset, after any junk, the same in any chunking', () => {
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.record({ topic: fc.nat(), size: fc.integer({ min: 0, max: 3000 }), qos: fc.integer({ min: 0, max: 2 }) }), { minLength: 1, maxLength: 12 }),
        fc.nat(),
        fc.uint8Array({ maxLength: 64 }),
        fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 8 }),
        (v5, publishes, cut, junk, sizes) => {
          const steps = session(v5, publishes);
          const client = concat(...steps.filter(([dir]) => dir === 'c2s').map(([, b]) => b));
          // a monitor started at any byte of the client stream; the broker side from after its CONNACK
          const seen: Step[] = [
            ['c2s', concat(junk, client.subarray(cut % (client.length + 1)))],
            ['s2c', concat(publish('ward3/cmd', new Uint8Array(10), 1, v5), publish('ward3/cmd/2', new Uint8Array(3), 0, v5))],
          ];
          const whole = outcome(seen);
          expect(outcome(seen, cycling(sizes))).toEqual(whole);
          // whatever was read, the session was not protected: said once, never more
          expect(whole.obs.flatMap((o) => o.findings ?? []).filter((f) => f.code === 'mqtt.no-tls').length).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: Number(process.env.CAREGUARD_PROPERTY_RUNS ?? 150) },
    );
  });
});

describe('mqtt late sync on port 1883 (content detection failed)', () => {
  it('random and hostile bytes never fault, stay bounded, and random ones produce no observation', () => {
    // PUBLISH and acknowledgement first bytes, short lengths, packet ids, topic characters
    const alphabet = [0x30, 0x32, 0x34, 0x40, 0x62, 0x82, 0x90, 0xc0, 0xe0, 0x00, 0x01, 0x02, 0x03, 0x04, 0x61, 0x2f, 0x7f, 0xff];
    const runs = Number(process.env.CAREGUARD_PROPERTY_RUNS ?? 150);
    expect(checkHostileBytes({ port: 1883, protocol: 'mqtt', alphabet, maxCarried: 4096, numRuns: runs })).toBeGreaterThan(runs / 2);
  });
});

describe('mqtt with random gaps (a capture losing segments)', () => {
  it('never faults, invents no topic, reads the publishes after the last loss, the same in any chunking', () => {
    const runs = Number(process.env.CAREGUARD_PROPERTY_RUNS ?? 100);
    let resynced = 0;
    fc.assert(
      fc.property(
        fc.boolean(),
        fc.array(fc.record({ size: fc.integer({ min: 0, max: 1500 }), qos: fc.integer({ min: 0, max: 2 }) }), { minLength: 2, maxLength: 16 }),
        fc.array(fc.record({ dir: fc.constantFrom<'c2s' | 's2c'>('c2s', 's2c'), from: fc.nat(), length: fc.integer({ min: 1, max: 2000 }) }), { maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 6 }),
        (v5, sent, cuts, chunks) => {
          // a payload of 'A' (0x41: no valid fixed header) and one topic per PUBLISH
          const packets = (dir: 'c2s' | 's2c') => sent.map((p, i) => ({ topic: `ward3/${dir}/${i}`, bytes: publish(`ward3/${dir}/${i}`, new Uint8Array(p.size).fill(0x41), p.qos, v5), size: p.size }));
          const opening = { c2s: concat(connect({ level: v5 ? 5 : 4, clientId: 'pump-1' }), subscribe(1, [{ filter: 'ward3/#', qos: 1 }], v5)), s2c: connack(0, v5) };
          const streams = { c2s: packets('c2s'), s2c: packets('s2c') };
          const steps: Step[] = [
            ['c2s', opening.c2s],
            ['s2c', opening.s2c],
            ['c2s', concat(...streams.c2s.map((p) => p.bytes))],
            ['s2c', concat(...streams.s2c.map((p) => p.bytes))],
          ];
          const losses: Loss[] = [];
          for (const dir of ['c2s', 's2c'] as const) {
            const total = opening[dir].length + streams[dir].reduce((n, p) => n + p.bytes.length, 0);
            let next = opening[dir].length;
            for (const c of cuts.filter((x) => x.dir === dir).sort((a, b) => a.from - b.from)) {
              const from = next + (c.from % 4000);
              if (from + c.length >= total) break;
              losses.push({ dir, from, length: c.length });
              next = from + c.length + 1;
            }
          }
          const lossy = losing(steps, losses);
          const { obs } = dispatchGaps(key, lossy);
          expect(obs.filter((o) => o.kind.endsWith('.malformed') || o.kind.endsWith('.dissector-fault'))).toEqual([]);
          expect(perDirection(dispatchGaps(key, lossy, cycling(chunks)).obs)).toEqual(perDirection(obs));
          for (const dir of ['c2s', 's2c'] as const) {
            const read = obs.filter((o) => o.kind === 'mqtt.publish' && o.dir === dir);
            // nothing invented: each topic read was sent, with its payload length
            for (const o of read) expect(streams[dir].find((p) => p.topic === o.fields.topic)?.size).toBe(o.fields.payloadLength);
            // after the last loss, a chain of two publishes proves a boundary: every publish from there is read
            const last = losses.filter((l) => l.dir === dir).at(-1);
            if (last === undefined) continue;
            let offset = opening[dir].length;
            const after = streams[dir].filter((p) => {
              const start = offset;
              offset += p.bytes.length;
              return start >= last.from + last.length;
            });
            if (after.length < 2) continue;
            expect(read.map((o) => o.fields.topic).slice(-after.length)).toEqual(after.map((p) => p.topic));
            resynced++;
          }
        },
      ),
      { numRuns: runs },
    );
    // the property was exercised: directions read on after a loss
    expect(resynced).toBeGreaterThan(runs / 4);
  });
});
