/**
 * @module The zones panel of the Network page: the policy's zones (address blocks, security level),
 * its conduits, and observed-versus-allowed traffic per zone pair from the latest capture that had
 * zones. Without a policy it says how to configure one.
 */
import { netmonApi } from '../../api/netmon.js';
import { EmptyState, ErrorMessage, Loading } from '../../components/Feedback.js';
import { useApi } from '../../hooks/useApi.js';
import { formatDateTime, formatRelative } from '../../lib/format.js';
import { Link, buildHref } from '../../router/index.js';
import { ConduitTable, ObservedTable, ZoneTable } from './ZoneTables.js';

export function ZonesCard({ version }: { version: number }) {
  const zones = useApi(`zones|${version}`, (signal) => netmonApi.zones(signal));
  const z = zones.data;
  return (
    <section className="card card--flush" aria-labelledby="zones-title" data-testid="zones" aria-busy={zones.loading}>
      <div className="card__header">
        <h2 className="card__title" id="zones-title">
          Zones and conduits
        </h2>
        <p className="card__hint">IEC 62443 segmentation policy and the traffic observed against it</p>
      </div>
      {zones.error ? <ErrorMessage error={zones.error} onRetry={zones.reload} /> : null}
      {!z && zones.loading ? <Loading label="Loading zones…" /> : null}
      {z && z.zones.length === 0 ? (
        <div data-testid="zones-empty">
          <EmptyState title="No zones configured">
            Zones and conduits come from the monitoring policy file the server reads at start (CAREGUARD_NETMON_POLICY). Without it, traffic is not judged against a segmentation policy.
          </EmptyState>
        </div>
      ) : null}
      {z && z.zones.length > 0 ? (
        <div className="netzones">
          <h3 className="netmap__heading">Zones</h3>
          <ZoneTable zones={z.zones} />
          <h3 className="netmap__heading">Conduits</h3>
          {z.conduits.length === 0 ? <p className="card__body muted">No conduits: only traffic inside a zone is allowed.</p> : <ConduitTable conduits={z.conduits} />}
          <h3 className="netmap__heading">Observed versus allowed</h3>
          {z.observedIn ? (
            <p className="card__body netzones__source" data-testid="observed-in">
              From capture <Link to={buildHref('/network', { capture: z.observedIn.captureId })}>{z.observedIn.name}</Link>, ingested{' '}
              <time dateTime={z.observedIn.finishedAt} title={formatDateTime(z.observedIn.finishedAt)}>
                {formatRelative(z.observedIn.finishedAt)}
              </time>
              .
            </p>
          ) : null}
          {z.observed.length === 0 ? <p className="card__body muted">No capture has been judged against these zones yet.</p> : <ObservedTable pairs={z.observed} label="Traffic per zone pair" />}
        </div>
      ) : null}
    </section>
  );
}
