/**
 * @module The device page's "Vulnerabilities" section: the open findings of the product version the
 * device runs. The product is found by searching products for the device's model and matching
 * manufacturer, model and firmware (else software) version; when none matches, the section says so
 * and why, listing any tracked versions of the same model.
 */
import type { Device } from '../../api/types.js';
import { vulnsApi } from '../../api/vulns.js';
import type { Product } from '../../api/vulns.js';
import { ErrorMessage, Loading } from '../../components/Feedback.js';
import { useApi } from '../../hooks/useApi.js';
import { Link, buildHref } from '../../router/index.js';
import { useSession } from '../../session/session.js';
import { FindingTable } from '../vulns/FindingTable.js';
import { productLabel } from '../vulns/useProducts.js';
import { deviceProductVersion, matchDeviceProduct } from './productMatch.js';

const PRODUCT_SEARCH_LIMIT = 100;
const FINDINGS_SHOWN = 20;

function ProductFindings({ product, deviceId }: { product: Product; deviceId: string }) {
  const findings = useApi(product.id, (signal) => vulnsApi.listFindings({ productId: product.id, status: 'open', sort: 'risk', limit: FINDINGS_SHOWN }, signal));
  const page = findings.data;
  return (
    <>
      <p className="card__body devvulns__product" data-testid="device-product" data-product-id={product.id}>
        Runs <Link to={`/products/${encodeURIComponent(product.id)}`}>{productLabel(product)}</Link>
        {page ? (
          <>
            {' '}
            · <span data-testid="device-open-findings">{page.total}</span> open {page.total === 1 ? 'finding' : 'findings'}
            {page.total > page.items.length ? (
              <>
                {' '}
                · <Link to={buildHref('/findings', { productId: product.id })}>view all</Link>
              </>
            ) : null}
          </>
        ) : null}
        <span className="cell-sub">Scores are the product’s highest over every device running it; open a finding to see this device’s own breakdown.</span>
      </p>
      {findings.error ? <ErrorMessage error={findings.error} onRetry={findings.reload} /> : null}
      {!page && findings.loading ? <Loading label="Loading findings…" /> : null}
      {page && page.items.length === 0 ? <p className="card__body muted">No open findings for this product version.</p> : null}
      {page && page.items.length > 0 ? (
        <FindingTable findings={page.items} showProduct={false} busy={findings.loading} label="Device vulnerabilities" caption={`Open findings of the product device ${deviceId} runs`} />
      ) : null}
    </>
  );
}

export function DeviceVulnerabilities({ device }: { device: Device }) {
  const { can } = useSession();
  const allowed = can('vulns:read');
  const model = device.model?.trim();
  const search = useApi(allowed && model && device.manufacturer ? `${device.manufacturer}|${model}` : null, (signal) =>
    vulnsApi.listProducts({ q: model, limit: PRODUCT_SEARCH_LIMIT }, signal),
  );
  if (!allowed) return null;
  const match = search.data ? matchDeviceProduct(device, search.data.items) : undefined;
  const version = deviceProductVersion(device);

  return (
    <section className="card card--flush" aria-labelledby="vulns-title" data-testid="device-vulns" aria-busy={search.loading}>
      <div className="card__header">
        <h2 className="card__title" id="vulns-title">
          Vulnerabilities
        </h2>
      </div>
      {!model || !device.manufacturer ? (
        <p className="card__body muted" data-testid="no-product-match">
          No product match: the device has no manufacturer and model, so CareGuard cannot tell which product’s vulnerabilities apply.
        </p>
      ) : null}
      {search.error ? <ErrorMessage error={search.error} onRetry={search.reload} /> : null}
      {search.loading && !search.data ? <Loading label="Finding the device’s product…" /> : null}
      {match?.product ? <ProductFindings product={match.product} deviceId={device.id} /> : null}
      {match && !match.product ? (
        <div className="card__body" data-testid="no-product-match">
          <p>
            No product match: no tracked product is {device.manufacturer} {model}
            {version ? ` version ${version}` : ' without a version'}. Products come from the inventory and imported SBOMs; vulnerabilities are matched against them.
          </p>
          {match.otherVersions.length > 0 ? (
            <p className="muted">
              Other tracked versions:{' '}
              {match.otherVersions.map((p, i) => (
                <span key={p.id}>
                  {i > 0 ? ', ' : ''}
                  <Link to={`/products/${encodeURIComponent(p.id)}`}>{p.version || 'unversioned'}</Link>
                </span>
              ))}
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
