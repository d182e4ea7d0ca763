/**
 * @module Demo vulnerability documents in their real formats, so the demo exercises the same
 * parsers as production: CSAF 2.0 vendor advisories for demo device models, an NVD API 2.0 bundle
 * of component CVEs with CPE ranges, a KEV catalog and an EPSS file, and CycloneDX 1.6 SBOMs for
 * a few device firmware images. Every identifier uses the reserved-looking year 2099 and the
 * "CareGuard Demo" publisher: the data is illustrative, never a statement about a real product.
 */
import { DEMO_MODELS } from '../../inventory/demo/catalog.js';
import type { DemoModel } from '../../inventory/demo/catalog-types.js';

export interface DemoDocument {
  name: string;
  text: string;
}

interface ComponentCve {
  id: string;
  vendor: string;
  product: string;
  part: 'a' | 'o';
  /** versionEndExcluding */
  fixed: string;
  /** versionStartIncluding */
  from?: string;
  vector: string;
  score: number;
  summary: string;
  kev?: boolean;
  epss: number;
}

const COMPONENT_CVES: readonly ComponentCve[] = [
  { id: 'CVE-2099-0101', vendor: 'openssl', product: 'openssl', part: 'a', from: '1.1.1', fixed: '1.1.1n', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', score: 7.5, summary: 'Demo: infinite loop in certificate parsing', kev: true, epss: 0.42 },
  { id: 'CVE-2099-0102', vendor: 'busybox', product: 'busybox', part: 'a', fixed: '1.34.0', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 9.8, summary: 'Demo: heap overflow in the DHCP client', epss: 0.08 },
  { id: 'CVE-2099-0103', vendor: 'zlib', product: 'zlib', part: 'a', fixed: '1.2.12', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', score: 7.5, summary: 'Demo: memory corruption when deflating', epss: 0.02 },
  { id: 'CVE-2099-0104', vendor: 'dropbear_ssh_project', product: 'dropbear_ssh', part: 'a', fixed: '2022.82', vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N', score: 4.8, summary: 'Demo: authentication bypass under a race', epss: 0.01 },
  { id: 'CVE-2099-0105', vendor: 'lighttpd', product: 'lighttpd', part: 'a', fixed: '1.4.64', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', score: 7.5, summary: 'Demo: stack exhaustion in the web server', epss: 0.05 },
  { id: 'CVE-2099-0106', vendor: 'offis', product: 'dcmtk', part: 'a', fixed: '3.6.7', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', score: 8.8, summary: 'Demo: path traversal storing DICOM objects', kev: true, epss: 0.61 },
  { id: 'CVE-2099-0107', vendor: 'linux', product: 'linux_kernel', part: 'o', from: '4.14', fixed: '4.14.300', vector: 'CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', score: 7.8, summary: 'Demo: use-after-free in the network stack', epss: 0.03 },
  { id: 'CVE-2099-0108', vendor: 'curl', product: 'curl', part: 'a', fixed: '7.83.1', vector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N', score: 5.9, summary: 'Demo: credential leak on redirect', epss: 0.04 },
];

/** Components of an embedded-Linux firmware image, older firmware with older components. */
function firmwareComponents(generation: number): Array<{ vendor: string; product: string; name: string; version: string; part: 'a' | 'o' }> {
  const pick = <T>(old: T, mid: T, cur: T): T => (generation <= 0 ? old : generation === 1 ? mid : cur);
  return [
    { vendor: 'linux', product: 'linux_kernel', name: 'linux-kernel', version: pick('4.14.180', '4.14.290', '5.10.150'), part: 'o' },
    { vendor: 'busybox', product: 'busybox', name: 'busybox', version: pick('1.31.1', '1.33.2', '1.36.1'), part: 'a' },
    { vendor: 'openssl', product: 'openssl', name: 'openssl', version: pick('1.1.1k', '1.1.1m', '3.0.13'), part: 'a' },
    { vendor: 'zlib', product: 'zlib', name: 'zlib', version: pick('1.2.11', '1.2.13', '1.3.1'), part: 'a' },
    { vendor: 'dropbear_ssh_project', product: 'dropbear_ssh', name: 'dropbear', version: pick('2019.78', '2020.81', '2022.83'), part: 'a' },
    { vendor: 'lighttpd', product: 'lighttpd', name: 'lighttpd', version: pick('1.4.55', '1.4.59', '1.4.73'), part: 'a' },
    { vendor: 'curl', product: 'curl', name: 'curl', version: pick('7.68.0', '7.81.0', '8.5.0'), part: 'a' },
  ];
}

/** Demo models that get an SBOM: embedded-Linux devices, one per category family. */
export function demoSbomModels(): DemoModel[] {
  const wanted = ['Infusomat Space', 'IntelliVue MX450', 'BeneVision N17', 'HAMILTON-C6', 'Connex Spot Monitor', '5008S'];
  return wanted.map((name) => DEMO_MODELS.find((m) => m.model === name)).filter((m): m is DemoModel => m !== undefined);
}

export function demoSboms(): DemoDocument[] {
  const out: DemoDocument[] = [];
  for (const model of demoSbomModels()) {
    model.firmware.forEach((fw, generation) => {
      const comps = firmwareComponents(generation).map((c, i) => ({
        type: c.part === 'o' ? 'operating-system' : 'library',
        'bom-ref': `comp-${i}`,
        name: c.name,
        version: c.version,
        cpe: `cpe:2.3:${c.part}:${c.vendor}:${c.product}:${c.version}:*:*:*:*:*:*:*`,
        purl: `pkg:generic/${c.name}@${c.version}`,
      }));
      if (model.category === 'patient-monitor') {
        comps.push({ type: 'library', 'bom-ref': 'comp-dcmtk', name: 'dcmtk', version: generation === 0 ? '3.6.5' : '3.6.8', cpe: `cpe:2.3:a:offis:dcmtk:${generation === 0 ? '3.6.5' : '3.6.8'}:*:*:*:*:*:*:*`, purl: `pkg:generic/dcmtk@${generation === 0 ? '3.6.5' : '3.6.8'}` });
      }
      const doc = {
        bomFormat: 'CycloneDX',
        specVersion: '1.6',
        serialNumber: `urn:uuid:${uuidOf(`${model.manufacturer}|${model.model}|${fw}`)}`,
        version: 1,
        metadata: {
          timestamp: '2026-01-15T00:00:00Z',
          component: { type: 'firmware', 'bom-ref': 'product', name: model.model, version: fw, supplier: { name: model.manufacturer } },
          supplier: { name: model.manufacturer },
        },
        components: comps,
      };
      out.push({ name: `demo-sbom-${slug(model.model)}-${slug(fw)}.cdx.json`, text: JSON.stringify(doc, null, 2) });
    });
  }
  return out;
}

export function demoNvdBundle(): DemoDocument {
  const vulnerabilities = COMPONENT_CVES.map((c) => ({
    cve: {
      id: c.id,
      sourceIdentifier: 'demo@careguard.invalid',
      published: '2099-01-10T00:00:00.000',
      lastModified: '2099-01-20T00:00:00.000',
      vulnStatus: 'Analyzed',
      descriptions: [{ lang: 'en', value: c.summary }],
      metrics: { cvssMetricV31: [{ source: 'demo@careguard.invalid', type: 'Primary', cvssData: { version: '3.1', vectorString: c.vector, baseScore: c.score } }] },
      weaknesses: [],
      configurations: [
        {
          nodes: [
            {
              operator: 'OR',
              negate: false,
              cpeMatch: [
                {
                  vulnerable: true,
                  criteria: `cpe:2.3:${c.part}:${c.vendor}:${c.product}:*:*:*:*:*:*:*:*`,
                  ...(c.from ? { versionStartIncluding: c.from } : {}),
                  versionEndExcluding: c.fixed,
                  matchCriteriaId: uuidOf(c.id),
                },
              ],
            },
          ],
        },
      ],
      references: [{ url: `https://careguard.invalid/demo/${c.id}` }],
    },
  }));
  const doc = { resultsPerPage: vulnerabilities.length, startIndex: 0, totalResults: vulnerabilities.length, format: 'NVD_CVE', version: '2.0', timestamp: '2099-01-20T00:00:00.000', vulnerabilities };
  return { name: 'demo-nvd-2.0.json', text: JSON.stringify(doc) };
}

export function demoKevCatalog(): DemoDocument {
  const vulnerabilities = COMPONENT_CVES.filter((c) => c.kev).map((c) => ({
    cveID: c.id,
    vendorProject: c.vendor,
    product: c.product,
    vulnerabilityName: c.summary,
    dateAdded: '2099-01-25',
    shortDescription: c.summary,
    requiredAction: 'Apply mitigations per vendor instructions or discontinue use of the product if mitigations are unavailable.',
    dueDate: '2099-02-15',
    knownRansomwareCampaignUse: 'Unknown',
    notes: 'CareGuard demo data',
    cwes: [],
  }));
  const doc = { title: 'CareGuard demo KEV catalog', catalogVersion: '2099.01.25', dateReleased: '2099-01-25T00:00:00.000Z', count: vulnerabilities.length, vulnerabilities };
  return { name: 'demo-known_exploited_vulnerabilities.json', text: JSON.stringify(doc) };
}

export function demoEpss(): DemoDocument {
  const rows = COMPONENT_CVES.map((c) => `${c.id},${c.epss.toFixed(5)},${Math.min(0.99999, 0.5 + c.epss / 2).toFixed(5)}`);
  return { name: 'demo-epss_scores.csv', text: `#model_version:v2025.03.14,score_date:2099-01-26T00:00:00+0000\ncve,epss,percentile\n${rows.join('\n')}\n` };
}

/** Vendor advisories: every firmware but the newest of some demo models is affected. */
export function demoCsafAdvisories(): DemoDocument[] {
  const chosen = DEMO_MODELS.filter((m) => m.firmware.length >= 2).filter((_, i) => i % 4 === 0).slice(0, 12);
  return chosen.map((model, n) => {
    const id = `CG-DEMO-2099-${String(n + 1).padStart(3, '0')}`;
    const cve = `CVE-2099-${String(1001 + n)}`;
    const affected = model.firmware.slice(0, -1);
    const fixed = model.firmware[model.firmware.length - 1]!;
    const pid = (fw: string) => `CSAFPID-${slug(fw)}`;
    const critical = ['infusion-pump', 'ventilator', 'patient-monitor', 'anesthesia-machine', 'dialysis-machine'].includes(model.category);
    const vector = critical ? 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' : 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N';
    const score = critical ? 8.8 : 5.4;
    const doc = {
      document: {
        category: 'csaf_security_advisory',
        csaf_version: '2.0',
        title: `${model.manufacturer} ${model.model} (demo advisory)`,
        publisher: { category: 'other', name: 'CareGuard Demo', namespace: 'https://careguard.invalid' },
        tracking: {
          id,
          status: 'final',
          version: '1',
          revision_history: [{ number: '1', date: '2099-02-01T00:00:00.000Z', summary: 'Initial publication' }],
          initial_release_date: '2099-02-01T00:00:00.000Z',
          current_release_date: '2099-02-01T00:00:00.000Z',
        },
        notes: [{ category: 'summary', title: 'Summary', text: 'Illustrative advisory generated for the CareGuard demo.' }],
      },
      product_tree: {
        branches: [
          {
            category: 'vendor',
            name: model.manufacturer,
            branches: [
              {
                category: 'product_name',
                name: model.model,
                branches: model.firmware.map((fw) => ({ category: 'product_version', name: fw, product: { product_id: pid(fw), name: `${model.manufacturer} ${model.model} ${fw}` } })),
              },
            ],
          },
        ],
      },
      vulnerabilities: [
        {
          cve,
          title: `Demo: hard-coded service credentials in ${model.model}`,
          notes: [{ category: 'description', text: 'Illustrative vulnerability for the CareGuard demo.' }],
          product_status: { known_affected: affected.map(pid), fixed: [pid(fixed)] },
          remediations: [{ category: 'vendor_fix', details: `Update to firmware ${fixed}.`, product_ids: affected.map(pid) }],
          scores: [{ products: affected.map(pid), cvss_v3: { version: '3.1', vectorString: vector, baseScore: score, baseSeverity: score >= 7 ? 'HIGH' : 'MEDIUM' } }],
        },
      ],
    };
    return { name: `${id.toLowerCase()}.json`, text: JSON.stringify(doc) };
  });
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

/** A deterministic RFC 4122-shaped id from a string (demo serial numbers). */
function uuidOf(s: string): string {
  let h = 0x811c9dc5;
  const bytes: number[] = [];
  for (let round = 0; round < 16; round++) {
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ round, 0x01000193) >>> 0;
    bytes.push(h & 0xff);
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
