/**
 * @module Vulnerability matching at scale (issue 3): P product versions with C SBOM components each
 * (20 devices per product version) against A generated advisories — 90% OSV JSON records across
 * npm, PyPI, Maven, Go, NuGet, crates.io, Debian, Alpine and Red Hat; 5% NVD API 2.0 pages with CPE
 * configurations for firmware (OpenSSL, BusyBox, Linux, wolfSSL, FreeRTOS, Windows, some "running
 * on" ANDs); 5% CSAF 2.0 documents for medical device products with free-text version ranges.
 * Reference measured in the same run: parsing the advisory corpus with the real source parsers.
 * Reports index build, full match of every target, incremental match of one new advisory against
 * all targets through a target key index (median and max of 21), matches and peak RSS.
 */
import type { Component } from '../src/sbom/index.js';
import { csafSource, nvdSource, osvSource, type Advisory } from '../src/vulns/index.js';
import { AdvisoryIndex, matchAdvisory, matchTarget, productTarget, TargetIndex, targetOfComponent, withProductContext, type MatchTarget } from '../src/vulns/match/index.js';

/** Deterministic PRNG (mulberry32) so every run matches the same data. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Ecosystem {
  osv: string;
  weight: number;
  range: 'SEMVER' | 'ECOSYSTEM';
  name: (i: number) => string;
  purl: (name: string, version: string) => string;
  version: (i: number, pkg: number) => string;
}

const semverish = (i: number, pkg: number) => `${1 + Math.floor(i / 10)}.${i % 10}.${(pkg + i) % 3}`;
const ECOSYSTEMS: Ecosystem[] = [
  { osv: 'npm', weight: 35, range: 'SEMVER', name: (i) => (i % 7 === 0 ? `@scope${i % 97}/pkg-${i}` : `pkg-${i}`), purl: (n, v) => `pkg:npm/${n.replace('@', '%40')}@${v}`, version: semverish },
  { osv: 'PyPI', weight: 18, range: 'ECOSYSTEM', name: (i) => `py-lib-${i}`, purl: (n, v) => `pkg:pypi/${n}@${v}`, version: semverish },
  { osv: 'Maven', weight: 15, range: 'ECOSYSTEM', name: (i) => `org.example${i % 50}:artifact-${i}`, purl: (n, v) => `pkg:maven/${n.replace(':', '/')}@${v}?type=jar`, version: semverish },
  { osv: 'Go', weight: 6, range: 'SEMVER', name: (i) => `github.com/org${i % 200}/mod-${i}`, purl: (n, v) => `pkg:golang/${n}@v${v}`, version: semverish },
  { osv: 'NuGet', weight: 5, range: 'ECOSYSTEM', name: (i) => `Example.Lib${i}`, purl: (n, v) => `pkg:nuget/${n}@${v}`, version: semverish },
  { osv: 'crates.io', weight: 3, range: 'SEMVER', name: (i) => `crate-${i}`, purl: (n, v) => `pkg:cargo/${n}@${v}`, version: semverish },
  { osv: 'Debian:12', weight: 10, range: 'ECOSYSTEM', name: (i) => `libdeb${i}`, purl: (n, v) => `pkg:deb/debian/${n}@${encodeURIComponent(v)}?arch=amd64&distro=debian-12`, version: (i, p) => `${semverish(i, p)}-${1 + (i % 3)}+deb12u${i % 4}` },
  { osv: 'Alpine:v3.19', weight: 5, range: 'ECOSYSTEM', name: (i) => `apk${i}`, purl: (n, v) => `pkg:apk/alpine/${n}@${v}?distro=alpine-3.19.1`, version: (i, p) => `${semverish(i, p)}-r${i % 3}` },
  { osv: 'Red Hat:rhel_e4s:9.0::appstream', weight: 3, range: 'ECOSYSTEM', name: (i) => `rpm${i}`, purl: (n, v) => `pkg:rpm/redhat/${n}@${v}`, version: (i, p) => `${semverish(i, p)}-${1 + (i % 3)}.el9` },
];
const VERSIONS = 30;
export const PACKAGES = 30_000;
const ECO_OF: Ecosystem[] = [];
for (const e of ECOSYSTEMS) for (let k = 0; k < e.weight; k++) ECO_OF.push(e);
const ecoOf = (pkg: number) => ECO_OF[pkg % ECO_OF.length] as Ecosystem;

/** Popular packages (low index) appear in more SBOMs and have more advisories. */
export const skewed = (r: () => number, n: number, power: number) => Math.floor(n * r() ** power);

