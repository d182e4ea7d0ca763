import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FactList } from './facts.js';
import { addFact, newProfile, PROFILE_LIMITS } from './profile.js';

type Op = { op: 'set'; value: string; frame: number } | { op: 'delete'; value: string } | { op: 'get'; value: string };

const snapshot = (f: { size: number; keys(): Iterable<string>; values(): Iterable<number>; entries(): Iterable<[string, number]> } & Iterable<[string, number]>) => ({
  size: f.size,
  keys: [...f.keys()],
  values: [...f.values()],
  entries: [...f.entries()],
  iterated: [...f],
});

describe('FactList', () => {
  it('behaves as a Map<string, number> under any sequence of sets, deletes and gets', () => {
    const value = fc.constantFrom('a', 'b', 'c', 'd', 'MODALITY1', '10.0.0.1', '');
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ op: fc.constant('set' as const), value, frame: fc.integer({ min: 0, max: 1_000_000 }) }),
      fc.record({ op: fc.constant('delete' as const), value }),
      fc.record({ op: fc.constant('get' as const), value }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        const list = new FactList();
        const map = new Map<string, number>();
        for (const o of ops) {
          if (o.op === 'set') {
            expect(list.set(o.value, o.frame)).toBe(list);
            map.set(o.value, o.frame);
          } else if (o.op === 'delete') expect(list.delete(o.value)).toBe(map.delete(o.value));
          else expect([list.get(o.value), list.has(o.value)]).toEqual([map.get(o.value), map.has(o.value)]);
          expect(snapshot(list)).toEqual(snapshot(map));
        }
      }),
    );
  });

  it('keeps a value where it was first set when its frame changes, as a Map does', () => {
    const list = new FactList().set('x', 9).set('y', 5).set('x', 1);
    expect([...list]).toEqual([
      ['x', 1],
      ['y', 5],
    ]);
  });

  it('is empty and iterates nothing before its first value and after its last is deleted', () => {
    const list = new FactList();
    expect(snapshot(list)).toEqual({ size: 0, keys: [], values: [], entries: [], iterated: [] });
    list.set('a', 1);
    list.delete('a');
    expect(snapshot(list)).toEqual({ size: 0, keys: [], values: [], entries: [], iterated: [] });
    expect(list.delete('a')).toBe(false);
  });

  it('is what a new profile holds, and addFact keeps the earliest frame within the cap', () => {
    const p = newProfile('ip:10.0.0.9', 1, 1);
    expect(p.hostnames).toBeInstanceOf(FactList);
    expect(p.dicom.deviceHints).toBeInstanceOf(FactList);
    addFact(p.hostnames, ' ct-1 ', 40);
    addFact(p.hostnames, 'ct-1', 12);
    for (let i = 0; i < PROFILE_LIMITS.facts + 5; i++) addFact(p.hostnames, `host-${i}`, 100 + i);
    expect(p.hostnames.size).toBe(PROFILE_LIMITS.facts);
    expect([...p.hostnames][0]).toEqual(['ct-1', 12]);
  });
});
