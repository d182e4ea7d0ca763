/**
 * @module Risk rolled up per site, unit, product or device: the highest score in each group, how its
 * (finding x device) records spread over the bands, how many findings, devices and KEV-listed findings
 * it holds, and its top findings. The grouping is switchable and kept in the URL (?by=unit).
 */
import { RISK_BANDS, vulnsApi } from '../../api/vulns.js';
import type { RiskRollup, RollupBy } from '../../api/vulns.js';
import { ErrorMessage, Loading } from '../../components/Feedback.js';
import { useApi } from '../../hooks/useApi.js';
import { useDeviceNames } from '../../hooks/useDeviceNames.js';
import { formatCount } from '../../lib/format.js';
import { Link } from '../../router/index.js';
import { findingHref } from '../vulns/FindingTable.js';
import { bandLabel } from '../vulns/risk.js';
import { ProductName, useProducts } from '../vulns/useProducts.js';
import { RiskScoreBadge } from '../vulns/VulnBadges.js';
import { segmentPercents } from './charts.js';
import { useFindingIndex } from './useFindingIndex.js';

const DIMENSIONS: { by: RollupBy; label: string }[] = [
  { by: 'site', label: 'Site' },
  { by: 'unit', label: 'Unit' },
  { by: 'product', label: 'Product' },
  { by: 'device', label: 'Device' },
];
const ROLLUP_LIMIT = 100;
const UNASSIGNED = '(unassigned)';

function BandBar({ rollup }: { rollup: RiskRollup }) {
  const segments = segmentPercents(rollup.bands, RISK_BANDS);
  const text = RISK_BANDS.filter((b) => rollup.bands[b] > 0)
    .map((b) => `${rollup.bands[b]} ${bandLabel(b).toLowerCase()}`)
    .join(', ');
  return (
    <span className="bandbar" data-col="bands">
      <span className="bandbar__track" aria-hidden="true">
        {segments.map((s) => (
          <span key={s.key} className={`bandbar__seg bandbar__seg--${s.key}`} style={{ width: `${s.percent}%` }} />
        ))}
      </span>
      <span className="bandbar__text">{text || 'none'}</span>
    </span>
  );
}

function GroupName({ by, rollup, deviceNames, products }: { by: RollupBy; rollup: RiskRollup; deviceNames: ReadonlyMap<string, string>; products: Parameters<typeof ProductName>[0]['products'] }) {
  if (rollup.key === UNASSIGNED) {
    // records without a device (product not in the inventory) and devices without the attribute land here
    return <span className="muted">{by === 'device' ? 'No device in the inventory' : `No ${by} (or no device)`}</span>;
  }
  if (by === 'device') return <Link to={`/devices/${encodeURIComponent(rollup.key)}`}>{deviceNames.get(rollup.key) ?? rollup.key}</Link>;
  if (by === 'product') {
    return (
      <Link to={`/products/${encodeURIComponent(rollup.key)}`}>
        <ProductName id={rollup.key} products={products} />
      </Link>
    );
  }
  return <>{rollup.key}</>;
}

export function Rollups({ by, onBy }: { by: RollupBy; onBy(by: RollupBy): void }) {
  const rollups = useApi(by, (signal) => vulnsApi.rollups(by, ROLLUP_LIMIT, signal));
  const data = rollups.data?.by === by ? rollups.data : undefined;
  const items = data?.items ?? [];
  const findings = useFindingIndex(items.length > 0);
  const deviceNames = useDeviceNames(by === 'device' ? items.map((r) => r.key).filter((k) => k !== UNASSIGNED) : []);
  const products = useProducts(by === 'product' ? items.map((r) => r.key).filter((k) => k !== UNASSIGNED) : []);

  return (
    <section className="card card--flush" aria-labelledby="rollups-title" data-testid="rollups" data-by={by}>
      <div className="card__header">
        <h2 className="card__title" id="rollups-title">
          Risk by {by}
        </h2>
        <div className="segmented" role="group" aria-label="Group risk by">
          {DIMENSIONS.map((d) => (
            <button key={d.by} type="button" className="segmented__item" aria-pressed={by === d.by} onClick={() => onBy(d.by)}>
              {d.label}
            </button>
          ))}
        </div>
      </div>
      {rollups.loading && data ? <div className="progress" role="progressbar" aria-label="Loading rollups" /> : null}
      {rollups.error ? <ErrorMessage error={rollups.error} onRetry={rollups.reload} /> : null}
      {!data && rollups.loading ? <Loading label="Loading rollups…" /> : null}
      {data && items.length === 0 ? <p className="card__body muted">No open findings to roll up.</p> : null}
      {data && items.length > 0 ? (
        <div className="tablewrap" role="region" aria-label={`Risk by ${by}`} tabIndex={0}>
          <table className="table table--compact table--rollups" aria-busy={rollups.loading}>
            <caption className="visually-hidden">Risk by {by}, highest score first</caption>
            <thead>
              <tr>
                <th scope="col">{DIMENSIONS.find((d) => d.by === by)?.label}</th>
                <th scope="col">Highest</th>
                <th scope="col">Findings × devices by band</th>
                <th scope="col" className="num">
                  Findings
                </th>
                <th scope="col" className="num">
                  Devices
                </th>
                <th scope="col" className="num">
                  KEV
                </th>
                <th scope="col">Top findings</th>
              </tr>
            </thead>
            <tbody>
              {items.map((r) => (
                <tr key={r.key} data-rollup-key={r.key}>
                  <th scope="row" className="cell-group">
                    <GroupName by={by} rollup={r} deviceNames={deviceNames} products={products} />
                  </th>
                  <td>
                    <RiskScoreBadge score={r.maxScore} band={r.maxBand} />
                  </td>
                  <td>
                    <BandBar rollup={r} />
                  </td>
                  <td className="num" data-col="findings">
                    {formatCount(r.findings)}
                  </td>
                  <td className="num">{formatCount(r.devices)}</td>
                  <td className="num">{formatCount(r.kevFindings)}</td>
                  <td className="cell-topfindings">
                    <ul className="inlinelist">
                      {r.topFindingIds.slice(0, 3).map((id) => {
                        const f = findings.get(id);
                        return (
                          <li key={id}>
                            <Link to={findingHref(id)} className={f ? undefined : 'mono'} title={f ? `${f.vulnerabilityId} in ${f.componentName} ${f.componentVersion ?? ''}` : id}>
                              {f ? (
                                <>
                                  {f.vulnerabilityId} <span className="muted">{f.componentName}</span>
                                </>
                              ) : (
                                `${id.slice(0, 12)}…`
                              )}
                            </Link>
                          </li>
                        );
                      })}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