const FIRMWARE = [
  { name: 'OpenSSL', cpe: 'openssl:openssl', part: 'a', v: (i: number) => `1.1.1${String.fromCharCode(97 + (i % 22))}` },
  { name: 'BusyBox', cpe: 'busybox:busybox', part: 'a', v: (i: number) => `1.${20 + (i % 16)}.${i % 3}` },
  { name: 'Linux kernel', cpe: 'linux:linux_kernel', part: 'o', v: (i: number) => `5.${4 + (i % 12)}.${(i * 13) % 200}` },
  { name: 'wolfSSL', cpe: 'wolfssl:wolfssl', part: 'a', v: (i: number) => `${4 + (i % 2)}.${i % 9}.${i % 3}` },
  { name: 'FreeRTOS', cpe: 'amazon:freertos', part: 'o', v: (i: number) => `10.${i % 6}.${i % 4}` },
  { name: 'Windows 10 1809', cpe: 'microsoft:windows_10_1809', part: 'o', v: (i: number) => `10.0.17763.${1000 + i * 150}` },
];
export const VENDORS = ['Becton, Dickinson and Company (BD)', 'Philips', 'GE Healthcare', 'Baxter', 'Medtronic', 'B. Braun', 'Hillrom', 'Draeger', 'Siemens Healthineers', 'Spacelabs', 'Natus', 'Smiths Medical', 'Fresenius Kabi', 'Mindray', 'Nihon Kohden', 'Masimo', 'Stryker', 'Zoll', 'Hamilton Medical', 'Getinge'];
const LINES = ['Infusion Pump', 'Patient Monitor', 'Ventilator', 'Gateway Workstation', 'Telemetry Server', 'Anesthesia Station'];
export const lineName = (l: number) => `${LINES[l % LINES.length]} ${100 + l}`;

export function osvText(r: () => number, n: number, pkg: number): string {
  const e = ecoOf(pkg);
  // fixed somewhere in the release history; affected from a few releases earlier (or from the start)
  const hi = 1 + Math.floor(r() * (VERSIONS - 1));
  const lo = Math.max(0, hi - 1 - Math.floor(r() * 5));
  const events: Array<Record<string, string>> = [{ introduced: r() < 0.3 ? '0' : e.version(lo, pkg) }, r() < 0.1 ? { last_affected: e.version(hi, pkg) } : { fixed: e.version(hi, pkg) }];
  return JSON.stringify({
    schema_version: '1.6.0',
    id: `GHSA-${n.toString(36).padStart(4, '0')}-bench-${pkg}`,
    modified: '2024-05-01T12:00:00Z',
    published: '2024-04-01T12:00:00Z',
    aliases: [`CVE-2024-${10000 + n}`],
    summary: `Improper input validation in ${e.name(pkg)}`,
    details: `A crafted request can make ${e.name(pkg)} read past the end of a buffer, leading to a crash or disclosure of memory. Upgrade to a fixed release.`,
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:H' }],
    affected: [{ package: { ecosystem: e.osv, name: e.name(pkg) }, ranges: [{ type: e.range, events }], database_specific: { source: 'bench' } }],
    references: [{ type: 'ADVISORY', url: `https://example.test/advisories/${n}` }, { type: 'WEB', url: `https://example.test/fix/${n}` }],
    database_specific: { cwe_ids: ['CWE-20'], severity: 'HIGH' },
  });
}

export function nvdPage(r: () => number, first: number, count: number): string {
  const vulnerabilities = Array.from({ length: count }, (_, k) => {
    const fw = FIRMWARE[Math.floor(r() * FIRMWARE.length)]!;
    // a tenth names the firmware components products ship; the rest other vendors' products
    const named = r() < 0.1;
    const [vendor, product] = named ? fw.cpe.split(':') : [`vendor${Math.floor(r() * 3000)}`, `product${Math.floor(r() * 5)}`];
    const i = Math.floor(r() * 20);
    const match = { vulnerable: true, criteria: `cpe:2.3:${fw.part}:${vendor}:${product}:*:*:*:*:*:*:*:*`, matchCriteriaId: 'X', versionStartIncluding: fw.v(i), versionEndExcluding: fw.v(i + 1 + Math.floor(r() * 3)) };
    const nodes = [{ operator: 'OR', negate: false, cpeMatch: [match] }];
    if (r() < 0.1) nodes.push({ operator: 'OR', negate: false, cpeMatch: [{ vulnerable: false, criteria: 'cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*', matchCriteriaId: 'Y' } as typeof match] });
    return {
      cve: {
        id: `CVE-2023-${100000 + first + k}`,
        published: '2023-06-01T10:00:00.000',
        lastModified: '2024-01-01T10:00:00.000',
        vulnStatus: 'Analyzed',
        descriptions: [{ lang: 'en', value: `Memory corruption in ${product}.` }],
        metrics: { cvssMetricV31: [{ source: 'nvd@nist.gov', type: 'Primary', cvssData: { version: '3.1', vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: 9.8 } }] },
        weaknesses: [{ description: [{ lang: 'en', value: 'CWE-787' }] }],
        configurations: [{ ...(nodes.length > 1 ? { operator: 'AND' } : {}), nodes }],
        references: [{ url: `https://example.test/nvd/${first + k}` }],
      },
    };
  });
  return JSON.stringify({ resultsPerPage: count, startIndex: first, totalResults: count, format: 'NVD_CVE', version: '2.0', timestamp: '2024-01-02T00:00:00.000', vulnerabilities });
}

