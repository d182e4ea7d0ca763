/**
 * @module The captures and flow logs ingested, newest first: name (with its main protocols), kind,
 * packets, flows, devices, detections and when and by whom it was ingested. Paged by the server's
 * "before" cursor; asking for one row more than shown tells whether an older page exists.
 */
import { useState } from 'react';
import { netmonApi } from '../../api/netmon.js';
import { EmptyState, ErrorMessage, Loading } from '../../components/Feedback.js';
import { useApi } from '../../hooks/useApi.js';
import { formatCount, formatDateTime, formatRelative } from '../../lib/format.js';
import { Link, buildHref } from '../../router/index.js';
import { captureKindLabel, captureProtocols, formatBytes, protocolLabel, segmentLabel } from './netformat.js';

const PAGE_SIZE = 25;

export function CapturesCard({ version, selected }: { version: number; selected: string | undefined }) {
  const [cursors, setCursors] = useState<string[]>([]);
  const before = cursors.at(-1);
  const list = useApi(`${before ?? ''}|${version}`, (signal) => netmonApi.listCaptures({ limit: PAGE_SIZE + 1, ...(before ? { before } : {}) }, signal));
  const items = list.data?.items.slice(0, PAGE_SIZE);
  const hasOlder = (list.data?.items.length ?? 0) > PAGE_SIZE;
  const last = items?.at(-1);

  return (
    <section className="card card--flush" aria-labelledby="captures-title" data-testid="captures">
      <div className="card__header">
        <h2 className="card__title" id="captures-title">
          Captures
        </h2>
        <p className="card__hint">Packet captures and flow logs ingested, newest first</p>
      </div>
      {list.loading ? <div className="progress" role="progressbar" aria-label="Loading captures" /> : null}
      {list.error ? <ErrorMessage error={list.error} onRetry={list.reload} /> : null}
      {!items && list.loading ? <Loading label="Loading captures…" /> : null}
      {items && items.length === 0 && !list.loading ? (
        <EmptyState title="No captures yet">Upload a pcap, pcapng or Zeek conn.log, or run “careguard netmon ingest” on the server.</EmptyState>
      ) : null}
      {items && items.length > 0 ? (
        <>
          <div className="tablewrap" role="region" aria-label="Captures" tabIndex={0}>
            <table className="table table--captures" aria-busy={list.loading} data-testid="capture-table">
              <caption className="visually-hidden">Ingested captures, page {cursors.length + 1}</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Kind</th>
                  <th scope="col" className="num">
                    Packets
                  </th>
                  <th scope="col" className="num">
                    Flows
                  </th>
                  <th scope="col" className="num">
                    Devices
                  </th>
                  <th scope="col" className="num">
                    Detections
                  </th>
                  <th scope="col">Ingested</th>
                </tr>
              </thead>
              <tbody>
                {items.map((c) => {
                  const protocols = captureProtocols(c.summary).slice(0, 4);
                  const segment = segmentLabel(c.summary.segment);
                  return (
                    <tr key={c.id} data-capture-id={c.id} className={selected === c.id ? 'is-selected' : undefined}>
                      <th scope="row" className="cell-name" data-col="name">
                        <Link to={buildHref('/network', { capture: c.id })} aria-current={selected === c.id ? 'true' : undefined}>
                          {c.name}
                        </Link>
                        <span className="cell-sub">
                          {segment ? `${segment} · ` : ''}
                          {formatBytes(c.bytes)}
                          {protocols.length > 0 ? ` · ${protocols.map((p) => protocolLabel(p.protocol)).join(', ')}` : ''}
                        </span>
                      </th>
                      <td data-col="kind">{captureKindLabel(c.kind)}</td>
                      <td className="num" data-col="packets">
                        {formatCount(c.packets)}
                      </td>
                      <td className="num" data-col="flows">
                        {formatCount(c.flows)}
                      </td>
                      <td className="num" data-col="devices">
                        {formatCount(c.devices)}
                      </td>
                      <td className="num" data-col="detections">
                        {formatCount(c.detections)}
                      </td>
                      <td data-col="ingested">
                        <time dateTime={c.finishedAt} title={formatDateTime(c.finishedAt)}>
                          {formatRelative(c.finishedAt)}
                        </time>
                        <span className="cell-sub">by {c.ingestedBy}</span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <nav className="pager" aria-label="Capture pages">
            <p className="pager__status" aria-live="polite">
              Page {cursors.length + 1}
            </p>
            <div className="pager__buttons">
              <button type="button" className="btn btn--secondary btn--sm" disabled={cursors.length === 0 || list.loading} onClick={() => setCursors((c) => c.slice(0, -1))}>
                <span aria-hidden="true">‹ </span>Newer
              </button>
              <button type="button" className="btn btn--secondary btn--sm" disabled={!hasOlder || !last || list.loading} onClick={() => last && setCursors((c) => [...c, last.id])}>
                Older<span aria-hidden="true"> ›</span>
              </button>
            </div>
          </nav>
        </>
      ) : null}
    </section>
  );
}
