import { describe, expect, it } from 'vitest';
import { AdvisoryParseError } from '../common/errors.js';
import { assertOnlyTypedErrors } from '../testing/fuzz.js';
import { createOsvSource, osvSource } from './index.js';

const base = {
  id: 'GHSA-xxxx-yyyy-zzzz',
  modified: '2024-01-01T00:00:00Z',
  aliases: ['CVE-2024-0001'],
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
  affected: [
    {
      package: { ecosystem: 'npm', name: 'left-pad' },
      ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { fixed: '1.2.0' }, { introduced: '2.0.0' }, { last_affected: '2.1.0' }] }],
    },
  ],
  database_specific: { cwe_ids: ['CWE-79'] },
};

const parseDoc = (doc: unknown) => osvSource.parse(JSON.stringify(doc), 'doc.json');

function errorOf(doc: unknown, source = osvSource): AdvisoryParseError {
  try {
    source.parse(JSON.stringify(doc), 'doc.json');
  } catch (e) {
    if (e instanceof AdvisoryParseError) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('OSV source', () => {
  it('uses the single CVE alias as the primary id and scores the severity', () => {
    const [a] = parseDoc(base);
    expect(a).toMatchObject({ id: 'CVE-2024-0001', sourceId: 'GHSA-xxxx-yyyy-zzzz', aliases: ['GHSA-xxxx-yyyy-zzzz'], cwes: ['CWE-79'] });
    expect(a?.severity[0]?.baseScore).toBe(9.8);
    expect(a?.affected[0]).toMatchObject({ fixed: ['1.2.0'], classification: 'range', confidence: 1 });
  });

  it('closes an interval with < for fixed and <= for last_affected', () => {
    const range = parseDoc(base)[0]?.affected[0]?.ranges[0];
    expect(range).toEqual({
      kind: 'constraints',
      scheme: 'npm',
      groups: [
        [{ op: '>=', version: '1.0.0' }, { op: '<', version: '1.2.0' }],
        [{ op: '>=', version: '2.0.0' }, { op: '<=', version: '2.1.0' }],
      ],
    });
  });

  it('falls back to generic ordering for ecosystems without a comparator, marked for review', () => {
    const doc = { ...base, affected: [{ package: { ecosystem: 'Hex', name: 'x' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '1.0' }] }] }] };
    expect(parseDoc(doc)[0]?.affected[0]).toMatchObject({ confidence: 0.6, needsReview: true });
  });

  it.each([
    [{ ...base, id: undefined }, '/id', 'required field is missing'],
    [{ ...base, modified: 'soon' }, '/modified', 'not an RFC 3339 timestamp'],
    [{ ...base, severity: [{ type: 'CVSS_V9', score: 'x' }] }, '/severity/0/type', 'is not one of'],
    [{ ...base, affected: [{ ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }] }, '/affected/0/package', 'names no package'],
    [{ ...base, affected: [{ package: { ecosystem: 'npm', name: '' } }] }, '/affected/0/package/name', 'package name is empty'],
    [{ ...base, affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'GIT', events: [{ introduced: '0' }] }] }] }, '/affected/0/ranges/0/repo', 'required field is missing'],
    [{ ...base, affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0', fixed: '1' }] }] }] }, '/affected/0/ranges/0/events/0', 'exactly one of'],
    [{ ...base, affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'SEMVER', events: [] }] }] }, '/affected/0/ranges/0/events', 'at least one event'],
    [{ ...base, affected: [{ package: { ecosystem: 'npm', name: 'x' }, ranges: [{ type: 'BOGUS', events: [{ introduced: '0' }] }] }] }, '/affected/0/ranges/0/type', 'is not one of'],
  ])('rejects an invalid record at %#', (doc, pointer, reason) => {
    const e = errorOf(doc);
    expect(e.location?.pointer).toBe(pointer);
    expect(e.reason).toContain(reason);
  });

  it('checks package existence through the registry port, ignoring unknown answers', () => {
    const strict = createOsvSource({ packageExists: (_, name) => (name === 'left-pad' ? false : undefined) });
    expect(errorOf(base, strict).reason).toContain('does not exist in npm');
    const unknown = createOsvSource({ packageExists: () => undefined });
    expect(unknown.parse(JSON.stringify(base), 'doc.json')).toHaveLength(1);
  });

  it('detects OSV records but not CSAF, CVE 5 or NVD documents', () => {
    expect(osvSource.detect({ json: base })).toBe(true);
    expect(osvSource.detect({ json: { id: 'x', modified: 'y', cveMetadata: {} } })).toBe(false);
    expect(osvSource.detect({ filename: 'a.osv.json' })).toBe(true);
  });

  it('throws nothing but AdvisoryParseError on random and mutated input', () => {
    assertOnlyTypedErrors((s) => osvSource.parse(s, 'fuzz.json'), [JSON.stringify(base)]);
  });
});
