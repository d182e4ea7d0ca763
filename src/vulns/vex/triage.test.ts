import { describe, expect, it } from 'vitest';
import type { VexStatement } from './model.js';
import { triageFromStatement } from './triage.js';

const by = { kind: 'user' as const, id: 'usr_1', name: 'Importer' };
const statement: VexStatement = {
  vulnerabilityId: 'CVE-2024-1',
  aliases: [],
  products: [{ name: 'pump' }],
  state: 'not_affected',
  sourceState: 'known_not_affected',
  justification: 'vulnerable_code_not_present',
  impactStatement: 'Not shipped.',
  detail: 'Long analysis.',
  source: { format: 'csaf', location: 'vendor.json', pointer: '/vulnerabilities/0/product_status/known_not_affected/2' },
};

describe('triageFromStatement', () => {
  it('takes state, justification and the impact statement, and names format, file and pointer as origin', () => {
    expect(triageFromStatement(statement, by, '2025-01-01T00:00:00.000Z')).toEqual({
      state: 'not_affected',
      justification: 'vulnerable_code_not_present',
      detail: 'Not shipped.',
      by,
      at: '2025-01-01T00:00:00.000Z',
      origin: 'vex:csaf vendor.json#/vulnerabilities/0/product_status/known_not_affected/2',
    });
  });

  it('dates the decision by the statement, and falls back to detail and CycloneDX responses', () => {
    const t = triageFromStatement({ ...statement, impactStatement: undefined, timestamp: '2024-12-01T00:00:00.000Z', responses: ['will_not_fix', 'update'] }, by, '2025-01-01T00:00:00.000Z');
    expect(t).toMatchObject({ at: '2024-12-01T00:00:00.000Z', detail: 'Long analysis.', action: 'will_not_fix, update' });
  });
});
