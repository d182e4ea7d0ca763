import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, type Actor } from '../core/index.js';
import { canonicalText, contentSeq, entryFromRecord, leafObject, MAX_ENTRY_BYTES, recordFromEvent } from './encoding.js';
import type { AuditEventInput } from './model.js';

const optionalString = fc.option(fc.string({ maxLength: 12 }), { nil: undefined });
const actor: fc.Arbitrary<Actor> = fc.record({
  kind: fc.constantFrom('user', 'token', 'system'),
  id: fc.string({ minLength: 1, maxLength: 10 }),
  name: fc.string({ maxLength: 10 }),
  role: optionalString,
  ip: optionalString,
  requestId: optionalString,
});
// payloads that try to look like the entry's own keys
const sneaky = fc.constantFrom(',"seq":7', '","time":"x"}', '{"action":"a"', ',"targetType":"t"');
const payload = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.record({ seq: fc.nat(), time: sneaky, targetId: sneaky }));
const state = fc.option(payload, { nil: undefined });
const event: fc.Arbitrary<AuditEventInput> = fc.record({
  actor,
  action: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), sneaky),
  targetType: fc.string({ minLength: 1, maxLength: 10 }),
  targetId: fc.option(fc.oneof(fc.string({ maxLength: 12 }), sneaky), { nil: undefined }),
  before: state,
  after: state,
  details: fc.option(fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constant('seq')), payload), { nil: undefined }),
});
const TIME = '2025-01-02T03:04:05.678Z';

describe('audit entry encoding', () => {
  it('stores the canonical JSON of exactly the documented fields', () => {
    const e: AuditEventInput = { actor: { kind: 'user', id: 'u1', name: 'ana', role: 'admin' }, action: 'device.update', targetType: 'device', targetId: 'd1', after: { b: 2, a: 1 } };
    const r = recordFromEvent(3, TIME, { ...e, actor: { ...e.actor, extra: 'dropped' } as Actor });
    expect(r.entryJson).toBe(`{"action":"device.update","actor":{"id":"u1","kind":"user","name":"ana","role":"admin"},"after":{"a":1,"b":2},"seq":3,"targetId":"d1","targetType":"device","time":"${TIME}"}`);
    expect(r).toEqual({ seq: 3, entryJson: r.entryJson, leafHash: '' });
  });

  it('lets a reader recompute the leaf bytes from the entry it was served', () => {
    fc.assert(
      fc.property(fc.nat(), event, (seq, e) => {
        const record = recordFromEvent(seq, TIME, e);
        const { leafHash: _leaf, ...served } = JSON.parse(JSON.stringify(entryFromRecord(record))) as ReturnType<typeof entryFromRecord>;
        expect(canonicalText(leafObject(served))).toBe(record.entryJson);
      }),
      { numRuns: 300 },
    );
  });

  it('writes exactly the canonical text of the leaf object (the direct encoder agrees with the general one)', () => {
    const nulls = fc.record({ action: fc.constant('a'), targetType: fc.constant('t'), actor: fc.constant({ kind: 'system', id: 'x', name: 'y' } as Actor), targetId: fc.constant(null as unknown as string), before: fc.constant(null), after: fc.constant(undefined) });
    fc.assert(
      fc.property(fc.nat(), fc.oneof(event, nulls), (seq, e) => {
        expect(recordFromEvent(seq, TIME, e).entryJson).toBe(canonicalText(leafObject({ seq, time: TIME, ...e })));
      }),
      { numRuns: 500 },
    );
  });

  it('writes what core canonicalJson writes wherever no key is integer-like', () => {
    const key = fc.string({ maxLength: 6 }).filter((k) => !/^(0|[1-9]\d*)$/.test(k));
    fc.assert(
      fc.property(fc.anything({ key, withDate: true, withNullPrototype: true, withSparseArray: true, maxDepth: 3 }), (v) => {
        expect(canonicalText(v)).toBe(canonicalJson(v));
      }),
      { numRuns: 1000 },
    );
    const sparse: unknown[] = [1];
    sparse[2] = 3;
    const odd = { b: [undefined, () => 1, NaN, -0, new Date(0), sparse, 1e21, 1e-7], a: { z: undefined, y: Symbol('s') }, ['__proto__']: 1, 'é"\n': 'x\u2028\ud800' };
    expect(canonicalText(odd)).toBe(canonicalJson(odd));
    expect(canonicalText(JSON.parse('{"__proto__":{"x":1},"k":2}'))).toBe('{"k":2}');
  });

  it('sorts integer-like keys as strings too (RFC 8785), unlike JavaScript property order', () => {
    expect(canonicalText({ a: 3, 9: 2, 10: 1, '': 0, B: 4 })).toBe('{"":0,"10":1,"9":2,"B":4,"a":3}');
    // UTF-16 code units: the emoji's high surrogate (0xD83D) sorts before U+FFFD
    expect(canonicalText({ '\uFFFD': 2, '\u{1F600}': 1 })).toBe('{"\u{1F600}":1,"\uFFFD":2}');
  });

  it('reads back the seq an entry was written with, whatever its payload holds', () => {
    fc.assert(
      fc.property(fc.nat(), event, (seq, e) => {
        expect(contentSeq(recordFromEvent(seq, TIME, e).entryJson)).toBe(seq);
      }),
      { numRuns: 300 },
    );
  });

  it('distinguishes an absent value from an explicit null', () => {
    const base = { actor: { kind: 'user' as const, id: 'u1', name: 'ana' }, action: 'device.update', targetType: 'device' };
    expect(recordFromEvent(0, 't', base).entryJson).not.toContain('before');
    expect(recordFromEvent(0, 't', { ...base, before: null }).entryJson).toContain('"before":null');
  });

  it('still shows a row whose text is not JSON, with the text in details', () => {
    expect(entryFromRecord({ seq: 4, entryJson: '{broken', leafHash: 'ab' })).toMatchObject({ seq: 4, action: '(unreadable)', details: { unparseable: '{broken' }, leafHash: 'ab' });
  });

  it('refuses an event without an action', () => {
    expect(() => recordFromEvent(0, 't', { actor: { kind: 'system', id: 's', name: 's' }, action: '', targetType: 'device' })).toThrow(/needs an action and a target type/);
  });

  it('refuses an entry larger than the limit', () => {
    const big = 'x'.repeat(MAX_ENTRY_BYTES);
    expect(() => recordFromEvent(0, 't', { actor: { kind: 'system', id: 's', name: 's' }, action: 'a.b', targetType: 't', after: { big } })).toThrow(/the limit is 1048576/);
  });
});
