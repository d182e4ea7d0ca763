/**
 * @module One ingested capture (#/network?capture=<id>, GET /netmon/captures/:id): when the traffic
 * was recorded, what it held (protocols with flows, packets and bytes), the wire findings and
 * detections it produced, its zone-pair traffic, frames the decoders could not read, and the
 * observations it kept (the evidence behind all of it).
 */
import { netmonApi } from '../../api/netmon.js';
import type { Capture } from '../../api/netmon.js';
import { SeverityBadge } from '../../components/Badges.js';
import { ErrorMessage, Loading } from '../../components/Feedback.js';
import { useApi } from '../../hooks/useApi.js';
import { formatCount, formatDateTime, humanize } from '../../lib/format.js';
import { Link } from '../../router/index.js';
import { captureKindLabel, captureProtocols, formatBytes, protocolLabel, segmentFacts } from './netformat.js';
import { mapHref } from './routes.js';
import { ObservationsCard } from './ObservationsCard.js';
import { ObservedTable } from './ZoneTables.js';

function Facts({ c }: { c: Capture }) {
  const rows: [string, string][] = [
    ['Kind', captureKindLabel(c.kind)],
    ...(c.summary.segment ? ([['Checkpoint', segmentFacts(c.summary.segment)]] as [string, string][]) : []),
    ['Traffic from', c.firstSeen ? `${formatDateTime(c.firstSeen)} to ${formatDateTime(c.lastSeen)}` : '—'],
    ['Size', `${formatBytes(c.bytes)} · ${formatCount(c.packets)} packets · ${formatCount(c.flows)} flows`],
    ['Devices', `${formatCount(c.devices)} reported${c.summary.devicesCreated !== undefined ? `, ${formatCount(c.summary.devicesCreated)} new` : ''}`],
    ['Alerts', c.summary.alerts ? `${formatCount(c.summary.alerts.created)} raised, ${formatCount(c.summary.alerts.folded)} folded into existing ones` : '—'],
    ['Ingested', `${formatDateTime(c.finishedAt)} by ${c.ingestedBy}`],
  ];
  return (
    <dl className="deflist">
      {rows.map(([k, v]) => (
        <div className="deflist__row" key={k}>
          <dt>{k}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function CaptureDetail({ id }: { id: string }) {
  const capture = useApi(id, (signal) => netmonApi.getCapture(id, signal));
  const c = capture.data?.id === id ? capture.data : undefined;
  const protocols = captureProtocols(c?.summary);
  const findings = c?.summary.findings ?? [];
  const detections = c?.summary.detections ?? [];
  const decodeErrors = Object.entries(c?.summary.decodeErrors ?? {}).filter(([, n]) => n > 0);

  return (
    <section className="card" aria-labelledby="capture-title" data-testid="capture-detail" data-capture-id={id} aria-busy={capture.loading}>
      <div className="netcapture__head">
        <h2 className="card__title" id="capture-title">
          Capture {c ? <span className="mono">{c.name}</span> : null}
        </h2>
        <Link to="/network" className="card__link">
          Close
        </Link>
      </div>
      {capture.error ? <ErrorMessage error={capture.error} onRetry={capture.reload} /> : null}
      {!c && capture.loading ? <Loading label="Loading the capture…" /> : null}
      {c ? (
        <div className="grid grid--2">
          <div>
            <Facts c={c} />
            {decodeErrors.length > 0 ? (
              <p className="muted netcapture__errors">Frames not decoded: {decodeErrors.map(([k, n]) => `${humanize(k)} ${formatCount(n)}`).join(', ')}</p>
            ) : null}
          </div>
          <div>
            <h3 className="netmap__heading">Protocols</h3>
            {protocols.length === 0 ? (
              <p className="muted">No application protocol identified.</p>
            ) : (
              <table className="table table--compact table--netprotocols" data-testid="capture-protocols">
                <caption className="visually-hidden">Protocols in the capture</caption>
                <thead>
                  <tr>
                    <th scope="col">Protocol</th>
                    <th scope="col" className="num">
                      Flows
                    </th>
                    <th scope="col" className="num">
                      Packets
                    </th>
                    <th scope="col" className="num">
                      Bytes
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {protocols.map((p) => (
                    <tr key={p.protocol} data-protocol={p.protocol}>
                      <th scope="row">{protocolLabel(p.protocol)}</th>
                      <td className="num">{formatCount(p.flows)}</td>
                      <td className="num">{formatCount(p.packets)}</td>
                      <td className="num">{formatBytes(p.bytes)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </div>
      ) : null}
      {c && findings.length + detections.length > 0 ? (
        <>
          <h3 className="netmap__heading">Findings and detections</h3>
          <ul className="netdetections netdetections--inset" data-testid="capture-findings">
            {findings.map((f) => (
              <li key={`f:${f.code}`} className="netdetections__item" data-code={f.code}>
                <SeverityBadge value={f.severity} />
                <div className="netdetections__text">
                  <span className="netdetections__title">{f.message}</span>
                  <span className="cell-sub">
                    <span className="mono">{f.code}</span> · {formatCount(f.count)}× · first at frame {f.firstFrame}
                  </span>
                </div>
              </li>
            ))}
            {detections.map((d) => (
              <li key={`d:${d.dedupKey}`} className="netdetections__item" data-rule={d.rule}>
                <SeverityBadge value={d.severity} />
                <div className="netdetections__text">
                  <span className="netdetections__title">{d.title}</span>
                  <span className="cell-sub">
                    <span className="mono">{d.rule}</span> ·{' '}
                    {d.deviceId ? <Link to={`/devices/${encodeURIComponent(d.deviceId)}`}>{d.deviceName ?? d.deviceIp}</Link> : <Link to={mapHref({ kind: 'ip', value: d.deviceIp })}>{d.deviceIp}</Link>}
                    {d.peerIp ? ` ↔ ${d.peerIp}` : ''} · {formatCount(d.count)}× · first at frame {d.firstFrame}
                  </span>
                </div>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {c && (c.summary.zonePairs?.length ?? 0) > 0 ? (
        <>
          <h3 className="netmap__heading">Traffic per zone pair</h3>
          <ObservedTable pairs={c.summary.zonePairs ?? []} label="Traffic per zone pair in this capture" />
        </>
      ) : null}
      {c && (c.summary.observations?.stored ?? 0) > 0 ? <ObservationsCard captureId={c.id} protocols={protocols.map((p) => p.protocol)} perGroup={c.summary.observations?.perGroup} /> : null}
    </section>
  );
}
