/**
 * @module Loads one communication map (GET /netmon/map) and shows it: the graph, a note when
 * connections were left out by the limit, the addresses on it and the connections as tables, or an
 * empty state when nothing was observed. Used by the map page and by the device page.
 */
import { useId } from 'react';
import type { ReactNode } from 'react';
import { netmonApi } from '../../api/netmon.js';
import type { MapQuery } from '../../api/netmon.js';
import { EmptyState, ErrorMessage, Loading } from '../../components/Feedback.js';
import { useApi } from '../../hooks/useApi.js';
import { formatCount } from '../../lib/format.js';
import { MapGraph } from './MapGraph.js';
import { EdgeTable, NodeTable } from './MapTables.js';
import { mapHref } from './routes.js';

/** Most connections drawn: beyond a few hundred lines a picture stops being readable. */
export const MAP_EDGE_LIMIT = 200;

interface MapViewProps {
  query: MapQuery;
  /** what the map is of, for the caption ("127.0.0.1", "device Infusion pump 3") */
  subject: string;
  /** shown when the focus has no recorded conversations */
  empty: ReactNode;
  /** where a node's "centre here" goes; default: the map of that address with the same hops */
  hrefFor?: (ip: string) => string;
}

export function MapView({ query, subject, empty, hrefFor }: MapViewProps) {
  const edgesId = `${useId()}-edges`;
  const hops = query.hops ?? 0;
  const recentre = hrefFor ?? ((ip: string) => mapHref({ kind: 'ip', value: ip }, hops));
  const full: MapQuery = { ...query, limit: query.limit ?? MAP_EDGE_LIMIT };
  const map = useApi(JSON.stringify(full), (signal) => netmonApi.map(full, signal));
  const m = map.data;
  const nothing = m !== undefined && m.edges.length === 0;
  const connections = m ? `${formatCount(m.edges.length)} ${m.edges.length === 1 ? 'connection' : 'connections'}` : '';
  const caption = m ? `Communication map of ${subject}: ${formatCount(m.nodes.length)} ${m.nodes.length === 1 ? 'address' : 'addresses'}, ${connections}${hops === 1 ? ', including those between its peers' : ''}.` : '';

  return (
    <div className="netmapview" aria-busy={map.loading} data-testid="map-view" data-loaded={m !== undefined && !map.loading}>
      {map.loading ? <div className="progress" role="progressbar" aria-label="Loading the communication map" /> : null}
      {map.error ? <ErrorMessage error={map.error} onRetry={map.reload} /> : null}
      {!m && map.loading ? <Loading label="Loading the communication map…" /> : null}
      {nothing ? (
        <div data-testid="map-empty">
          <EmptyState title={`No traffic observed for ${subject}`}>{empty}</EmptyState>
        </div>
      ) : null}
      {m && !nothing ? (
        <>
          {m.truncated > 0 ? (
            <p className="notice notice--info netmap__truncated" data-testid="map-truncated" data-truncated={m.truncated}>
              Truncated: the {formatCount(m.truncated)} {m.truncated === 1 ? 'connection' : 'connections'} with the least traffic {m.truncated === 1 ? 'is' : 'are'} left out; showing the
              largest {formatCount(m.edges.length)}.
            </p>
          ) : null}
          <MapGraph map={m} caption={caption} hrefFor={recentre} skipTo={edgesId} />
          <h3 className="netmap__heading">Connections</h3>
          <EdgeTable map={m} label={`Connections of ${subject}`} id={edgesId} />
          <h3 className="netmap__heading">Addresses</h3>
          <NodeTable map={m} hrefFor={recentre} label={`Addresses on the map of ${subject}`} />
        </>
      ) : null}
    </div>
  );
}
