/**
 * @module Test builders for the matcher: advisories are produced by the real source parsers from
 * small OSV / NVD / CSAF documents (so tests see exactly what feeds produce), components and
 * products are built the way SBOM import and inventory build them.
 */
import type { Component, ComponentFlag } from '../../sbom/index.js';
import type { Advisory } from '../model.js';
import { csafSource, nvdSource, osvSource } from '../sources/index.js';
import type { MatchTarget } from './model.js';
import { productTarget, targetOfComponent } from './target.js';

let seq = 0;

/** One OSV record; `affected` as OSV writes it. */
export function osv(affected: unknown[], extra: Record<string, unknown> = {}): Advisory {
  seq += 1;
  const record = { id: `GHSA-test-${seq}`, modified: '2024-01-01T00:00:00Z', aliases: [`CVE-2024-${1000 + seq}`], affected, ...extra };
  const [a] = osvSource.parse(JSON.stringify(record), `test-${seq}.json`);
  if (!a) throw new Error('no advisory');
  return a;
}

export const semverRange = (introduced: string, fixed?: string, type = 'ECOSYSTEM') => ({
  type,
  events: [{ introduced }, ...(fixed ? [{ fixed }] : [])],
});

export interface CpeMatchSpec {
  criteria: string;
  vulnerable?: boolean;
  versionStartIncluding?: string;
  versionStartExcluding?: string;
  versionEndIncluding?: string;
  versionEndExcluding?: string;
}

/** One NVD API 2.0 CVE; each configuration is a list of nodes (OR of cpeMatch), AND when several. */
export function nvd(id: string, configurations: CpeMatchSpec[][][]): Advisory {
  const cve = {
    id,
    published: '2024-01-01T00:00:00.000',
    lastModified: '2024-01-02T00:00:00.000',
    vulnStatus: 'Analyzed',
    descriptions: [{ lang: 'en', value: 'test' }],
    references: [],
    configurations: configurations.map((nodes) => ({
      ...(nodes.length > 1 ? { operator: 'AND' } : {}),
      nodes: nodes.map((m) => ({ operator: 'OR', negate: false, cpeMatch: m.map((x) => ({ vulnerable: x.vulnerable ?? true, matchCriteriaId: 'X', ...x })) })),
    })),
  };
  const doc = { resultsPerPage: 1, startIndex: 0, totalResults: 1, format: 'NVD_CVE', version: '2.0', timestamp: '2024-01-02T00:00:00.000', vulnerabilities: [{ cve }] };
  const [a] = nvdSource.parse(JSON.stringify(doc), `${id}.json`);
  if (!a) throw new Error('no advisory');
  return a;
}

/** A CSAF 2.0 document with one vulnerability; `branches` / `productStatus` as CSAF writes them. */
export function csaf(productTree: Record<string, unknown>, productStatus: Record<string, string[]>, cve = 'CVE-2024-9999'): Advisory {
  const doc = {
    document: {
      category: 'csaf_security_advisory',
      csaf_version: '2.0',
      title: 'Test advisory',
      publisher: { category: 'vendor', name: 'Test', namespace: 'https://example.test' },
      tracking: { id: 'TEST-001', status: 'final', version: '1', initial_release_date: '2024-01-01T00:00:00Z', current_release_date: '2024-01-01T00:00:00Z', revision_history: [] },
    },
    product_tree: productTree,
    vulnerabilities: [{ cve, product_status: productStatus }],
  };
  const [a] = csafSource.parse(JSON.stringify(doc), 'test-csaf.json');
  if (!a) throw new Error('no advisory');
  return a;
}

/** vendor → product_name → one version branch per [versionText, productId, helper?]. */
export function csafTree(vendor: string, product: string, versions: Array<[string, string, Record<string, unknown>?]>): Record<string, unknown> {
  return {
    branches: [
      {
        category: 'vendor',
        name: vendor,
        branches: [
          {
            category: 'product_name',
            name: product,
            branches: versions.map(([v, id, helper]) => ({
              category: /^(vers:|[<>=]|.*\|)/.test(v) ? 'product_version_range' : 'product_version',
              name: v,
              product: { product_id: id, name: `${vendor} ${product} ${v}`, ...(helper ? { product_identification_helper: helper } : {}) },
            })),
          },
        ],
      },
    ],
  };
}

export interface ComponentSpec {
  name: string;
  version?: string;
  purl?: string;
  cpes?: string[];
  supplier?: string;
  hashes?: Array<{ alg: string; value: string }>;
  flags?: ComponentFlag[];
  ref?: string;
}

/** A component as SBOM import produces it (flags computed as finalizeComponent does unless given). */
export function component(spec: ComponentSpec): Component {
  const flags: ComponentFlag[] = spec.flags ?? [];
  if (!spec.flags) {
    if (spec.version === undefined) flags.push('empty-version');
    if (spec.purl && !/@[^/]+$/.test(spec.purl.split('?')[0] as string)) flags.push('purl-without-version');
    if (spec.purl?.startsWith('pkg:generic/')) flags.push('generic-purl');
  }
  const c: Component = { ref: spec.ref ?? `ref-${spec.name}`, name: spec.name, cpes: spec.cpes ?? [], type: 'library', hashes: spec.hashes ?? [], licenses: [], properties: [], flags };
  if (spec.version !== undefined) c.version = spec.version;
  if (spec.purl) {
    c.purl = spec.purl;
    c.ecosystem = spec.purl.slice(4, spec.purl.indexOf('/'));
  }
  if (spec.supplier) c.supplier = spec.supplier;
  return c;
}

export const target = (spec: ComponentSpec, productId = 'prod-1'): MatchTarget => targetOfComponent(productId, component(spec));

export const product = (manufacturer: string, name: string, version: string, extra: { cpe?: string; id?: string } = {}): MatchTarget =>
  productTarget({ id: extra.id ?? `${name}@${version}`, manufacturer, name, version, normalizedVendor: '', normalizedProduct: '', ...(extra.cpe ? { cpe: extra.cpe } : {}) });
