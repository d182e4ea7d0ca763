import { describe, expect, it } from 'vitest';
import { isDomainError } from '../core/index.js';
import { BaselineStore, baselineToJson } from './baseline/index.js';
import { createEngine } from './report.js';

const T0 = Date.UTC(2026, 0, 5) * 1000;

function learnt(): BaselineStore {
  const s = new BaselineStore({ learnSeconds: 3600 });
  s.advance(T0);
  s.onFlowStart('10.0.0.5', '10.0.1.1', { role: 'client', transport: 'tcp', port: 104, peer: '10.0.1.1' }, T0);
  s.onFlowEnd('10.0.0.5', { peer: '10.0.1.1', service: { role: 'client', transport: 'tcp', port: 104, peer: '10.0.1.1' }, protocol: 'dicom', bytes: 900, packets: 9, firstTs: T0, lastTs: T0 + 5 });
  return s;
}

describe('createEngine', () => {
  it('resumes a baseline handed over as a function, calling it once, as it resumes the document itself', () => {
    const doc = JSON.parse(JSON.stringify(baselineToJson(learnt()))) as unknown;
    let calls = 0;
    const handed = createEngine({ baseline: () => (calls++, doc) }, 'test')!;
    const direct = createEngine({ baseline: doc }, 'test')!;
    expect(calls).toBe(1);
    expect(baselineToJson(handed.baseline)).toEqual(baselineToJson(direct.baseline));
    expect(handed.baseline.get('10.0.0.5')?.flows).toBe(1);
  });

  it('takes a BaselineStore from the function as it is', () => {
    const store = learnt();
    expect(createEngine({ baseline: () => store }, 'test')!.baseline).toBe(store);
  });

  it('refuses an invalid document from the function with the error the document itself gets', () => {
    const invalid = { format: 'something else' };
    const errorOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return isDomainError(e) ? e.code : String(e);
      }
      return 'no error';
    };
    expect(errorOf(() => createEngine({ baseline: () => invalid }, 'test'))).toBe('netmon.baseline_invalid');
    expect(errorOf(() => createEngine({ baseline: invalid }, 'test'))).toBe('netmon.baseline_invalid');
  });
});
