import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDomainError } from '../core/index.js';
import type { RaiseAlertInput } from './model.js';
import { validateNote, validateRaise } from './validation.js';

const base: RaiseAlertInput = { title: ' Weak TLS on PACS ', severity: 'low', source: 'netmon', category: 'weak-crypto' };

describe('alert input validation', () => {
  it('trims text, derives a dedup key and normalizes the observation time to UTC', () => {
    const v = validateRaise({ ...base, deviceId: 'dev_pacs', observedAt: '2025-07-01T12:00:00+02:00' });
    expect(v).toMatchObject({ title: 'Weak TLS on PACS', description: '', dedupKey: 'netmon:weak-crypto:dev_pacs:Weak TLS on PACS', evidence: [], observedAt: '2025-07-01T10:00:00.000Z' });
    expect(validateRaise(base).dedupKey).toBe('netmon:weak-crypto:-:Weak TLS on PACS');
  });

  it.each([
    [{ title: '  ' }, '/title', /must not be empty/],
    [{ severity: 'severe' }, '/severity', /"severe" is not one of/],
    [{ source: 42 }, '/source', /must be a string/],
    [{ category: undefined }, '/category', /is required/],
    [{ title: 'x'.repeat(301) }, '/title', /301 characters; at most 300/],
    [{ evidence: [{ kind: 'flow' }] }, '/evidence/0/ref', /is required/],
    [{ evidence: Array.from({ length: 101 }, () => ({ kind: 'k', ref: 'r' })) }, '/evidence', /101 items; at most 100/],
    [{ evidence: 'flow-1' }, '/evidence', /must be a list/],
    [{ observedAt: '2025-07-01 12:00' }, '/observedAt', /not an ISO-8601 date-time/],
  ])('rejects %j naming %s', (patch, pointer, message) => {
    const attempt = () => validateRaise({ ...base, ...(patch as Partial<RaiseAlertInput>) });
    expect(attempt).toThrow(message);
    try {
      attempt();
    } catch (e) {
      expect(isDomainError(e) && e.location?.pointer).toBe(pointer);
    }
  });

  it('bounds notes and treats a blank note as none', () => {
    expect(validateNote('   ')).toBeUndefined();
    expect(validateNote(' ok ')).toBe('ok');
    expect(() => validateNote('n'.repeat(2001))).toThrow(/at most 2000/);
  });

  it('describes a non-string severity without calling its toString', () => {
    expect(() => validateRaise({ ...base, severity: { toString: 12 } as never })).toThrow('an object is not one of');
  });

  it('never throws anything but a typed error on arbitrary input', () => {
    fc.assert(
      fc.property(fc.record({ title: fc.anything(), severity: fc.anything(), source: fc.anything(), category: fc.anything(), evidence: fc.anything(), observedAt: fc.anything(), dedupKey: fc.anything() }, { requiredKeys: [] }), (input) => {
        try {
          validateRaise(input as unknown as RaiseAlertInput);
        } catch (e) {
          expect(isDomainError(e)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
