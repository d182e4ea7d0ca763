import { describe, expect, it } from 'vitest';
import { CSAF_JUSTIFICATIONS, CSAF_STATUSES } from '../mappings.js';
import { fixtureText, vexErrorOf, withValue } from '../testing/helpers.js';
import { parseVex } from './parse.js';

const FIXTURE = 'csaf-vex-every-status.json';
const doc = parseVex(fixtureText(FIXTURE), FIXTURE);
const of = (vuln: string, status: string) => doc.statements.filter((s) => s.vulnerabilityId === vuln && s.sourceState === status);
const pump421 = { name: 'InfuseRight 3000', vendor: 'Acme Medical', version: '4.2.1', csafProductId: 'PUMP-421', cpe: 'cpe:2.3:o:acme_medical:infuseright_3000_firmware:4.2.1:*:*:*:*:*:*:*' };
const openssl = {
  name: 'OpenSSL 1.1.1k',
  csafProductId: 'OPENSSL',
  version: '1.1.1k',
  purl: 'pkg:generic/openssl/openssl@1.1.1k',
  hashes: [{ algorithm: 'sha256', value: 'ab'.repeat(32), filename: 'libssl.so' }],
};

describe('CSAF VEX import', () => {
  it('reads tracking id, version, publisher and release date', () => {
    expect(doc.format).toBe('csaf');
    expect(doc.info).toEqual({ id: 'ACME-VEX-2024-001', version: '2', author: 'Acme Medical PSIRT', timestamp: '2024-06-01T00:00:00.000Z' });
  });

  it('maps every product_status category to a VEX state', () => {
    const states = Object.fromEntries(doc.statements.map((s) => [s.sourceState, s.state]));
    expect(states).toEqual({
      known_affected: 'affected',
      first_affected: 'affected',
      last_affected: 'affected',
      known_not_affected: 'not_affected',
      fixed: 'fixed',
      first_fixed: 'fixed',
      recommended: 'fixed',
      under_investigation: 'under_investigation',
    });
    expect(Object.keys(states).sort()).toEqual([...CSAF_STATUSES].sort());
  });

  it('resolves branch products with vendor, name, version and CPE helper', () => {
    const [s] = of('CVE-2024-0001', 'known_affected');
    expect(s?.products).toEqual([pump421]);
    expect(s?.aliases).toEqual(['ACME-2024-01']);
    expect(s?.source).toEqual({ format: 'csaf', location: FIXTURE, pointer: '/vulnerabilities/0/product_status/known_affected/0' });
  });

  it('keeps a product_version_range as a range, not a version', () => {
    expect(of('CVE-2024-0001', 'first_affected')[0]?.products[0]).toEqual({ name: 'InfuseRight 3000', vendor: 'Acme Medical', versionRange: 'vers:generic/<4.2.0', csafProductId: 'PUMP-OLD' });
  });

  it('resolves full_product_names with purl and hashes helpers', () => {
    expect(of('CVE-2024-0001', 'first_fixed')[0]?.products).toEqual([openssl]);
  });

  it('resolves a relationship to the platform with the component as subcomponent', () => {
    const [s] = of('CVE-2024-0001', 'last_affected');
    expect(s?.products).toEqual([pump421]);
    expect(s?.subcomponents).toEqual([openssl]);
  });

  it('reads impact threats and remediations (product ids and group ids) per product', () => {
    const [affected] = of('CVE-2024-0001', 'known_affected');
    expect(affected?.impactStatement).toBe('Remote code execution on the pump.');
    expect(affected?.actionStatement).toBe('vendor_fix: Update to 4.3.0. (https://psirt.acme.test/fw)\nworkaround: Disable the remote console.');
    expect(of('CVE-2024-0001', 'first_affected')[0]?.actionStatement).toBe('workaround: Disable the remote console.');
    expect(of('CVE-2024-0001', 'fixed')[0]?.actionStatement).toBe('vendor_fix: Update to 4.3.0. (https://psirt.acme.test/fw)');
  });

  it('reads every flag label as the justification of its product', () => {
    const labels = of('ACME-2024-03', 'known_not_affected').map((s) => [s.products[0]?.csafProductId, s.subcomponents?.[0]?.csafProductId, s.justification]);
    expect(labels).toEqual([
      ['PUMP-421', undefined, 'component_not_present'],
      ['PUMP-430', undefined, 'vulnerable_code_not_present'],
      ['PUMP-OLD', undefined, 'vulnerable_code_not_in_execute_path'],
      ['OPENSSL', undefined, 'vulnerable_code_cannot_be_controlled_by_adversary'],
      ['PUMP-421', 'OPENSSL', 'inline_mitigations_already_exist'],
    ]);
    expect(labels.map((l) => l[2]).sort()).toEqual([...CSAF_JUSTIFICATIONS].sort());
  });

  it('dates a statement by its flag date, else the document release date', () => {
    const notAffected = of('ACME-2024-03', 'known_not_affected');
    expect(notAffected[1]?.timestamp).toBe('2024-05-20T00:00:00.000Z');
    expect(notAffected[0]?.timestamp).toBe('2024-06-01T00:00:00.000Z');
  });

  it('applies an impact threat addressed by group to every member', () => {
    const impacts = of('ACME-2024-03', 'known_not_affected').map((s) => s.impactStatement);
    expect(impacts).toEqual(['Not exploitable.', 'Not exploitable.', undefined, undefined, undefined]);
  });

  it('skips a vulnerability without cve or ids, with a warning', () => {
    expect(doc.statements).toHaveLength(12);
    expect(doc.warnings).toEqual(['/vulnerabilities/3: vulnerability has neither cve nor ids; skipped']);
  });

  it('reads a csaf_security_advisory product_status the same way', () => {
    const advisory = parseVex(JSON.stringify(withValue(FIXTURE, '/document/category', 'csaf_security_advisory')), 'sa.json');
    expect(advisory.statements.map((s) => s.state)).toEqual(doc.statements.map((s) => s.state));
  });
});

