import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LruMap } from './lru.js';

describe('LruMap', () => {
  it('evicts the least recently used entry (get refreshes, peek does not), counting and reporting it', () => {
    const gone: string[] = [];
    const m = new LruMap<string, number>(2, (k) => gone.push(k));
    m.set('a', 1);
    m.set('b', 2);
    m.get('a');
    m.set('c', 3);
    expect([...m.values()]).toEqual([1, 3]);
    m.peek('a');
    m.set('d', 4);
    expect(gone).toEqual(['b', 'a']);
    expect(m.evicted).toBe(2);
    expect(m.oldestKey()).toBe('c');
  });

  it('behaves like a reference list under any sequence of operations (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(fc.tuple(fc.constantFrom('set', 'get', 'delete', 'evict'), fc.integer({ min: 0, max: 9 })), { maxLength: 100 }), (max, ops) => {
        const m = new LruMap<number, number>(max);
        let ref: number[] = [];
        for (const [op, k] of ops) {
          if (op === 'set') {
            ref = ref.filter((x) => x !== k);
            if (ref.length >= max) ref.shift();
            ref.push(k);
            m.set(k, k);
          } else if (op === 'get') {
            if (ref.includes(k)) ref = [...ref.filter((x) => x !== k), k];
            expect(m.get(k)).toBe(ref.includes(k) ? k : undefined);
          } else if (op === 'delete') {
            expect(m.delete(k)).toBe(ref.includes(k));
            ref = ref.filter((x) => x !== k);
          } else {
            expect(m.evictOldest()).toBe(ref.length > 0);
            ref.shift();
          }
          expect([...m.values()]).toEqual(ref);
          expect(m.size).toBe(ref.length);
        }
      }),
    );
  });
});
