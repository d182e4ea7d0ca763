/**
 * @module A list of alerts with severity, status and counts; shows acknowledge/resolve buttons only
 * when the signed-in user holds alerts:write (the API enforces the same rule).
 */
import { Fragment, useState } from 'react';
import { api } from '../../api/client.js';
import type { Alert } from '../../api/types.js';
import { AlertStatusBadge, SeverityBadge } from '../../components/Badges.js';
import { useDeviceNames } from '../../hooks/useDeviceNames.js';
import { formatCount, formatDateTime, formatRelative, humanize } from '../../lib/format.js';
import { Link } from '../../router/index.js';
import { AlertActionDialog } from './AlertActionDialog.js';
import { AlertDetails } from './AlertDetails.js';
import type { AlertAction } from './AlertActionDialog.js';

/** who moved the alert to its current status, as the server names them */
function actorName(a: Alert): string | undefined {
  const by = a.status === 'resolved' ? a.resolvedBy : a.status === 'acknowledged' ? a.acknowledgedBy : undefined;
  return typeof by === 'string' ? by : by?.name;
}

interface AlertTableProps {
  alerts: Alert[];
  canWrite: boolean;
  showDevice: boolean;
  onChanged(updated: Alert): void;
  label: string;
}

export function AlertTable({ alerts, canWrite, showDevice, onChanged, label }: AlertTableProps) {
  const [pending, setPending] = useState<{ alert: Alert; action: AlertAction } | undefined>(undefined);
  const deviceNames = useDeviceNames(showDevice ? alerts.map((a) => a.deviceId) : []);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const columns = 5 + (showDevice ? 1 : 0) + (canWrite ? 1 : 0);

  return (
    <>
      <div className="tablewrap" role="region" aria-label={label} tabIndex={0}>
        <table className="table table--alerts" data-testid="alert-table">
          <thead>
            <tr>
              <th scope="col">Severity</th>
              <th scope="col">Alert</th>
              {showDevice ? <th scope="col">Device</th> : null}
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Count
              </th>
              <th scope="col">Last seen</th>
              {canWrite ? (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {alerts.map((a) => (
              <Fragment key={a.id}>
                <tr data-alert-id={a.id} data-alert-status={a.status} className={expanded.has(a.id) ? 'is-expanded' : undefined}>
                  <td>
                    <SeverityBadge value={a.severity} />
                  </td>
                  <th scope="row" className="cell-alert">
                    <button
                      type="button"
                      className="disclosure"
                      aria-expanded={expanded.has(a.id)}
                      aria-controls={`alert-details-${a.id}`}
                      onClick={() => toggle(a.id)}
                    >
                      <span className="disclosure__icon" aria-hidden="true" />
                      <span className="cell-alert__title">{a.title}</span>
                    </button>
                    {a.description ? <span className="cell-sub">{a.description}</span> : null}
                    <span className="cell-meta">
                      {humanize(a.source)}
                      {a.category ? ` · ${humanize(a.category)}` : ''}
                    </span>
                  </th>
                  {showDevice ? (
                    <td>
                      {a.deviceId ? (
                        <Link to={`/devices/${encodeURIComponent(a.deviceId)}`} className={deviceNames.has(a.deviceId) ? 'cell-device' : 'cell-device mono'} title={a.deviceId}>
                          {deviceNames.get(a.deviceId) ?? (a.deviceId.length > 14 ? `${a.deviceId.slice(0, 14)}…` : a.deviceId)}
                        </Link>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                  ) : null}
                  <td>
                    <AlertStatusBadge value={a.status} />
                    {actorName(a) ? <span className="cell-sub">by {actorName(a)}</span> : null}
                  </td>
                  <td className="num">{formatCount(a.count)}</td>
                  <td>
                    <time dateTime={a.lastSeen} title={formatDateTime(a.lastSeen)}>
                      {formatRelative(a.lastSeen)}
                    </time>
                  </td>
                  {canWrite ? (
                    <td className="cell-actions">
                      {a.status === 'open' ? (
                        <button type="button" className="btn btn--secondary btn--sm" onClick={() => setPending({ alert: a, action: 'acknowledge' })} aria-label={`Acknowledge: ${a.title}`}>
                          Acknowledge
                        </button>
                      ) : null}
                      {a.status !== 'resolved' ? (
                        <button type="button" className="btn btn--secondary btn--sm" onClick={() => setPending({ alert: a, action: 'resolve' })} aria-label={`Resolve: ${a.title}`}>
                          Resolve
                        </button>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
                {expanded.has(a.id) ? (
                  <tr className="detailsrow" id={`alert-details-${a.id}`}>
                    <td colSpan={columns}>
                      <AlertDetails alert={a} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
      {pending ? (
        <AlertActionDialog
          alert={pending.alert}
          action={pending.action}
          onClose={() => setPending(undefined)}
          onConfirm={async (note) => {
            const run = pending.action === 'acknowledge' ? api.acknowledgeAlert : api.resolveAlert;
            const updated = await run(pending.alert.id, note || undefined);
            setPending(undefined);
            onChanged(updated);
          }}
        />
      ) : null}
    </>
  );
}