export function csafText(r: () => number, n: number, lines: number): string {
  const line = Math.floor(r() * lines);
  const forms = ['vers:all/*', `<= ${1 + Math.floor(r() * 4)}.${Math.floor(r() * 10)}`, `${1 + Math.floor(r() * 4)}.${Math.floor(r() * 10)} | ${2 + Math.floor(r() * 3)}.0`, `${1 + Math.floor(r() * 4)}.X`, 'prior to November 2019'];
  const versionText = forms[Math.floor(r() * forms.length)] as string;
  return JSON.stringify({
    document: {
      category: 'csaf_security_advisory', csaf_version: '2.0', title: `${lineName(line)} vulnerability`,
      publisher: { category: 'coordinator', name: 'CISA', namespace: 'https://www.cisa.gov/' },
      tracking: { id: `ICSMA-BENCH-${n}`, status: 'final', version: '1', initial_release_date: '2024-01-01T00:00:00Z', current_release_date: '2024-01-02T00:00:00Z', revision_history: [] },
    },
    product_tree: { branches: [{ category: 'vendor', name: VENDORS[line % VENDORS.length], branches: [{ category: 'product_name', name: lineName(line), branches: [{ category: /^[<v]/.test(versionText) ? 'product_version_range' : 'product_version', name: versionText, product: { product_id: 'CSAFPID-0001', name: `${lineName(line)} ${versionText}` } }] }] }] },
    vulnerabilities: [{ cve: `CVE-2022-${50000 + n}`, product_status: { known_affected: ['CSAFPID-0001'] }, scores: [{ cvss_v3: { version: '3.1', vectorString: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: 8.8, baseSeverity: 'HIGH' }, products: ['CSAFPID-0001'] }] }],
  });
}

export function components(line: number, version: number, count: number): Component[] {
  const base = rng(1000 + line);
  const bump = rng(5000 + line * 31 + version);
  const out: Component[] = [];
  const firmwareCount = Math.min(count, FIRMWARE.length);
  for (let k = 0; k < count; k++) {
    const ref = `c${k}`;
    const shift = bump() < 0.1 ? version : 0;
    if (k < firmwareCount) {
      const fw = FIRMWARE[k]!;
      const v = fw.v(Math.floor(base() * 20) + shift);
      const withCpe = k % 2 === 0;
      out.push({ ref, name: fw.name, version: v, cpes: withCpe ? [`cpe:2.3:${fw.part}:${fw.cpe}:${v}:*:*:*:*:*:*:*`] : [], type: 'firmware', hashes: [], licenses: [], properties: [], flags: [] });
      continue;
    }
    const pkg = skewed(base, PACKAGES, 2);
    const e = ecoOf(pkg);
    // products mostly ship recent releases of their dependencies
    const v = e.version(Math.min(VERSIONS - 1, VERSIONS - 1 - skewed(base, VERSIONS, 2) + shift), pkg);
    const purl = e.purl(e.name(pkg), v);
    const weak = k % 97 === 0;
    out.push({ ref, name: e.name(pkg), version: v, ...(weak ? { purl: `pkg:generic/${pkg}` } : { purl }), cpes: [], type: 'library', hashes: [], licenses: [], properties: [], flags: weak ? ['purl-without-version', 'generic-purl'] : [], ecosystem: weak ? 'generic' : purl.slice(4, purl.indexOf('/')) });
  }
  return out;
}

/** CPU milliseconds (user + system) since `from`: robust to other processes sharing the machine. */
const cpuMs = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
};

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const round = (n: number) => Math.round(n * 10) / 10;

