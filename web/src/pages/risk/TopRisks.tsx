/**
 * @module The portfolio's top risks: the highest-scoring open findings (each at its worst device), with
 * the signals behind the score (KEV, EPSS, criticality), how many devices carry it, and the recommended
 * action — patch, follow vendor guidance, add a compensating control, or accept — with its basis.
 */
import type { TopRisk } from '../../api/vulns.js';
import { CriticalityBadge } from '../../components/Badges.js';
import { formatCount } from '../../lib/format.js';
import { Link } from '../../router/index.js';
import { findingHref } from '../vulns/FindingTable.js';
import { RecommendationBasisList } from '../vulns/FindingFacts.js';
import { formatProbability } from '../vulns/risk.js';
import { ProductName, useProducts } from '../vulns/useProducts.js';
import { ActionBadge, KevBadge, RiskScoreBadge } from '../vulns/VulnBadges.js';

export function TopRisks({ top }: { top: TopRisk[] }) {
  const products = useProducts(top.map((t) => t.productId));
  return (
    <section className="card card--flush" aria-labelledby="top-risks-title" data-testid="top-risks">
      <div className="card__header">
        <h2 className="card__title" id="top-risks-title">
          Top risks
        </h2>
        <Link to="/findings" className="card__link">
          All findings by risk
        </Link>
      </div>
      {top.length === 0 ? (
        <p className="card__body muted">No open finding carries any risk.</p>
      ) : (
        <div className="tablewrap" role="region" aria-label="Top risks" tabIndex={0}>
          <table className="table table--toprisks">
            <thead>
              <tr>
                <th scope="col">Risk</th>
                <th scope="col">Vulnerability</th>
                <th scope="col">Signals</th>
                <th scope="col" className="num">
                  Devices
                </th>
                <th scope="col">Recommended action</th>
              </tr>
            </thead>
            <tbody>
              {top.map((t) => (
                <tr key={t.findingId} data-finding-id={t.findingId} data-action={t.recommendation.action}>
                  <td>
                    <RiskScoreBadge score={t.score} band={t.band} />
                  </td>
                  <th scope="row" className="cell-vuln">
                    <Link to={findingHref(t.findingId)}>{t.vulnerabilityId ?? t.findingId}</Link>
                    {t.productId ? (
                      <span className="cell-sub">
                        <Link to={`/products/${encodeURIComponent(t.productId)}`} className="link-quiet">
                          <ProductName id={t.productId} products={products} />
                        </Link>
                      </span>
                    ) : null}
                  </th>
                  <td className="cell-signals">
                    {t.kev ? <KevBadge ransomware={t.knownRansomware} /> : null}
                    {t.epssPercentile !== undefined ? <span className="chip" title="EPSS percentile: the share of scored vulnerabilities less likely to be exploited">EPSS percentile {formatProbability(t.epssPercentile).replace('%', '')}</span> : null}
                    {t.criticality ? <CriticalityBadge value={t.criticality} /> : null}
                    {!t.kev && t.epssPercentile === undefined && !t.criticality ? <span className="muted">—</span> : null}
                  </td>
                  <td className="num">{formatCount(t.deviceIds.length)}</td>
                  <td className="cell-action">
                    <ActionBadge action={t.recommendation.action} />
                    <span className="cell-sub">{t.recommendation.reason}</span>
                    {t.recommendation.basis.length > 0 ? (
                      <details className="basis__details">
                        <summary>Basis ({t.recommendation.basis.length})</summary>
                        <RecommendationBasisList basis={t.recommendation.basis} />
                      </details>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
