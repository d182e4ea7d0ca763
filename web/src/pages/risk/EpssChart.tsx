/**
 * @module How likely the portfolio's vulnerabilities are to be exploited soon: open findings per EPSS
 * probability bucket, drawn as bars (decorative; the numbers sit in the table beside them).
 */
import type { EpssBucket } from '../../api/vulns.js';
import { formatCount } from '../../lib/format.js';
import { barPercent } from './charts.js';

export function EpssChart({ buckets }: { buckets: EpssBucket[] }) {
  const max = Math.max(0, ...buckets.map((b) => b.findings));
  return (
    <section className="card card--flush" aria-labelledby="epss-title" data-testid="epss-chart">
      <div className="card__header">
        <h2 className="card__title" id="epss-title">
          EPSS distribution
        </h2>
        <p className="card__hint">Probability of exploitation in the next 30 days (FIRST EPSS)</p>
      </div>
      <div className="tablewrap" role="region" aria-label="EPSS distribution" tabIndex={0}>
        <table className="table table--compact table--epss">
          <thead>
            <tr>
              <th scope="col">EPSS</th>
              <th scope="col" className="num">
                Findings
              </th>
              <th scope="col" className="col-bar">
                <span className="visually-hidden">Share of findings</span>
              </th>
              <th scope="col" className="num">
                Vulnerabilities
              </th>
              <th scope="col" className="num">
                Devices
              </th>
            </tr>
          </thead>
          <tbody>
            {buckets.map((b) => (
              <tr key={b.label} data-bucket={b.label}>
                <th scope="row">{b.label === 'no EPSS' ? <span className="muted">No EPSS score</span> : b.label}</th>
                <td className="num" data-col="findings">
                  {formatCount(b.findings)}
                </td>
                <td className="col-bar" aria-hidden="true">
                  <span className="bar">
                    <span className={`bar__fill${b.min === undefined ? ' bar__fill--none' : b.min >= 0.1 ? ' bar__fill--hot' : ''}`} style={{ width: `${barPercent(b.findings, max)}%` }} />
                  </span>
                </td>
                <td className="num">{formatCount(b.vulnerabilities)}</td>
                <td className="num">{formatCount(b.devices)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
