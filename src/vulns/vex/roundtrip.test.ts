import { describe, expect, it } from 'vitest';
import type { Finding } from '../findings/model.js';
import { PRODUCT_SELF_REF } from '../match/model.js';
import { exportCsafVex } from './export/csaf.js';
import { exportCycloneDxVex } from './export/cyclonedx.js';
import { exportOpenVex } from './export/openvex.js';
import { parseVex } from './import/parse.js';
import { isCsafJustification, toCsafJustification } from './mappings.js';
import type { VexDocument, VexStatement } from './model.js';
import { base, findings } from './testing/sample.js';
import { triageFromStatement } from './triage.js';

/** The findings an export speaks about: open ones, with their expected state. */
const exported = findings.filter((f) => f.status === 'open');
const expectedState = (f: Finding) => f.triage?.state ?? 'under_investigation';

/** The statement about this finding's component (or the product itself for firmware findings). */
function statementFor(doc: VexDocument, f: Finding): VexStatement {
  const hits = doc.statements.filter((s) => {
    if (s.vulnerabilityId !== f.vulnerabilityId) return false;
    const sub = s.subcomponents?.[0];
    if (f.componentRef === PRODUCT_SELF_REF) return sub === undefined;
    return sub !== undefined && (sub.purl === f.componentPurl || sub.bomRef === f.componentRef || (sub.name === f.componentName && sub.version === f.componentVersion));
  });
  expect(hits, `${f.vulnerabilityId} ${f.componentName}`).toHaveLength(1);
  return hits[0]!;
}

const cases: Array<[string, () => unknown, 'exact' | 'csaf-label']> = [
  ['CycloneDX 1.6', () => exportCycloneDxVex(base), 'exact'],
  ['CSAF 2.0', () => exportCsafVex({ ...base, publisher: { category: 'vendor', name: 'Acme', namespace: 'https://acme.test' } }), 'csaf-label'],
  ['OpenVEX 0.2.0', () => exportOpenVex({ ...base, author: 'Acme' }), 'csaf-label'],
];

describe.each(cases)('%s export -> import', (_format, exportDoc, vocabulary) => {
  const doc = parseVex(JSON.stringify(exportDoc()), 'roundtrip.json');

  it('gives back one statement per exported finding and nothing for closed ones', () => {
    expect(doc.warnings).toEqual([]);
    expect(doc.statements).toHaveLength(exported.length);
  });

  it('gives back the same state for every finding', () => {
    for (const f of exported) expect(statementFor(doc, f).state, f.vulnerabilityId).toBe(expectedState(f));
  });

  it(vocabulary === 'exact' ? 'gives back the same justification for every finding' : 'gives back the same CSAF label, or the documented nearest label for CycloneDX justifications', () => {
    for (const f of exported) {
      const want = f.triage?.justification;
      const got = statementFor(doc, f).justification;
      if (want === undefined) expect(got).toBeUndefined();
      else if (vocabulary === 'exact' || isCsafJustification(want)) expect(got, f.vulnerabilityId).toBe(want);
      else expect(got, f.vulnerabilityId).toBe(toCsafJustification(want));
    }
  });

  it('gives back the analyst detail and action as triage detail and action', () => {
    const by = { kind: 'system' as const, id: 'vex-import', name: 'VEX import' };
    for (const f of exported.filter((x) => x.triage?.state === 'not_affected' || x.triage?.action)) {
      const t = triageFromStatement(statementFor(doc, f), by, '2025-03-02T00:00:00.000Z');
      if (f.triage?.detail) expect(t.detail).toBe(f.triage.detail);
      if (f.triage?.action) expect(t.action).toContain(f.triage.action);
      expect(t.origin).toMatch(/^vex:(cyclonedx|csaf|openvex) roundtrip\.json#\//);
    }
  });
});
