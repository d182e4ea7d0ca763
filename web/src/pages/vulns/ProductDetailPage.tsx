/**
 * @module One product version: what identifies it, its SBOMs (format, component count, who imported it
 * when) with the selected SBOM's components and quality flags, its open findings, and VEX export of its
 * findings and triage as CycloneDX, CSAF or OpenVEX documents.
 */
import { useEffect } from 'react';
import { VEX_FORMATS, vexExportHref, vulnsApi } from '../../api/vulns.js';
import type { Product, Sbom, VexFormat } from '../../api/vulns.js';
import { DetailPending, ErrorMessage, Loading } from '../../components/Feedback.js';
import { useApi } from '../../hooks/useApi.js';
import { formatCount, formatDateTime, formatRelative, humanize } from '../../lib/format.js';
import { Link, buildHref, navigate, useLocation } from '../../router/index.js';
import { FindingTable } from './FindingTable.js';
import { lastProductsHref } from './listMemory.js';
import { SbomComponents } from './SbomComponents.js';

const VEX_LABELS: Record<VexFormat, string> = { cyclonedx: 'CycloneDX 1.6', csaf: 'CSAF 2.0', openvex: 'OpenVEX 0.2' };
const FINDINGS_SHOWN = 25;

const fileSlug = (p: Product) =>
  `${p.manufacturer}-${p.name}-${p.version}`
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'product';

