import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseVex } from './import/parse.js';
import { only } from './testing/helpers.js';

// Real public VEX-bearing documents from ../shared/data (never copied into the repository).
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const DATA = path.resolve(repoRoot, '../shared/data');
const present = existsSync(path.join(DATA, 'csaf', 'icsma')) && existsSync(path.join(DATA, 'sbom', 'cyclonedx'));
if (!present && process.env.CI !== 'true') console.warn(`[skip] VEX real-data conformance: shared data not found at ${DATA}`);
const suite = present || process.env.CI === 'true' ? describe : describe.skip;

const read = (...parts: string[]) => readFileSync(path.join(DATA, ...parts), 'utf8');
const cdx = (name: string) => parseVex(read('sbom', 'cyclonedx', name), name);

suite('VEX import of real documents', () => {
  it('finds the shared data (required under CI=true)', () => {
    expect(present, `shared data at ${DATA}`).toBe(true);
  });

  it('reads the four CISA minimum-elements VEX cases (CycloneDX 1.4) with their states', () => {
    const cases = ['affected', 'fixed', 'not_affected', 'under_investigation'].map((c) => cdx(`vex-cisa-case1-${c}.cdx-1.4.json`).statements);
    expect(cases.map((s) => s.map((x) => [x.vulnerabilityId, x.state, x.sourceState, x.products[0]?.name, x.products[0]?.version]))).toEqual([
      [['CVE-2021-44228', 'affected', 'exploitable', 'DEF', '1.0']],
      [['CVE-2021-44228', 'fixed', 'resolved', 'DEF', '1.1']],
      [['CVE-2021-44228', 'not_affected', 'not_affected', 'ABC', '4.2']],
      [['CVE-2021-44228', 'under_investigation', 'in_triage', 'GHI', '17.4']],
    ]);
    const notAffected = cases[2]![0]!;
    expect(notAffected).toMatchObject({ justification: 'code_not_present', responses: ['will_not_fix'], timestamp: '2022-03-03T00:00:00.000Z' });
    expect(notAffected.detail).toMatch(/^This version of Product ABC is not affected/);
    expect(cases[0]![0]!.responses).toEqual(['will_not_fix', 'update']);
  });

  it('reads the 19-vulnerability CISA case 2 document against its metadata product', () => {
    const doc = cdx('vex-cisa-case2.cdx-1.4.json');
    expect(doc.statements).toHaveLength(19);
    expect(new Set(doc.statements.map((s) => s.products[0]?.bomRef))).toEqual(new Set(['product-ABC']));
    expect(only(doc.statements, 'CVE-2020-11896')).toMatchObject({ state: 'not_affected', justification: 'code_not_reachable' });
    expect(doc.warnings).toEqual([]);
  });

  it('keeps the BOM-Link of the CycloneDX VEX example pointing into its separate SBOM', () => {
    const doc = cdx('vex.cdx-1.4.json');
    expect(doc.statements).toEqual([
      expect.objectContaining({
        vulnerabilityId: 'CVE-2020-25649',
        aliases: ['SNYK-JAVA-COMFASTERXMLJACKSONCORE-1048302'],
        state: 'not_affected',
        justification: 'code_not_reachable',
        responses: ['will_not_fix', 'update'],
        products: [
          {
            bomLink: 'urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar',
            purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.10.0?type=jar',
          },
        ],
      }),
    ]);
  });

  it('reads CycloneDX 1.4–1.6 SBOMs without vulnerabilities as empty VEX, and rejects 1.2/1.3 BOMs by their specVersion', () => {
    const files = readdirSync(path.join(DATA, 'sbom', 'cyclonedx')).filter((f) => !f.startsWith('vex'));
    for (const f of files) {
      if (/cdx-1\.[456]\.json$/.test(f)) expect(cdx(f).statements, f).toEqual([]);
      else expect(() => cdx(f), f).toThrow(expect.objectContaining({ code: 'vex.unsupported_version', location: expect.objectContaining({ pointer: '/specVersion' }) }));
    }
    expect(parseVex(read('sbom', 'medical-device', 'case-study-narrow.cdx-1.4.json'), 'narrow.json').statements).toEqual([]);
  });

  it('imports every ICSMA advisory: one statement per product_status entry of each identified vulnerability', () => {
    const files = readdirSync(path.join(DATA, 'csaf', 'icsma')).filter((f) => f.endsWith('.json'));
    expect(files).toHaveLength(94);
    let total = 0;
    for (const f of files) {
      const text = read('csaf', 'icsma', f);
      const raw = JSON.parse(text) as { vulnerabilities?: Array<{ cve?: string; ids?: unknown[]; product_status?: Record<string, string[]> }> };
      // expected count computed from the raw JSON, independently of the importer
      const expected = (raw.vulnerabilities ?? []).filter((v) => v.cve || (v.ids?.length ?? 0) > 0).reduce((n, v) => n + Object.values(v.product_status ?? {}).reduce((m, ids) => m + ids.length, 0), 0);
      const doc = parseVex(text, f);
      expect(doc.statements, f).toHaveLength(expected);
      expect(doc.warnings, f).toEqual([]);
      expect(doc.statements.every((s) => s.products[0]?.csafProductId !== undefined && s.source.pointer.startsWith('/vulnerabilities/')), f).toBe(true);
      total += doc.statements.length;
    }
    expect(total).toBe(528);
  });

  it('reads ICSMA-20-049-01 (Spacelabs XTR, BlueKeep) product by product, with CISA remediations as actions', () => {
    const doc = parseVex(read('csaf', 'icsma', 'icsma-20-049-01.json'), 'icsma-20-049-01.json');
    expect(doc.info).toMatchObject({ id: 'ICSMA-20-049-01', author: 'CISA' });
    const bluekeep = doc.statements.filter((s) => s.vulnerabilityId === 'CVE-2019-0708');
    expect(bluekeep).toHaveLength(10);
    expect(bluekeep.every((s) => s.state === 'affected' && s.sourceState === 'known_affected')).toBe(true);
    const xtr = bluekeep.find((s) => s.products[0]?.csafProductId === 'CSAFPID-0004');
    expect(xtr?.products[0]).toEqual({ name: 'Xhibit Telemetry Receiver (XTR) Model number 96280', vendor: 'Spacelabs', version: '1.0.2', csafProductId: 'CSAFPID-0004' });
    expect(xtr?.actionStatement).toMatch(/^vendor_fix: Spacelabs has determined the recommended remediation is to update/);
  });
});
