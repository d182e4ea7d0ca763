/**
 * @module The observations one capture kept (GET /netmon/observations?captureId=): what the
 * dissectors read on the wire, oldest first, filterable by protocol and address, a page at a time
 * by the server's cursor. Each row opens to its full fields and findings; the last kept row of a
 * group says how many the group had in the capture.
 */
import { useState } from 'react';
import { netmonApi } from '../../api/netmon.js';
import { SeverityBadge } from '../../components/Badges.js';
import { ErrorMessage, Loading } from '../../components/Feedback.js';
import { useApi } from '../../hooks/useApi.js';
import { formatCount } from '../../lib/format.js';
import { protocolLabel } from './netformat.js';
import { groupNote, observationEndpoints, observationFieldSummary } from './observations.js';

const PAGE_SIZE = 50;

export function ObservationsCard({ captureId, protocols, perGroup }: { captureId: string; protocols: string[]; perGroup?: number }) {
  const [protocol, setProtocol] = useState('');
  const [ip, setIp] = useState('');
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const query = { captureId, limit: PAGE_SIZE, ...(protocol ? { protocol } : {}), ...(ip ? { ip } : {}), ...(cursor ? { cursor } : {}) };
  const page = useApi(JSON.stringify(query), (signal) => netmonApi.observations(query, signal));
  const items = page.data?.items;
  const reset = () => setCursors([]);

  return (
    <>
      <h3 className="netmap__heading" id="capture-observations">
        Observations
      </h3>
      <form
        className="netobs__filters"
        aria-labelledby="capture-observations"
        onSubmit={(e) => {
          e.preventDefault();
          const value = new FormData(e.currentTarget).get('ip');
          setIp(typeof value === 'string' ? value.trim() : '');
          reset();
        }}
      >
        <label>
          Protocol{' '}
          <select
            value={protocol}
            onChange={(e) => {
              setProtocol(e.target.value);
              reset();
            }}
          >
            <option value="">All</option>
            {protocols.map((p) => (
              <option key={p} value={p}>
                {protocolLabel(p)}
              </option>
            ))}
          </select>
        </label>{' '}
        <label>
          Address <input name="ip" defaultValue={ip} placeholder="10.0.0.5" pattern="[0-9A-Fa-f:.]{2,45}" size={18} />
        </label>{' '}
        <button type="submit" className="btn btn--secondary btn--sm">
          Filter
        </button>
      </form>
      {page.error ? <ErrorMessage error={page.error} onRetry={page.reload} /> : null}
      {!items && page.loading ? <Loading label="Loading observations…" /> : null}
      {items && items.length === 0 && !page.loading ? <p className="muted">No stored observations{protocol || ip ? ' match' : ' for this capture'}.</p> : null}
      {items && items.length > 0 ? (
        <div className="tablewrap" role="region" aria-label="Observations" tabIndex={0}>
          <table className="table table--compact" aria-busy={page.loading} data-testid="capture-observations">
            <caption className="visually-hidden">Observations kept from the capture, page {cursors.length + 1}</caption>
            <thead>
              <tr>
                <th scope="col" className="num">
                  Frame
                </th>
                <th scope="col">Kind</th>
                <th scope="col">Endpoints</th>
                <th scope="col">Fields</th>
                <th scope="col">Group</th>
              </tr>
            </thead>
            <tbody>
              {items.map((o) => (
                <tr key={o.id} data-observation-id={o.id} data-kind={o.kind}>
                  <td className="num" title={o.ts}>
                    {o.frame}
                  </td>
                  <th scope="row" className="mono">
                    {o.kind}
                  </th>
                  <td className="mono">{observationEndpoints(o)}</td>
                  <td>
                    <details>
                      <summary className="mono">{observationFieldSummary(o.fields) || 'fields'}</summary>
                      {(o.findings ?? []).map((f) => (
                        <p key={f.code}>
                          <SeverityBadge value={f.severity} /> {f.message} <span className="mono">{f.code}</span>
                        </p>
                      ))}
                      <pre className="mono">{JSON.stringify(o.fields, null, 2)}</pre>
                      <span className="cell-sub">
                        {o.producer} · {o.ts}
                      </span>
                    </details>
                  </td>
                  <td>{groupNote(o.groupCount, perGroup) ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {items && (cursors.length > 0 || page.data?.nextCursor) ? (
        <nav className="pager" aria-label="Observation pages">
          <p className="pager__status" aria-live="polite">
            Page {formatCount(cursors.length + 1)}
          </p>
          <div className="pager__buttons">
            <button type="button" className="btn btn--secondary btn--sm" disabled={cursors.length === 0 || page.loading} onClick={() => setCursors((c) => c.slice(0, -1))}>
              Earlier
            </button>
            <button type="button" className="btn btn--secondary btn--sm" disabled={!page.data?.nextCursor || page.loading} onClick={() => setCursors((c) => [...c, page.data!.nextCursor!])}>
              Later
            </button>
          </div>
        </nav>
      ) : null}
    </>
  );
}
