/**
 * @module The latest alerts raised by passive monitoring (wire findings and detections), each linking
 * to its device and to the alert queue filtered to that device, where it can be acknowledged or resolved.
 */
import { netmonApi } from '../../api/netmon.js';
import { SeverityBadge } from '../../components/Badges.js';
import { EmptyState, ErrorMessage, Loading } from '../../components/Feedback.js';
import { useApi } from '../../hooks/useApi.js';
import { useDeviceNames } from '../../hooks/useDeviceNames.js';
import { formatDateTime, formatRelative } from '../../lib/format.js';
import { Link, buildHref } from '../../router/index.js';
import { detectionCategoryLabel } from './netformat.js';

const SHOWN = 10;

export function DetectionsCard({ version }: { version: number }) {
  const list = useApi(`detections|${version}`, (signal) => netmonApi.detections({ limit: SHOWN }, signal));
  const page = list.data;
  const names = useDeviceNames(page?.items.map((a) => a.deviceId) ?? []);
  return (
    <section className="card card--flush" aria-labelledby="detections-title" data-testid="detections" aria-busy={list.loading}>
      <div className="card__header">
        <h2 className="card__title" id="detections-title">
          Recent detections{page ? <span className="count-pill">{page.total}</span> : null}
        </h2>
        <Link to={buildHref('/alerts', { status: 'all' })} className="card__link">
          Alert queue
        </Link>
      </div>
      {list.error ? <ErrorMessage error={list.error} onRetry={list.reload} /> : null}
      {!page && list.loading ? <Loading label="Loading detections…" /> : null}
      {page && page.items.length === 0 ? <EmptyState title="No detections yet">Alerts appear here when a capture shows a finding or a detection rule fires.</EmptyState> : null}
      {page && page.items.length > 0 ? (
        <ul className="netdetections" data-testid="detection-list">
          {page.items.map((a) => (
            <li key={a.id} className="netdetections__item" data-alert-id={a.id} data-device-id={a.deviceId}>
              <SeverityBadge value={a.severity} />
              <div className="netdetections__text">
                <Link to={buildHref('/alerts', { status: 'all', deviceId: a.deviceId })} className="netdetections__title">
                  {a.title}
                </Link>
                <span className="cell-sub">
                  {a.category ? `${detectionCategoryLabel(a.category)} · ` : ''}
                  {a.deviceId ? (
                    <Link to={`/devices/${encodeURIComponent(a.deviceId)}`}>{names.get(a.deviceId) ?? a.deviceId}</Link>
                  ) : (
                    'no device'
                  )}
                  {' · '}
                  <time dateTime={a.lastSeen} title={formatDateTime(a.lastSeen)}>
                    {formatRelative(a.lastSeen)}
                  </time>
                  {a.count > 1 ? ` · ${a.count}×` : ''}
                </span>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
