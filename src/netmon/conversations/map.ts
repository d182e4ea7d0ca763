/**
 * @module The communication map (pure): conversations turned into nodes (addresses, with the
 * inventory device and zone when known) and edges (who talks to whom, on which ports and
 * protocols, how much), centred on one device or one zone, optionally one hop further.
 */
import type { Conversation } from './table.js';

export interface MapNode {
  ip: string;
  deviceId?: string;
  name?: string;
  category?: string;
  criticality?: string;
  zone?: string;
  /** the node the map is about */
  focus: boolean;
}

export interface MapEdge {
  client: string;
  server: string;
  protocols: string[];
  ports: number[];
  flows: number;
  packets: number;
  bytes: number;
  firstSeen: string;
  lastSeen: string;
}

export interface CommunicationMap {
  nodes: MapNode[];
  edges: MapEdge[];
  /** edges left out by the limit */
  truncated: number;
}

export interface NodeInfo {
  deviceId?: string;
  name?: string;
  category?: string;
  criticality?: string;
  zone?: string;
}

export interface MapQuery {
  /** addresses the map is about (a device's IPs, or every address of a zone) */
  focus: ReadonlySet<string>;
  /** include conversations between the focus's peers (1) or only those touching the focus (0) */
  hops?: 0 | 1;
  /** most edges kept, largest first (default 500) */
  limit?: number;
}

export function buildCommunicationMap(conversations: readonly Conversation[], query: MapQuery, info: (ip: string) => NodeInfo | undefined): CommunicationMap {
  const touching = conversations.filter((c) => query.focus.has(c.client) || query.focus.has(c.server));
  let selected = touching;
  if (query.hops === 1) {
    const peers = new Set<string>();
    for (const c of touching) {
      peers.add(c.client);
      peers.add(c.server);
    }
    selected = conversations.filter((c) => peers.has(c.client) && peers.has(c.server));
  }
  const edges = new Map<string, MapEdge>();
  for (const c of selected) {
    const key = `${c.client}|${c.server}`;
    const e = edges.get(key);
    if (!e) {
      edges.set(key, { client: c.client, server: c.server, protocols: [c.protocol], ports: [c.port], flows: c.flows, packets: c.packets, bytes: c.bytes, firstSeen: c.firstSeen, lastSeen: c.lastSeen });
      continue;
    }
    if (!e.protocols.includes(c.protocol)) e.protocols.push(c.protocol);
    if (!e.ports.includes(c.port)) e.ports.push(c.port);
    e.flows += c.flows;
    e.packets += c.packets;
    e.bytes += c.bytes;
    if (c.firstSeen < e.firstSeen) e.firstSeen = c.firstSeen;
    if (c.lastSeen > e.lastSeen) e.lastSeen = c.lastSeen;
  }
  const limit = query.limit ?? 500;
  const all = [...edges.values()].sort((a, b) => b.bytes - a.bytes || a.client.localeCompare(b.client) || a.server.localeCompare(b.server));
  const kept = all.slice(0, limit);
  for (const e of kept) {
    e.protocols.sort();
    e.ports.sort((a, b) => a - b);
  }
  const ips = new Set<string>();
  for (const e of kept) {
    ips.add(e.client);
    ips.add(e.server);
  }
  for (const f of query.focus) ips.add(f);
  const nodes: MapNode[] = [...ips].sort().map((ip) => ({ ip, ...info(ip), focus: query.focus.has(ip) }));
  return { nodes, edges: kept, truncated: all.length - kept.length };
}
