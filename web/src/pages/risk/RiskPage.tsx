/**
 * @module The risk overview: open findings by band, devices exposed to KEV-listed vulnerabilities by
 * criticality, the EPSS distribution, the top risks with what to do about them, and risk rolled up by
 * site, unit, product or device — every number links into the findings behind it.
 */
import { useEffect } from 'react';
import { ROLLUP_DIMENSIONS, vulnsApi } from '../../api/vulns.js';
import type { RollupBy } from '../../api/vulns.js';
import { ErrorMessage, Loading } from '../../components/Feedback.js';
import { useApi } from '../../hooks/useApi.js';
import { formatDateTime, formatRelative } from '../../lib/format.js';
import { buildHref, navigate, useLocation } from '../../router/index.js';
import { BandTiles } from './BandTiles.js';
import { EpssChart } from './EpssChart.js';
import { KevCard } from './KevCard.js';
import { Rollups } from './Rollups.js';
import { TopRisks } from './TopRisks.js';

const TOP = 10;
const isRollupBy = (s: string | null): s is RollupBy => s !== null && (ROLLUP_DIMENSIONS as readonly string[]).includes(s);

export function RiskPage() {
  const location = useLocation();
  const raw = location.query.get('by');
  const by: RollupBy = isRollupBy(raw) ? raw : 'site';
  const portfolio = useApi('portfolio', (signal) => vulnsApi.portfolio(TOP, signal));
  const p = portfolio.data;

  useEffect(() => {
    document.title = 'Risk · CareGuard';
  }, []);

  return (
    <main className="page" id="main" aria-busy={portfolio.loading} data-testid="risk-page">
      <div className="page__header">
        <div>
          <h1 className="page__title">Risk</h1>
          <p className="page__subtitle" aria-live="polite">
            {p ? (
              <>
                Clinical risk of {p.openFindings.toLocaleString()} open {p.openFindings === 1 ? 'finding' : 'findings'} across the devices that run them · as of{' '}
                <time dateTime={p.generatedAt} title={formatDateTime(p.generatedAt)}>
                  {formatRelative(p.generatedAt)}
                </time>
              </>
            ) : (
              '\u00a0'
            )}
          </p>
        </div>
      </div>
      {portfolio.error ? <ErrorMessage error={portfolio.error} onRetry={portfolio.reload} /> : null}
      {!p && portfolio.loading ? <Loading label="Loading risk overview…" /> : null}
      {p ? (
        <>
          <BandTiles severity={p.severity} openFindings={p.openFindings} />
          <div className="grid grid--risk">
            <KevCard kev={p.kev} />
            <EpssChart buckets={p.epss} />
          </div>
          <TopRisks top={p.top} />
        </>
      ) : null}
      <Rollups by={by} onBy={(next) => navigate(buildHref('/risk', { by: next === 'site' ? undefined : next }), { replace: true })} />
    </main>
  );
}