describe('CSAF VEX import errors', () => {
  const cases: Array<[string, string, unknown, string, string]> = [
    ['a product_status naming an undefined product', '/vulnerabilities/0/product_status/known_affected/0', 'NOPE', 'vex.unresolved_ref', '/vulnerabilities/0/product_status/known_affected/0'],
    ['a product_status list of the wrong type', '/vulnerabilities/0/product_status/fixed', 'PUMP-430', 'vex.invalid', '/vulnerabilities/0/product_status/fixed'],
    ['a product id of the wrong type', '/vulnerabilities/0/product_status/fixed/0', 430, 'vex.invalid', '/vulnerabilities/0/product_status/fixed/0'],
    ['an unknown flag label', '/vulnerabilities/2/flags/0/label', 'not_relevant', 'vex.invalid', '/vulnerabilities/2/flags/0/label'],
    ['a threat without details', '/vulnerabilities/0/threats/0/details', undefined, 'vex.invalid', '/vulnerabilities/0/threats/0/details'],
    ['a remediation with a non-string product id', '/vulnerabilities/0/remediations/1/product_ids/0', false, 'vex.invalid', '/vulnerabilities/0/remediations/1/product_ids/0'],
    ['a product tree product without product_id', '/product_tree/full_product_names/0/product_id', undefined, 'vex.invalid', '/product_tree/full_product_names/0/product_id'],
    ['a relationship to an undefined component', '/product_tree/relationships/0/product_reference', 'GHOST', 'vex.invalid', '/product_tree/relationships/0/full_product_name'],
    ['an unsupported csaf_version', '/document/csaf_version', '2.1', 'vex.invalid', '/document/csaf_version'],
    ['a missing tracking id', '/document/tracking/id', undefined, 'vex.invalid', '/document/tracking/id'],
  ];
  it.each(cases)('rejects %s with its JSON pointer', (_what, at, value, code, pointer) => {
    const e = vexErrorOf(withValue(FIXTURE, at, value), 'bad.csaf.json');
    expect(e.code).toBe(code);
    expect(e.pointer).toBe(pointer);
    expect(e.message).toContain(`bad.csaf.json at ${pointer}`);
  });
});
