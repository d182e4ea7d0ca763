import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { concat, flowKey, type Chunker, type Step, cycling, outcome as outcomeOf } from '../testing/harness.js';
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
});
