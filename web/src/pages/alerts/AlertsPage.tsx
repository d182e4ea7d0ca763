/**
 * @module The alert queue: open alerts first, filterable by status, severity and device, paged by
 * cursor, with acknowledge/resolve for users allowed to triage.
 */
import { useEffect, useState } from 'react';
import { api } from '../../api/client.js';
import { ALERT_SEVERITIES, ALERT_STATUSES } from '../../api/types.js';
import type { AlertListQuery } from '../../api/types.js';
import { EmptyState, ErrorMessage, Loading } from '../../components/Feedback.js';
import { Pager } from '../../components/Pager.js';
import { useApi } from '../../hooks/useApi.js';
import { formatCount, humanize, severityLabel } from '../../lib/format.js';
import { buildHref, navigate, useLocation } from '../../router/index.js';
import { useSession } from '../../session/session.js';
import { AlertTable } from './AlertTable.js';
import { SeverityTiles } from './SeverityTiles.js';
import { activeBySeverity } from './summary.js';

const PAGE_SIZE = 50;
const STATUS_TABS = [...ALERT_STATUSES, 'all'] as const;

export function AlertsPage() {
  const { can } = useSession();
  const location = useLocation();
  const status = location.query.get('status') ?? 'open';
  const severity = location.query.get('severity') ?? '';
  const deviceId = location.query.get('deviceId') ?? '';
  const key = JSON.stringify([status, severity, deviceId]);

  const [paging, setPaging] = useState({ key, cursors: [] as (string | undefined)[] });
  const cursors = paging.key === key ? paging.cursors : [];
  const cursor = cursors.at(-1);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    document.title = 'Alerts · CareGuard';
  }, []);

  const query: AlertListQuery = { limit: PAGE_SIZE, cursor };
  if (status !== 'all') query.status = status;
  if (severity) query.severity = severity;
  if (deviceId) query.deviceId = deviceId;

  const list = useApi(`${key}|${cursor ?? ''}|${version}`, (signal) => api.listAlerts(query, signal));
  const summary = useApi(`summary|${version}`, (signal) => api.alertSummary(signal));
  const counts = activeBySeverity(summary.data);

  const update = (next: { status?: string; severity?: string; deviceId?: string }) => {
    const merged = { status, severity, deviceId, ...next };
    navigate(buildHref('/alerts', { status: merged.status === 'open' ? undefined : merged.status, severity: merged.severity, deviceId: merged.deviceId }), { replace: true });
  };

  const page = list.data;
  return (
    <main className="page" id="main">
      <div className="page__header">
        <div>
          <h1 className="page__title">Alerts</h1>
          <p className="page__subtitle" aria-live="polite" data-testid="alert-total">
            {page ? `${formatCount(page.total)} ${status === 'all' ? '' : `${humanize(status).toLowerCase()} `}${page.total === 1 ? 'alert' : 'alerts'}` : '\u00a0'}
          </p>
        </div>
      </div>

      {counts ? <SeverityTiles counts={counts} selected={severity} onSelect={(s) => update({ severity: s })} /> : null}

      <section className="toolbar" aria-label="Filter alerts">
        <div className="segmented" role="group" aria-label="Status">
          {STATUS_TABS.map((s) => (
            <button key={s} type="button" className="segmented__item" aria-pressed={status === s} onClick={() => update({ status: s })}>
              {humanize(s)}
            </button>
          ))}
        </div>
        <div className="toolbar__filters">
          <div className="field field--inline">
            <label htmlFor="alert-severity">Severity</label>
            <select id="alert-severity" value={severity} onChange={(e) => update({ severity: e.target.value })} className={severity ? 'is-active' : undefined}>
              <option value="">All</option>
              {ALERT_SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {severityLabel(s)}
                </option>
              ))}
            </select>
          </div>
          {deviceId ? (
            <span className="filterchip">
              Device <span className="mono">{deviceId}</span>
              <button type="button" className="filterchip__remove" aria-label="Remove device filter" onClick={() => update({ deviceId: '' })}>
                ×
              </button>
            </span>
          ) : null}
        </div>
      </section>

      <div className="card card--flush">
        {list.loading ? <div className="progress" role="progressbar" aria-label="Loading alerts" /> : null}
        {list.error ? <ErrorMessage error={list.error} onRetry={list.reload} /> : null}
        {!page && list.loading ? <Loading label="Loading alerts…" /> : null}
        {page && page.items.length === 0 && !list.loading ? (
          <EmptyState title={status === 'open' ? 'No open alerts' : 'No alerts match'}>
            {status === 'open' ? 'Nothing needs attention right now.' : 'Try another status or severity.'}
          </EmptyState>
        ) : null}
        {page && page.items.length > 0 ? (
          <>
            <AlertTable alerts={page.items} canWrite={can('alerts:write')} showDevice={!deviceId} label="Alerts" onChanged={() => setVersion((v) => v + 1)} />
            <Pager
              label="Alert pages"
              page={cursors.length}
              pageSize={PAGE_SIZE}
              shown={page.items.length}
              total={page.total}
              hasNext={page.nextCursor !== undefined}
              busy={list.loading}
              onPrevious={() => setPaging({ key, cursors: cursors.slice(0, -1) })}
              onNext={() => setPaging({ key, cursors: [...cursors, page.nextCursor] })}
            />
          </>
        ) : null}
      </div>
    </main>
  );
}
