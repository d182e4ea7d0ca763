/**
 * @module The expanded view of one alert: its evidence (what was observed, where), when it was first
 * and last seen, and who acknowledged or resolved it with their notes — what an analyst needs to
 * decide without leaving the queue.
 */
import type { Alert, AlertActorRef, AlertEvidence } from '../../api/types.js';
import { formatDateTime, humanize } from '../../lib/format.js';

const isEvidence = (v: unknown): v is AlertEvidence =>
  typeof v === 'object' && v !== null && typeof (v as AlertEvidence).kind === 'string' && typeof (v as AlertEvidence).ref === 'string';

const nameOf = (by: AlertActorRef | string | undefined) => (typeof by === 'string' ? by : by?.name);

function When({ iso }: { iso: string | undefined }) {
  return iso ? <time dateTime={iso}>{formatDateTime(iso)}</time> : <span className="muted">—</span>;
}

export function AlertDetails({ alert }: { alert: Alert }) {
  const evidence = Array.isArray(alert.evidence) ? alert.evidence.filter(isEvidence) : [];
  return (
    <div className="alertdetails">
      <dl className="deflist alertdetails__facts">
        <div className="deflist__row">
          <dt>First seen</dt>
          <dd>
            <When iso={alert.firstSeen} />
          </dd>
        </div>
        <div className="deflist__row">
          <dt>Last seen</dt>
          <dd>
            <When iso={alert.lastSeen} />
          </dd>
        </div>
        {alert.acknowledgedBy ? (
          <div className="deflist__row">
            <dt>Acknowledged</dt>
            <dd>
              {nameOf(alert.acknowledgedBy)}, <When iso={alert.acknowledgedAt} />
              {alert.acknowledgeNote ? <span className="alertdetails__note">“{alert.acknowledgeNote}”</span> : null}
            </dd>
          </div>
        ) : null}
        {alert.resolvedBy ? (
          <div className="deflist__row">
            <dt>Resolved</dt>
            <dd>
              {nameOf(alert.resolvedBy)}, <When iso={alert.resolvedAt} />
              {alert.resolutionNote ? <span className="alertdetails__note">“{alert.resolutionNote}”</span> : null}
            </dd>
          </div>
        ) : null}
        <div className="deflist__row">
          <dt>Dedup key</dt>
          <dd className="mono">{alert.dedupKey}</dd>
        </div>
      </dl>
      <div className="alertdetails__evidence">
        <h3 className="alertdetails__heading">Evidence</h3>
        {evidence.length === 0 ? (
          <p className="muted">No evidence attached.</p>
        ) : (
          <ul className="evidence">
            {evidence.map((e, i) => (
              <li key={`${e.kind}-${e.ref}-${i}`} className="evidence__item">
                <span className="chip">{humanize(e.kind)}</span>
                <span className="mono evidence__ref">{e.ref}</span>
                {e.detail ? <span className="evidence__detail">{e.detail}</span> : null}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
