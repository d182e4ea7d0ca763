/**
 * @module Why a finding scores what it does: every factor of the risk model with the input it read,
 * its weight, what it contributed and the reason, in formula order, summing to the score. Factors
 * that fell back to a documented default because data was missing are marked "assumed", so nobody
 * mistakes a guess for a measurement. Flags and warnings from the model follow the table.
 */
import type { DeviceContext, RiskScore } from '../../api/vulns.js';
import { humanize } from '../../lib/format.js';
import { formatContribution, formatFactorInput, formatScore, formatWeight, sumContributions } from './risk.js';
import { BandBadge } from './VulnBadges.js';

interface RiskBreakdownProps {
  breakdown: RiskScore;
  /** the device this breakdown was scored for; undefined when no device runs the product */
  device?: DeviceContext;
  /** the breakdown shown is the one that sets the finding's score */
  counting: boolean;
}

export function RiskBreakdown({ breakdown, device, counting }: RiskBreakdownProps) {
  const total = sumContributions(breakdown.factors);
  const assumed = breakdown.factors.filter((f) => f.assumed).length;
  const scope = device ? `for ${device.name ?? device.id}` : 'for the product alone (no device in the inventory runs it)';
  return (
    <section className="card card--flush" aria-labelledby="breakdown-title" data-testid="risk-breakdown">
      <div className="card__header">
        <h2 className="card__title" id="breakdown-title">
          Risk breakdown
        </h2>
        <p className="card__hint">
          Scored {scope}
          {device && counting ? ' — the highest-scoring device, which sets the finding’s score' : ''} · model {breakdown.model}
        </p>
      </div>
      <div className="tablewrap" role="region" aria-label="Risk breakdown" tabIndex={0}>
        <table className="table table--compact table--breakdown">
          <caption className="visually-hidden">Risk factors {scope}, in the order the model applies them</caption>
          <thead>
            <tr>
              <th scope="col">Factor</th>
              <th scope="col">Input</th>
              <th scope="col" className="num">
                Weight
              </th>
              <th scope="col" className="num">
                Contribution
              </th>
              <th scope="col">Reason</th>
            </tr>
          </thead>
          <tbody>
            {breakdown.factors.map((f) => (
              <tr key={f.id} data-factor={f.id} data-assumed={f.assumed === true} className={f.assumed ? 'is-assumed' : undefined}>
                <th scope="row">
                  {f.label}
                  <span className="cell-sub">{humanize(f.kind)}</span>
                  {f.assumed ? (
                    <span className="badge badge--assumed" title="A documented default stood in for missing data">
                      Assumed
                    </span>
                  ) : null}
                </th>
                <td data-col="input">{formatFactorInput(f.input)}</td>
                <td className="num" data-col="weight">
                  {formatWeight(f)}
                </td>
                <td className={`num contribution${f.contribution > 0 ? ' contribution--up' : f.contribution < 0 ? ' contribution--down' : ''}`} data-col="contribution">
                  {formatContribution(f.contribution)}
                </td>
                <td className="cell-reason" data-col="reason">
                  {f.reason}
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Score</th>
              <td />
              <td />
              <td className="num" data-col="total">
                {formatScore(total)}
              </td>
              <td>
                <BandBadge band={breakdown.band} /> <span className="muted">{breakdown.uncapped !== breakdown.score ? ` uncapped ${formatScore(breakdown.uncapped)}` : ''}</span>
              </td>
            </tr>
          </tfoot>
        </table>
      </div>
      {assumed > 0 || breakdown.flags.length > 0 || breakdown.warnings.length > 0 ? (
        <div className="card__body breakdown__notes">
          {assumed > 0 ? (
            <p data-testid="assumed-note">
              {assumed === 1 ? 'One factor uses' : `${assumed} factors use`} a documented default because data was missing; filling it in (network exposure from netmon, device
              criticality, PHI handling) makes the score more precise.
            </p>
          ) : null}
          {breakdown.flags.length > 0 ? (
            <ul className="chips" aria-label="Model flags">
              {breakdown.flags.map((flag) => (
                <li key={flag} className="chip">
                  {humanize(flag)}
                </li>
              ))}
            </ul>
          ) : null}
          {breakdown.warnings.map((w) => (
            <p key={w} className="muted">
              {w}
            </p>
          ))}
        </div>
      ) : null}
    </section>
  );
}