function VexExport({ product }: { product: Product }) {
  return (
    <section className="card" aria-labelledby="vex-title" data-testid="vex-export">
      <h2 className="card__title" id="vex-title">
        VEX export
      </h2>
      <p className="card__hint vex__hint">The product’s findings and triage decisions as a VEX document for customers, regulators or other tools.</p>
      <ul className="vex__links">
        {VEX_FORMATS.map((format) => (
          <li key={format}>
            <a className="btn btn--secondary btn--sm" href={vexExportHref(product.id, format)} download={`${fileSlug(product)}.${format}.vex.json`} data-vex-format={format}>
              <span aria-hidden="true">↓ </span>
              {VEX_LABELS[format]}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

function SbomTable({ sboms, selected, onSelect }: { sboms: Sbom[]; selected: string | undefined; onSelect(id: string): void }) {
  return (
    <div className="tablewrap" role="region" aria-label="SBOMs" tabIndex={0}>
      <table className="table table--compact" data-testid="sbom-table">
        <thead>
          <tr>
            <th scope="col">SBOM</th>
            <th scope="col">Format</th>
            <th scope="col" className="num">
              Components
            </th>
            <th scope="col">Imported</th>
            <th scope="col">
              <span className="visually-hidden">Components</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sboms.map((s) => (
            <tr key={s.id} data-sbom-id={s.id} className={selected === s.id ? 'is-selected' : undefined}>
              <th scope="row">
                {s.name ?? s.id}
                <span className="cell-sub mono" title={`SHA-256 ${s.sha256}`}>
                  {s.serialNumber ?? s.id} · sha256 {s.sha256.slice(0, 12)}…
                </span>
              </th>
              <td>
                {s.format === 'cyclonedx' ? 'CycloneDX' : 'SPDX'} {s.specVersion}
                <span className="cell-sub">{s.parser}</span>
              </td>
              <td className="num" data-col="components">
                {formatCount(s.componentCount)}
              </td>
              <td>
                <time dateTime={s.importedAt} title={formatDateTime(s.importedAt)}>
                  {formatRelative(s.importedAt)}
                </time>
                <span className="cell-sub">by {s.importedBy}</span>
              </td>
              <td className="cell-actions">
                <button type="button" className="btn btn--secondary btn--sm" aria-pressed={selected === s.id} onClick={() => onSelect(s.id)} aria-label={`Show the components of ${s.name ?? s.id}`}>
                  {selected === s.id ? 'Shown' : 'Components'}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ProductFindings({ productId }: { productId: string }) {
  const findings = useApi(productId, (signal) => vulnsApi.listFindings({ productId, status: 'open', sort: 'risk', limit: FINDINGS_SHOWN }, signal));
  const page = findings.data;
  return (
    <section className="card card--flush" aria-labelledby="product-findings-title">
      <div className="card__header">
        <h2 className="card__title" id="product-findings-title">
          Open findings{page ? <span className="count-pill">{page.total}</span> : null}
        </h2>
        {page && page.total > 0 ? (
          <Link to={buildHref('/findings', { productId })} className="card__link">
            {page.total > page.items.length ? `View all ${page.total} in Findings` : 'Filter in Findings'}
          </Link>
        ) : null}
      </div>
      {findings.error ? <ErrorMessage error={findings.error} onRetry={findings.reload} /> : null}
      {!page && findings.loading ? <Loading label="Loading findings…" /> : null}
      {page && page.items.length === 0 ? <p className="card__body muted">No open findings for this product version.</p> : null}
      {page && page.items.length > 0 ? <FindingTable findings={page.items} showProduct={false} busy={findings.loading} label="Open findings of this product" caption="Open findings of this product, highest risk first" /> : null}
    </section>
  );
}

export function ProductDetailPage({ id }: { id: string }) {
  const location = useLocation();
  const detail = useApi(id, (signal) => vulnsApi.getProduct(id, signal));
  const d = detail.data?.product.id === id ? detail.data : undefined;

  useEffect(() => {
    document.title = `${d ? `${d.product.name} ${d.product.version}` : 'Product'} · CareGuard`;
  }, [d]);

  const back = (
    <Link to={lastProductsHref()} className="backlink">
      <span aria-hidden="true">← </span>Products
    </Link>
  );
  if (detail.error || !d) return <DetailPending back={back} noun="Product" error={detail.error} onRetry={detail.reload} />;

  const p = d.product;
  const requested = location.query.get('sbom');
  const selected = d.sboms.find((s) => s.id === requested)?.id ?? d.sboms[0]?.id;
  const facts: [string, string | undefined][] = [
    ['Manufacturer', p.manufacturer],
    ['Product', p.name],
    ['Version', p.version || undefined],
    ['CPE', p.cpe],
    ['Package URL', p.purl],
    ['Matched as', `${p.normalizedVendor} / ${p.normalizedProduct}`],
    ['Source', humanize(p.origin)],
    ['MITRE rubric', p.rubric ? `${Object.keys(p.rubric).length} answers` : undefined],
  ];

  return (
    <main className="page" id="main" data-testid="product-detail" data-product-id={p.id}>
      {back}
      <div className="page__header">
        <div>
          <h1 className="page__title" data-field="name">
            {p.name} {p.version}
          </h1>
          <p className="page__subtitle">{p.manufacturer}</p>
        </div>
        <div className="page__badges">
          <span className="badge badge--outline" data-testid="product-open-findings">
            {formatCount(d.openFindings)} open {d.openFindings === 1 ? 'finding' : 'findings'}
          </span>
        </div>
      </div>
      <p className="idline">
        Product ID <code>{p.id}</code>
      </p>
      <div className="grid grid--2">
        <section className="card" aria-labelledby="product-facts-title">
          <h2 className="card__title" id="product-facts-title">
            Identification
          </h2>
          <dl className="deflist">
            {facts.map(([label, value]) => (
              <div className="deflist__row" key={label}>
                <dt>{label}</dt>
                <dd className={label === 'CPE' || label === 'Package URL' ? 'mono' : undefined}>{value ?? <span className="muted">—</span>}</dd>
              </div>
            ))}
          </dl>
        </section>
        <VexExport product={p} />
      </div>
      <section className="card card--flush" aria-labelledby="sboms-title">
        <div className="card__header">
          <h2 className="card__title" id="sboms-title">
            SBOMs<span className="count-pill">{d.sboms.length}</span>
          </h2>
        </div>
        {d.sboms.length === 0 ? (
          <p className="card__body muted">No SBOM has been imported for this product version; findings come from its own identity (manufacturer, model, firmware).</p>
        ) : (
          <SbomTable sboms={d.sboms} selected={selected} onSelect={(sbom) => navigate(buildHref(`/products/${encodeURIComponent(id)}`, { sbom }), { replace: true })} />
        )}
      </section>
      {selected ? <SbomComponents key={selected} sbomId={selected} /> : null}
      <ProductFindings productId={p.id} />
    </main>
  );
}
