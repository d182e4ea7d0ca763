import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeptObservations } from './kept-observations.js';
import type { Observation } from './model.js';
import { ObservationSample } from './observation-sample.js';

const flow = { transport: 'tcp' as const, client: { ip: '10.0.0.1', port: 40000 }, server: { ip: '10.0.0.2', port: 2575 } };
const obs = (frame: number, fields: Record<string, unknown>, extra: Partial<Observation> = {}): Observation => ({ protocol: 'hl7', kind: 'hl7.message', producer: 'hl7@1', ts: 1_700_000_000_000_000 + frame, frame, flow, fields, ...extra });

describe('KeptObservations', () => {
  it('gives back each observation as it was pushed, with fields whose JSON is the same text', () => {
    const fields = {
      text: 'MSH|^~\\&|LAB|"quoted"\r\nnext',
      unicode: 'Müller 漢字 🩺 \u2028',
      lone: '\ud800 lone surrogate',
      numbers: [0, -0, 1.5, 1e21, 5e-324, NaN],
      nested: { list: [{ a: null }, [], {}], flag: false },
      gone: undefined,
      '10': 'integer-like key',
    };
    const findings = [{ code: 'hl7.cleartext', severity: 'medium' as const, message: 'HL7 without TLS' }];
    const kept = new KeptObservations();
    const original = obs(1, fields, { dir: 'c2s', findings });
    kept.push(original);
    kept.push(obs(2, {}));
    const back = kept.get(0);
    expect(back).toEqual(JSON.parse(JSON.stringify(original)) as unknown);
    expect(JSON.stringify(back.fields)).toBe(JSON.stringify(fields));
    expect(back.flow).toBe(flow);
    expect(back.findings).toBe(findings);
    expect(kept.get(1)).toEqual(obs(2, {}));
    expect(kept.get(1)).not.toHaveProperty('dir');
  });

  it('gives an observation for storing with its fields as the JSON text kept, not parsed back', () => {
    const kept = new KeptObservations();
    const fields = { msh: { sendingApplication: 'LAB', text: 'Müller 🩺' }, list: [1, 'two', null] };
    const findings = [{ code: 'hl7.cleartext', severity: 'medium' as const, message: 'HL7 without TLS' }];
    kept.push(obs(7, fields, { dir: 's2c', findings }));
    const stored = kept.getStored(0);
    expect(stored?.fieldsJson).toBe(JSON.stringify(fields));
    const { fields: _parsed, ...head } = kept.get(0);
    const { fields: left, ...storedHead } = stored!.observation;
    expect(storedHead).toEqual(head);
    expect(left).toEqual({});
  });

  it('gives no stored form for an observation kept whole (its fields are not JSON), which get() gives as it came', () => {
    const kept = new KeptObservations();
    const big = obs(1, { n: 1n });
    kept.push(big);
    expect(kept.getStored(0)).toBeUndefined();
    expect(kept.get(0)).toBe(big);
    expect(() => kept.getStored(1)).toThrow(/no kept observation 1/);
  });

  it('rebuilds a new observation at each read, so changing one leaves the kept one as it was', () => {
    const kept = new KeptObservations();
    kept.push(obs(1, { n: 1 }));
    const first = kept.get(0);
    first.fields.n = 2;
    expect(kept.get(0).fields).toEqual({ n: 1 });
    expect(kept.get(0)).not.toBe(first);
  });

  it('keeps fields JSON cannot write (a BigInt, a cycle) as they came, so storing them fails as before', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const kept = new KeptObservations();
    const big = obs(1, { n: 1n });
    const loop = obs(2, cyclic);
    kept.push(big);
    kept.push(loop);
    expect(kept.get(0)).toBe(big);
    expect(kept.get(1)).toBe(loop);
    expect(() => JSON.stringify(kept.get(0).fields)).toThrow(TypeError);
  });

  it('spreads fields over 1 MB blocks outside the heap, one larger than a block in a block of its own', () => {
    const kept = new KeptObservations();
    const large = 'x'.repeat(1_500_000);
    const texts = Array.from({ length: 3000 }, (_, i) => `message ${i} ${'é'.repeat(i % 700)}`);
    texts.forEach((t, i) => {
      kept.push(obs(i, { t }));
      if (i === 1500) kept.push(obs(-1, { large }));
    });
    expect(kept.length).toBe(3001);
    expect(kept.externalBytes).toBeGreaterThan(1_500_000 + (1 << 20));
    expect(kept.get(1501).fields.large).toBe(large);
    texts.forEach((t, i) => expect(kept.get(i <= 1500 ? i : i + 1).fields.t).toBe(t));
  });

  it('gives each observation back its own protocol, kind, producer, direction, time and frame', () => {
    const kept = new KeptObservations();
    const all: Observation[] = [];
    for (let i = 0; i < 2500; i++) {
      const o: Observation = {
        protocol: ['hl7', 'dicom', 'mqtt'][i % 3]!,
        kind: `k${i % 7}`,
        producer: `p@${i % 2}`,
        ts: 1_700_000_000_123_456 + i * 997,
        frame: i * 3 + 1,
        fields: { i },
        ...(i % 4 === 0 ? {} : { dir: i % 4 === 1 ? ('c2s' as const) : ('s2c' as const) }),
        ...(i % 5 === 0 ? {} : { flow: { ...flow, client: { ip: `10.0.${i >> 8}.${i & 255}`, port: 40000 + i } } }),
      };
      all.push(o);
      kept.push(o);
    }
    all.forEach((o, i) => expect(kept.get(i)).toEqual(o));
    expect(kept.get(4)).not.toHaveProperty('dir');
    expect(kept.get(5)).not.toHaveProperty('flow');
  });

  it('keeps an observation whose time or frame is not a number as it came', () => {
    const kept = new KeptObservations();
    const odd = { ...obs(1, {}), ts: '1700000000' } as unknown as Observation;
    kept.push(odd);
    expect(kept.get(0)).toBe(odd);
  });

  it('refuses an index it does not hold, naming it', () => {
    const kept = new KeptObservations();
    kept.push(obs(1, {}));
    expect(() => kept.get(1)).toThrow(/no kept observation 1 \(1 kept\)/);
    expect(() => kept.get(-1)).toThrow(/no kept observation -1/);
  });

  it('writes JSON-like fields back to the same JSON text', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (fields) => {
        const kept = new KeptObservations();
        kept.push(obs(1, fields));
        expect(JSON.stringify(kept.get(0).fields)).toBe(JSON.stringify(fields));
      }),
      { numRuns: 200 },
    );
  });
});

describe('ObservationSample.rows', () => {
  it('gives the rows list() gives, with ids by index, each observation rebuilt when read', () => {
    const s = new ObservationSample({ perGroup: 2 });
    for (let i = 1; i <= 5; i++) s.add(obs(i, { n: i }));
    s.add(obs(6, { n: 6 }, { kind: 'hl7.ack' }));
    const rows = s.rows((i) => `obs_${i}`);
    expect(rows.map(({ id, observation, groupCount }) => ({ id, observation, groupCount }))).toEqual(s.list().map((r, i) => ({ id: `obs_${i}`, ...r })));
    expect(rows.map((r) => r.groupCount)).toEqual([undefined, 5, 1]);
    expect(rows[0]!.observation).not.toBe(rows[0]!.observation);
    expect(rows[0]!.observation).toEqual(obs(1, { n: 1 }));
  });
});