export async function benchVulnsMatch(opts: { products: number; componentsPerProduct: number; advisories: number }): Promise<Record<string, number | string>> {
  const r = rng(42);
  const lines = Math.max(1, Math.ceil(opts.products / 5));
  // 1. Advisory corpus as text, parsed in batches so the text never all sits in memory.
  const advisories: Advisory[] = [];
  let parseMs = 0;
  let parseCpu = 0;
  let textBytes = 0;
  const nvdCount = Math.floor(opts.advisories * 0.05);
  const csafCount = Math.floor(opts.advisories * 0.05);
  const osvCount = opts.advisories - nvdCount - csafCount;
  const parseBatch = (texts: string[], parse: (t: string, i: number) => Advisory[]) => {
    for (const t of texts) textBytes += t.length;
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    texts.forEach((t, i) => advisories.push(...parse(t, i)));
    parseCpu += cpuMs(c0);
    parseMs += performance.now() - t0;
  };
  for (let done = 0; done < osvCount; done += 5000) {
    const texts = Array.from({ length: Math.min(5000, osvCount - done) }, (_, k) => osvText(r, done + k, skewed(r, PACKAGES, 1.3)));
    parseBatch(texts, (t, i) => osvSource.parse(t, `osv-${done + i}.json`));
  }
  for (let done = 0; done < nvdCount; done += 100) parseBatch([nvdPage(r, done, Math.min(100, nvdCount - done))], (t) => nvdSource.parse(t, `nvd-${done}.json`));
  for (let n = 0; n < csafCount; n += 1000) {
    const texts = Array.from({ length: Math.min(1000, csafCount - n) }, (_, k) => csafText(r, n + k, lines));
    parseBatch(texts, (t, i) => csafSource.parse(t, `csaf-${n + i}.json`));
  }

  // 2. Product versions and their components (targets).
  const targets: MatchTarget[] = [];
  for (let p = 0; p < opts.products; p++) {
    const line = Math.floor(p / 5);
    const productId = `product-${p}`;
    const self = productTarget({ id: productId, manufacturer: VENDORS[line % VENDORS.length] as string, name: lineName(line), version: `${1 + (p % 5)}.${p % 10}`, normalizedVendor: '', normalizedProduct: '' });
    targets.push(...withProductContext([self, ...components(line, p % 5, opts.componentsPerProduct).map((c) => targetOfComponent(productId, c))]));
  }

  // 3. Index build and full match.
  let t0 = performance.now();
  let c0 = process.cpuUsage();
  const index = new AdvisoryIndex();
  for (const a of advisories) index.add(a);
  const indexMs = performance.now() - t0;
  const indexCpu = cpuMs(c0);
  t0 = performance.now();
  c0 = process.cpuUsage();
  let matches = 0;
  let affected = 0;
  let review = 0;
  const exposedProducts = new Set<string>();
  for (const t of targets) {
    for (const m of matchTarget(index, t)) {
      matches++;
      if (m.status === 'affected') {
        affected++;
        exposedProducts.add(m.productId);
      }
      if (m.needsReview) review++;
    }
  }
  const fullMs = performance.now() - t0;
  const fullCpu = cpuMs(c0);

  // 4. Incremental: one new advisory against every target through the target key index.
  t0 = performance.now();
  const targetIndex = new TargetIndex();
  for (const t of targets) targetIndex.add(t);
  const targetIndexMs = performance.now() - t0;
  const incremental: number[] = [];
  let incrementalMatches = 0;
  // one unrecorded run first: steady-state latency is what a feed update sees in a long-running worker
  for (let k = -1; k < 21; k++) {
    const text = k === 20 ? nvdPage(rng(7), 900_000, 1) : osvText(r, 900_000 + k, Math.max(0, k) * 3 + 1);
    const [a] = k === 20 ? nvdSource.parse(text, 'new.json') : osvSource.parse(text, 'new.json');
    const s = performance.now();
    const found = matchAdvisory(a as Advisory, targetIndex.candidates(a as Advisory)).length;
    if (k < 0) continue;
    incremental.push(performance.now() - s);
    incrementalMatches += found;
  }
  const devicesPerProduct = 20;
  return {
    'product versions': opts.products,
    devices: opts.products * devicesPerProduct,
    'match targets (components + products)': targets.length,
    advisories: advisories.length,
    'advisory corpus (MB of JSON)': round(textBytes / 1e6),
    'parse advisories, reference (ms)': Math.round(parseMs),
    'parse advisories, reference (CPU ms)': Math.round(parseCpu),
    'index build (ms)': Math.round(indexMs),
    'index build (CPU ms)': Math.round(indexCpu),
    'full match of all targets (ms)': Math.round(fullMs),
    'full match of all targets (CPU ms)': Math.round(fullCpu),
    'full match incl. index build / parse (CPU)': Math.round(((indexCpu + fullCpu) / parseCpu) * 100) / 100,
    'full match incl. index build / parse (wall)': Math.round(((indexMs + fullMs) / parseMs) * 100) / 100,
    'target key index build (ms)': Math.round(targetIndexMs),
    'incremental match, one advisory, median (ms)': round(median(incremental)),
    'incremental match, one advisory, max (ms)': round(Math.max(...incremental)),
    'incremental matches (21 advisories)': incrementalMatches,
    matches,
    'affected matches': affected,
    'matches needing review': review,
    'devices on an affected product version': exposedProducts.size * devicesPerProduct,
    'peak RSS (MB)': Math.round(process.resourceUsage().maxRSS / 1024),
  };
}
