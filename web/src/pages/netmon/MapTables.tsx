/**
 * @module The communication map as tables: the addresses on it (device link when the inventory knows
 * the address, zone, criticality, and a link to centre the map there) and every connection with its
 * protocols, ports, flows, packets, bytes and when it was seen — the accessible equivalent of the
 * graph, and the place to read exact numbers.
 */
import type { CommunicationMap, MapNode } from '../../api/netmon.js';
import { CriticalityBadge } from '../../components/Badges.js';
import { formatCount, formatDateTime, formatRelative, humanize } from '../../lib/format.js';
import { Link } from '../../router/index.js';
import { compareIp, formatBytes, formatPorts, protocolLabel } from './netformat.js';

function Endpoint({ ip, node }: { ip: string; node: MapNode | undefined }) {
  return (
    <>
      {node?.name ? <span className="netcell__name">{node.name}</span> : null}
      <span className={node?.name ? 'cell-sub mono' : 'mono'}>{ip}</span>
    </>
  );
}

export function NodeTable({ map, hrefFor, label }: { map: CommunicationMap; hrefFor(ip: string): string; label: string }) {
  const nodes = [...map.nodes].sort((a, b) => Number(b.focus) - Number(a.focus) || compareIp(a.ip, b.ip));
  return (
    <div className="tablewrap" role="region" aria-label={label} tabIndex={0}>
      <table className="table table--compact table--netnodes" data-testid="map-nodes">
        <caption className="visually-hidden">{label}</caption>
        <thead>
          <tr>
            <th scope="col">Address</th>
            <th scope="col">Device</th>
            <th scope="col">Criticality</th>
            <th scope="col">Zone</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {nodes.map((n) => (
            <tr key={n.ip} data-ip={n.ip} data-focus={n.focus} data-device-id={n.deviceId}>
              <th scope="row" className="mono">
                {n.ip}
                {n.focus ? <span className="badge badge--outline netbadge--focus">Centre</span> : null}
              </th>
              <td data-col="device">
                {n.deviceId ? (
                  <Link to={`/devices/${encodeURIComponent(n.deviceId)}`}>{n.name ?? n.deviceId}</Link>
                ) : (
                  <span className="muted">Not in the inventory</span>
                )}
                {n.category ? <span className="cell-sub">{humanize(n.category)}</span> : null}
              </td>
              <td>
                <CriticalityBadge value={n.criticality} />
              </td>
              <td data-col="zone">{n.zone ?? <span className="muted">—</span>}</td>
              <td className="cell-actions">
                <Link to={hrefFor(n.ip)} className="btn btn--secondary btn--sm" data-action="recentre" aria-label={`Centre the map on ${n.name ? `${n.name} (${n.ip})` : n.ip}`}>
                  Centre here
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function EdgeTable({ map, label, id }: { map: CommunicationMap; label: string; id?: string }) {
  const byIp = new Map(map.nodes.map((n) => [n.ip, n]));
  return (
    <div className="tablewrap" role="region" aria-label={label} tabIndex={0} id={id}>
      <table className="table table--compact table--netedges" data-testid="map-edges">
        <caption className="visually-hidden">{label}, largest first</caption>
        <thead>
          <tr>
            <th scope="col">Client</th>
            <th scope="col">Server</th>
            <th scope="col">Protocols</th>
            <th scope="col">Server ports</th>
            <th scope="col" className="num">
              Flows
            </th>
            <th scope="col" className="num">
              Packets
            </th>
            <th scope="col" className="num">
              Bytes
            </th>
            <th scope="col" className="col-seen">
              Last seen
            </th>
          </tr>
        </thead>
        <tbody>
          {map.edges.map((e) => (
            <tr key={`${e.client}|${e.server}`} data-client={e.client} data-server={e.server}>
              <td>
                <Endpoint ip={e.client} node={byIp.get(e.client)} />
              </td>
              <td>
                <Endpoint ip={e.server} node={byIp.get(e.server)} />
              </td>
              <td data-col="protocols">
                <ul className="chips">
                  {e.protocols.map((p) => (
                    <li key={p} className="chip" data-protocol={p}>
                      {protocolLabel(p)}
                    </li>
                  ))}
                </ul>
              </td>
              <td className="mono" data-col="ports">
                {formatPorts(e.ports, 12)}
              </td>
              <td className="num" data-col="flows">
                {formatCount(e.flows)}
              </td>
              <td className="num" data-col="packets">
                {formatCount(e.packets)}
              </td>
              <td className="num" data-col="bytes" data-bytes={e.bytes}>
                {formatBytes(e.bytes)}
              </td>
              <td className="col-seen">
                <time dateTime={e.lastSeen} title={`first ${formatDateTime(e.firstSeen)}, last ${formatDateTime(e.lastSeen)}`}>
                  {formatRelative(e.lastSeen)}
                </time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
