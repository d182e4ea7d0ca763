/**
 * @module The read side of passive monitoring that joins the wire with the inventory and the zone policy
 * (NetmonService delegates here): the communication map of a device, address or zone with inventory and
 * zone facts per node, what the wire says about each address for clinical risk scoring (exposure), and the
 * zone policy beside the zone-pair traffic of the most recent capture that had zones.
 */
import { invalidInput, notFound } from '../core/index.js';
import type { InventoryService } from '../inventory/index.js';
import { buildCommunicationMap, type CommunicationMap, type Conversation, type NodeInfo } from './conversations/index.js';
import type { NetmonPolicy, Topology, ZonePairTraffic } from './detect/index.js';
import type { ConversationFilter, NetmonStore } from './ports.js';

/** What these reads need: the stored conversations and captures, the inventory, the zone policy. */
export interface MapSources {
  store: NetmonStore;
  inventory: InventoryService;
  topology: Topology;
}

export interface MapRequest {
  deviceId?: string;
  ip?: string;
  zone?: string;
  from?: string;
  to?: string;
  hops?: 0 | 1;
  limit?: number;
}

export interface ZoneReport {
  zones: Array<{ name: string; cidrs: string[]; securityLevel?: number; external: boolean; description?: string }>;
  conduits: NetmonPolicy['conduits'];
  /** observed traffic per zone pair, from the most recent capture that had zones */
  observed: ZonePairTraffic[];
  observedIn?: { captureId: string; name: string; finishedAt: string };
}

const MAX_MAP_CONVERSATIONS = 20_000;
const MAX_EXPOSURE_CONVERSATIONS = 200_000;
/** application protocols that carry data without encryption (as the dissectors name them) */
const CLEARTEXT = new Set(['telnet', 'ftp', 'http', 'hl7', 'dicom', 'mqtt', 'snmp', 'smb', 'vnc']);

export interface AddressExposure {
  internetExposed: boolean;
  zone?: { id: string; name?: string; securityLevel?: 0 | 1 | 2 | 3 | 4 };
  reachableFromZones: string[];
  cleartextProtocols: string[];
  source: string;
}

/** The communication map of a device (all its addresses), an address, or a zone. */
export async function communicationMap(src: MapSources, req: MapRequest): Promise<CommunicationMap & { focus: string[] }> {
  const chosen = [req.deviceId, req.ip, req.zone].filter((x) => x !== undefined).length;
  if (chosen !== 1) throw invalidInput('netmon.map_focus', 'give exactly one of deviceId, ip or zone');
  let focus: string[];
  const filter: ConversationFilter = { ...(req.from ? { from: req.from } : {}), ...(req.to ? { to: req.to } : {}) };
  let conversations: Conversation[];
  if (req.deviceId) {
    const device = await src.inventory.get(req.deviceId);
    focus = device.network.ips;
    conversations = focus.length === 0 ? [] : await src.store.conversations({ ...filter, ips: focus }, MAX_MAP_CONVERSATIONS);
  } else if (req.ip) {
    focus = [req.ip];
    conversations = await src.store.conversations({ ...filter, ips: focus }, MAX_MAP_CONVERSATIONS);
  } else {
    const zone = src.topology.zone(req.zone!);
    if (!zone) throw notFound('zone', req.zone!);
    // A zone is a set of CIDRs: take the conversations in the window and keep the zone's addresses.
    const all = await src.store.conversations(filter, MAX_MAP_CONVERSATIONS);
    const inZone = (ip: string) => src.topology.info(ip).zone?.name === zone.name;
    conversations = all;
    focus = [...new Set(all.flatMap((c) => [c.client, c.server]).filter(inZone))];
  }
  const focusSet = new Set(focus);
  const map = buildCommunicationMap(conversations, { focus: focusSet, ...(req.hops !== undefined ? { hops: req.hops } : {}), ...(req.limit !== undefined ? { limit: req.limit } : {}) }, () => undefined);
  // Inventory and zone facts only for the nodes the map kept (after its edge limit).
  const names = await nodeInfo(src, map.nodes.map((n) => n.ip));
  return { ...map, nodes: map.nodes.map((n) => ({ ...n, ...names.get(n.ip) })), focus };
}

