/**
 * @module Tables of the segmentation policy (IEC 62443 zones and conduits) and of the traffic
 * observed between zone pairs judged against it: flows and bytes, how many flows a conduit allowed,
 * how many no conduit allowed (denied) or could not be judged (unzoned), the conduits used, and the
 * services behind the denied flows.
 */
import type { Conduit, Zone, ZonePairTraffic } from '../../api/netmon.js';
import { formatCount } from '../../lib/format.js';
import { Link } from '../../router/index.js';
import { conduitServiceLabel, formatBytes } from './netformat.js';
import { mapHref } from './routes.js';

/** an arrow people see and words screen readers say */
const Arrow = ({ both = false }: { both?: boolean }) => (
  <>
    <span aria-hidden="true">{both ? '↔' : '→'}</span>
    <span className="visually-hidden">{both ? 'to and from' : 'to'}</span>
  </>
);

const level = (sl: number | undefined) => (sl === undefined ? <span className="muted">—</span> : `SL ${sl}`);

export function ZoneTable({ zones }: { zones: Zone[] }) {
  return (
    <div className="tablewrap" role="region" aria-label="Zones" tabIndex={0}>
      <table className="table table--compact table--zones" data-testid="zone-table">
        <caption className="visually-hidden">Zones of the monitoring policy</caption>
        <thead>
          <tr>
            <th scope="col">Zone</th>
            <th scope="col">Address blocks</th>
            <th scope="col">Security level</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {zones.map((z) => (
            <tr key={z.name} data-zone={z.name}>
              <th scope="row">
                {z.name}
                {z.external ? <span className="badge badge--outline netbadge--external">External</span> : null}
                {z.description ? <span className="cell-sub">{z.description}</span> : null}
              </th>
              <td data-col="cidrs">
                <ul className="chips">
                  {z.cidrs.map((c) => (
                    <li key={c} className="chip chip--mono">
                      {c}
                    </li>
                  ))}
                </ul>
              </td>
              <td data-col="securityLevel">{level(z.securityLevel)}</td>
              <td className="cell-actions">
                <Link to={mapHref({ kind: 'zone', value: z.name })} className="btn btn--secondary btn--sm" aria-label={`Communication map of zone ${z.name}`}>
                  Map
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ConduitTable({ conduits }: { conduits: Conduit[] }) {
  return (
    <div className="tablewrap" role="region" aria-label="Conduits" tabIndex={0}>
      <table className="table table--compact table--conduits" data-testid="conduit-table">
        <caption className="visually-hidden">Conduits: the traffic allowed between zones</caption>
        <thead>
          <tr>
            <th scope="col">Conduit</th>
            <th scope="col">From → to</th>
            <th scope="col">Allowed services</th>
          </tr>
        </thead>
        <tbody>
          {conduits.map((c) => (
            <tr key={c.name} data-conduit={c.name}>
              <th scope="row">
                {c.name}
                {c.description ? <span className="cell-sub">{c.description}</span> : null}
              </th>
              <td>
                {c.from} <Arrow both={c.bidirectional} /> {c.to}
              </td>
              <td>
                {c.services.length === 0 ? (
                  'any traffic'
                ) : (
                  <ul className="inlinelist">
                    {c.services.map((s, i) => (
                      <li key={i}>{conduitServiceLabel(s)}</li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ObservedTable({ pairs, label }: { pairs: ZonePairTraffic[]; label: string }) {
  const rows = [...pairs].sort((a, b) => b.deniedFlows - a.deniedFlows || b.flows - a.flows || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  return (
    <div className="tablewrap" role="region" aria-label={label} tabIndex={0}>
      <table className="table table--compact table--observed" data-testid="observed-table">
        <caption className="visually-hidden">{label}: denied first</caption>
        <thead>
          <tr>
            <th scope="col">From → to</th>
            <th scope="col" className="num">
              Flows
            </th>
            <th scope="col" className="num">
              Bytes
            </th>
            <th scope="col" className="num">
              Allowed
            </th>
            <th scope="col" className="num">
              Denied
            </th>
            <th scope="col" className="num">
              Unjudged
            </th>
            <th scope="col">Conduits used</th>
            <th scope="col">Top denied services</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => (
            <tr key={`${p.from}|${p.to}`} data-from={p.from} data-to={p.to} className={p.deniedFlows > 0 ? 'is-denied' : undefined}>
              <th scope="row">
                {p.from} <Arrow /> {p.to}
                {p.fromSecurityLevel !== undefined || p.toSecurityLevel !== undefined ? (
                  <span className="cell-sub">
                    SL {p.fromSecurityLevel ?? '—'} → SL {p.toSecurityLevel ?? '—'}
                  </span>
                ) : null}
              </th>
              <td className="num" data-col="flows">
                {formatCount(p.flows)}
              </td>
              <td className="num" data-col="bytes">
                {formatBytes(p.bytes)}
              </td>
              <td className="num" data-col="allowed">
                {formatCount(p.allowedFlows)}
              </td>
              <td className="num" data-col="denied">
                {p.deniedFlows > 0 ? <strong className="netdenied">{formatCount(p.deniedFlows)}</strong> : '0'}
              </td>
              <td className="num" data-col="unjudged">
                {formatCount(p.unjudgedFlows)}
              </td>
              <td data-col="conduits">
                {p.conduits.length === 0 ? (
                  <span className="muted">none</span>
                ) : (
                  <ul className="inlinelist">
                    {p.conduits.map((c) => (
                      <li key={c.name}>
                        {c.name} <span className="muted">({formatCount(c.flows)})</span>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td data-col="denied-services">
                {p.denied.length === 0 ? (
                  <span className="muted">—</span>
                ) : (
                  <ul className="inlinelist">
                    {p.denied.slice(0, 5).map((d) => (
                      <li key={d.service}>
                        <span className="mono">{d.service}</span> <span className="muted">({formatCount(d.flows)})</span>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
