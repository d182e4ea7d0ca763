import { describe, expect, it } from 'vitest';
import { exportCsafVex } from '../export/csaf.js';
import { exportCycloneDxVex } from '../export/cyclonedx.js';
import { base } from './sample.js';
import { csafFailures, cycloneDx16Violation } from './validators.js';

// The export tests rely on these checks; they must fail on documents that break the rules.
describe('conformance checks used by the export tests', () => {
  it('the CycloneDX check names the pointer of an invalid analysis state', () => {
    const doc = exportCycloneDxVex(base) as unknown as { vulnerabilities: Array<{ analysis: Record<string, unknown> }> };
    doc.vulnerabilities[0]!.analysis.state = 'affected';
    expect(cycloneDx16Violation(doc)).toEqual({ pointer: '/vulnerabilities/0/analysis/state', message: expect.stringContaining('must be one of') });
  });

  it('the CSAF check reports a known_affected product without remediation (6.1.27.10) and a wrong CWE name (6.1.11)', async () => {
    const doc = exportCsafVex({ ...base, publisher: { category: 'vendor', name: 'Acme', namespace: 'https://acme.test' } }) as unknown as { vulnerabilities: Array<Record<string, unknown>> };
    const affected = doc.vulnerabilities.find((v) => v.cve === 'CVE-2023-0286')!;
    delete affected.remediations;
    affected.cwe = { id: 'CWE-787', name: 'Something else' };
    const failures = await csafFailures(doc);
    expect(failures.map((f) => f.test).sort()).toEqual(['mandatoryTest_6_1_11', 'mandatoryTest_6_1_27_10']);
  });

  it('the CSAF check runs the strict schema', async () => {
    const failures = await csafFailures({ document: { category: 'csaf_vex' } });
    expect(failures.some((f) => f.test === 'csaf_2_0_strict')).toBe(true);
  });
});