async function nodeInfo(src: MapSources, ips: readonly string[]): Promise<Map<string, NodeInfo>> {
  const out = new Map<string, NodeInfo>();
  for (const ip of ips.slice(0, 1000)) {
    const info: NodeInfo = {};
    const zone = src.topology.info(ip).zone;
    if (zone) info.zone = zone.name;
    // Text search matches prefixes (10.0.0.1 finds 10.0.0.10..19): take a wide page, keep exact matches only.
    const page = await src.inventory.search({ text: ip, limit: 200 });
    const d = page.items.find((x) => x.network.ips.includes(ip));
    if (d) {
      info.deviceId = d.id;
      if (d.name) info.name = d.name;
      if (d.category) info.category = d.category;
      if (d.criticality) info.criticality = d.criticality;
    }
    out.set(ip, info);
  }
  return out;
}

/**
 * What the wire says about each address, for clinical risk scoring: its zone, whether it talks
 * with the internet, which zones reach it, and the cleartext protocols it uses. Built from the
 * stored conversations (the largest 200,000) and the zone policy.
 */
export async function exposureByIp(src: Pick<MapSources, 'store' | 'topology'>): Promise<Map<string, AddressExposure>> {
  const out = new Map<string, AddressExposure>();
  const get = (ip: string): AddressExposure => {
    let e = out.get(ip);
    if (!e) {
      const zone = src.topology.info(ip).zone;
      e = { internetExposed: false, reachableFromZones: [], cleartextProtocols: [], source: 'netmon', ...(zone ? { zone: { id: zone.name, name: zone.name, ...(zone.securityLevel !== undefined ? { securityLevel: zone.securityLevel as 0 | 1 | 2 | 3 | 4 } : {}) } } : {}) };
      out.set(ip, e);
    }
    return e;
  };
  for (const c of await src.store.conversations({}, MAX_EXPOSURE_CONVERSATIONS)) {
    const client = src.topology.info(c.client);
    const server = src.topology.info(c.server);
    for (const [self, peer] of [[client, server], [server, client]] as const) {
      if (!self.internal) continue;
      const e = get(self.ip);
      if (peer.internet) e.internetExposed = true;
      if (CLEARTEXT.has(c.protocol) && !e.cleartextProtocols.includes(c.protocol)) e.cleartextProtocols.push(c.protocol);
    }
    if (server.internal && client.zone && server.zone && client.zone.name !== server.zone.name) {
      const e = get(server.ip);
      if (!e.reachableFromZones.includes(client.zone.name)) e.reachableFromZones.push(client.zone.name);
    }
  }
  return out;
}

/** The zone policy, and the zone-pair traffic of the most recent of the last 20 captures that had zones. */
export async function zoneReport(src: Pick<MapSources, 'store' | 'topology'>): Promise<ZoneReport> {
  const policy = src.topology.policy;
  const report: ZoneReport = {
    zones: policy.zones.map((z) => ({ name: z.name, cidrs: z.cidrs.map((c) => c.text), ...(z.securityLevel !== undefined ? { securityLevel: z.securityLevel } : {}), external: z.external, ...(z.description ? { description: z.description } : {}) })),
    conduits: policy.conduits,
    observed: [],
  };
  for (const c of await src.store.listCaptures(20)) {
    const pairs = (c.summary.zonePairs ?? []) as ZonePairTraffic[];
    if (pairs.length === 0) continue;
    report.observed = pairs;
    report.observedIn = { captureId: c.id, name: c.name, finishedAt: c.finishedAt };
    break;
  }
  return report;
}
