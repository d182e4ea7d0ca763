import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concat, flowKey, type Chunker, type Step, cycling, outcome as outcomeOf } from '../testing/harness.js';
import { checkHostileBytes } from '../testing/late-sync.js';
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
