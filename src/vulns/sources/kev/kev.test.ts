import { describe, expect, it } from 'vitest';
import { AdvisoryParseError } from '../common/errors.js';
import { assertOnlyTypedErrors } from '../testing/fuzz.js';
import { kevCsvSource, kevJsonSource, parseKevCsv, parseKevJson } from './index.js';

const entry = {
  cveID: 'CVE-2021-44228',
  vendorProject: 'Apache',
  product: 'Log4j2',
  vulnerabilityName: 'Apache Log4j2 Remote Code Execution Vulnerability',
  dateAdded: '2021-12-10',
  shortDescription: 'JNDI features do not protect against attacker-controlled LDAP endpoints.',
  requiredAction: 'Apply updates per vendor instructions.',
  dueDate: '2021-12-24',
  knownRansomwareCampaignUse: 'Known',
  notes: 'https://logging.apache.org/log4j/2.x/security.html ; https://nvd.nist.gov/vuln/detail/CVE-2021-44228',
  cwes: ['CWE-20', 'CWE-400'],
};
const catalog = { title: 'KEV', catalogVersion: '2021.12.10', dateReleased: '2021-12-10T00:00:00Z', count: 1, vulnerabilities: [entry] };

const csv = [
  'cveID,vendorProject,product,vulnerabilityName,dateAdded,shortDescription,requiredAction,dueDate,knownRansomwareCampaignUse,notes,cwes',
  'CVE-2021-44228,Apache,Log4j2,"Apache Log4j2 Remote Code Execution Vulnerability",2021-12-10,"JNDI features, unprotected","Apply updates per vendor instructions.",2021-12-24,Known,"https://nvd.nist.gov/vuln/detail/CVE-2021-44228","CWE-20, CWE-400"',
].join('\n');

function errorOf(fn: () => unknown): AdvisoryParseError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AdvisoryParseError) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('KEV sources', () => {
  it('turns a catalog entry into an advisory with KEV status and references from the notes', () => {
    const [a] = parseKevJson(JSON.stringify(catalog), 'kev.json').advisories;
    expect(a).toMatchObject({ id: 'CVE-2021-44228', source: 'kev', cwes: ['CWE-20', 'CWE-400'], title: entry.vulnerabilityName });
    expect(a?.kev).toMatchObject({ dateAdded: '2021-12-10', dueDate: '2021-12-24', knownRansomware: true });
    expect(a?.references.map((r) => r.url)).toEqual(['https://logging.apache.org/log4j/2.x/security.html', 'https://nvd.nist.gov/vuln/detail/CVE-2021-44228']);
  });

  it('rejects a catalog whose count disagrees with its entries', () => {
    const e = errorOf(() => parseKevJson(JSON.stringify({ ...catalog, count: 2 }), 'kev.json'));
    expect(e.location?.pointer).toBe('/count');
    expect(e.reason).toBe('count says 2 but the catalog lists 1 entries');
  });

  it('rejects an entry with a malformed date, naming the entry', () => {
    const e = errorOf(() => parseKevJson(JSON.stringify({ ...catalog, vulnerabilities: [{ ...entry, dueDate: '24/12/2021' }] }), 'kev.json'));
    expect(e.location?.pointer).toBe('/vulnerabilities/0');
    expect(e.reason).toContain('dueDate "24/12/2021"');
  });

  it('reads the CSV form, with quoted commas, to the same advisory', () => {
    const [a] = parseKevCsv(csv, 'kev.csv');
    expect(a).toMatchObject({ id: 'CVE-2021-44228', summary: 'JNDI features, unprotected', cwes: ['CWE-20', 'CWE-400'], provenance: { pointer: 'line 2' } });
  });

  it('names the line of a bad CSV row and the column missing from the header', () => {
    expect(errorOf(() => parseKevCsv(csv.replace('2021-12-24', 'tomorrow'), 'kev.csv')).location).toEqual({ file: 'kev.csv', line: 2 });
    expect(errorOf(() => parseKevCsv(csv.replace('dueDate,', 'due,'), 'kev.csv')).location).toEqual({ file: 'kev.csv', line: 1, column: 'dueDate' });
    expect(errorOf(() => parseKevCsv(`${csv}\n"unterminated`, 'kev.csv')).reason).toContain('invalid CSV');
  });

  it('detects the JSON catalog and the CSV header', () => {
    expect(kevJsonSource.detect({ json: catalog })).toBe(true);
    expect(kevCsvSource.detect({ head: csv.slice(0, 40) })).toBe(true);
  });

  it('throws nothing but AdvisoryParseError on random and mutated input', () => {
    assertOnlyTypedErrors((s) => kevJsonSource.parse(s, 'fuzz.json'), [JSON.stringify(catalog)]);
    assertOnlyTypedErrors((s) => kevCsvSource.parse(s, 'fuzz.csv'), [csv]);
  });
});
