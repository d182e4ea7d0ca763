/**
 * @module A table of findings: risk score and band, vulnerability (linking to the finding), component
 * and version, product, triage state, review flag and first seen. Used by the findings list, a
 * product's page and a device's vulnerabilities section.
 */
import type { Finding } from '../../api/vulns.js';
import { formatDateTime, formatRelative, humanize } from '../../lib/format.js';
import { Link } from '../../router/index.js';
import { useProducts, ProductName } from './useProducts.js';
import { scoreIsPreTriage, sourceLabel } from './risk.js';
import { ReviewFlag, RiskScoreBadge, TriageBadge } from './VulnBadges.js';

interface FindingTableProps {
  findings: Finding[];
  /** the product column is redundant on a product's or device's own page */
  showProduct?: boolean;
  busy?: boolean;
  caption: string;
  label: string;
}

export const findingHref = (id: string): string => `/findings/${encodeURIComponent(id)}`;

export function FindingTable({ findings, showProduct = true, busy = false, caption, label }: FindingTableProps) {
  const products = useProducts(showProduct ? findings.map((f) => f.productId) : []);
  return (
    <div className="tablewrap" role="region" aria-label={label} tabIndex={0}>
      <table className="table table--findings" aria-busy={busy} data-testid="finding-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Risk</th>
            <th scope="col">Vulnerability</th>
            <th scope="col">Component</th>
            {showProduct ? <th scope="col">Product</th> : null}
            <th scope="col">Triage</th>
            <th scope="col">Review</th>
            <th scope="col" className="col-seen">
              First seen
            </th>
          </tr>
        </thead>
        <tbody>
          {findings.map((f) => (
            <tr key={f.id} data-finding-id={f.id} data-triage={f.triage?.state ?? 'untriaged'} data-needs-review={f.needsReview} data-status={f.status}>
              <td>
                <RiskScoreBadge score={f.riskScore} />
                {scoreIsPreTriage(f.triage?.state) ? (
                  <span className="riskscore__note" title="Stored at the last reconciliation; the finding page shows the current score">
                    before triage
                  </span>
                ) : null}
              </td>
              <th scope="row" className="cell-vuln">
                <Link to={findingHref(f.id)}>{f.vulnerabilityId}</Link>
                <span className="cell-sub">
                  {sourceLabel(f.advisorySource)} · {f.rule} match
                  {f.status === 'closed' ? ` · closed${f.closeReason ? ` (${humanize(f.closeReason).toLowerCase()})` : ''}` : ''}
                </span>
              </th>
              <td className="cell-component">
                <span className="cell-component__name">{f.componentName}</span>
                {f.componentVersion ? <span className="mono cell-component__version">{f.componentVersion}</span> : <span className="muted"> (no version)</span>}
              </td>
              {showProduct ? (
                <td className="cell-product">
                  <Link to={`/products/${encodeURIComponent(f.productId)}`}>
                    <ProductName id={f.productId} products={products} />
                  </Link>
                </td>
              ) : null}
              <td>
                <TriageBadge state={f.triage?.state} />
                {f.triage?.justification ? <span className="cell-sub">{humanize(f.triage.justification)}</span> : null}
              </td>
              <td>{f.needsReview ? <ReviewFlag /> : <span className="muted">Confirmed</span>}</td>
              <td className="col-seen">
                <time dateTime={f.firstSeen} title={formatDateTime(f.firstSeen)}>
                  {formatRelative(f.firstSeen)}
                </time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
