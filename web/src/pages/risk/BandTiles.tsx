/**
 * @module Overview tiles: open findings per risk band (each finding in the band of its highest-scoring
 * device), with how many devices reach that band; each tile opens the findings list at that band's
 * minimum score.
 */
import { RISK_BANDS } from '../../api/vulns.js';
import type { Portfolio } from '../../api/vulns.js';
import { formatCount } from '../../lib/format.js';
import { Link, buildHref } from '../../router/index.js';
import { bandLabel, bandMinRisk } from '../vulns/risk.js';

const SUBTITLES: Record<string, string> = {
  critical: 'score 80+',
  high: 'score 60–79',
  medium: 'score 35–59',
  low: 'score below 35',
  none: 'score 0 · triaged',
};

export function BandTiles({ severity, openFindings }: { severity: Portfolio['severity']; openFindings: number }) {
  return (
    <section aria-labelledby="band-tiles-title">
      <h2 className="section-label" id="band-tiles-title">
        Open findings by risk band <span className="muted">· {formatCount(openFindings)} open in total</span>
      </h2>
      <ul className="tiles">
        {RISK_BANDS.map((band) => {
          const min = bandMinRisk(band);
          const body = (
            <>
              <span className="tile__count" data-testid={`band-count-${band}`}>
                {formatCount(severity.findings[band])}
              </span>
              <span className="tile__label">{bandLabel(band)}</span>
              <span className="tile__sub">
                {SUBTITLES[band]} · {formatCount(severity.devices[band])} {severity.devices[band] === 1 ? 'device' : 'devices'}
              </span>
            </>
          );
          return (
            <li key={band}>
              {min === undefined ? (
                <div className={`tile tile--static tile--${band === 'none' ? 'info' : band}`} data-testid={`tile-band-${band}`}>
                  {body}
                </div>
              ) : (
                <Link
                  to={buildHref('/findings', { minRisk: String(min) })}
                  className={`tile tile--link tile--${band}`}
                  data-testid={`tile-band-${band}`}
                  aria-label={`${formatCount(severity.findings[band])} ${bandLabel(band).toLowerCase()} findings — list findings scoring ${min === 0.1 ? 'above 0' : `${min} or more`}`}
                >
                  {body}
                </Link>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
