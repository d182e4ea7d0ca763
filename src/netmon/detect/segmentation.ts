/**
 * @module Zones and conduits applied to flows (IEC 62443-3-2 style): a flow initiated from zone A to
 * zone B is allowed inside one zone (unless the policy denies intra-zone traffic) or when a conduit
 * from A to B (or a bidirectional one between them) carries its service (protocol, transport, server
 * port); otherwise it is denied. Addresses in no zone are "(unzoned)", or "(internet)" when global;
 * flows touching them are only judged when the policy says `unzoned: "deny"`. ZoneTraffic sums
 * observed traffic per zone pair with the verdicts, for the observed-versus-allowed report.
 */
import type { FlowKey, FlowSummary } from '../model.js';
import type { Conduit, ConduitService, Zone } from './policy.js';
import type { Topology } from './topology.js';

export const UNZONED = '(unzoned)';
export const INTERNET = '(internet)';

export type VerdictReason = 'intra-zone' | 'conduit' | 'intra-zone-denied' | 'no-conduit' | 'service-not-allowed' | 'unzoned' | 'unzoned-denied';

export interface SegmentationVerdict {
  from: string;
  to: string;
  fromZone?: Zone;
  toZone?: Zone;
  decision: 'allowed' | 'denied' | 'unjudged';
  reason: VerdictReason;
  /** the conduit that allowed the flow */
  conduit?: Conduit;
  /** conduits between the two zones that do not carry this service */
  nearMisses: Conduit[];
}

const serviceMatches = (s: ConduitService, protocol: string, key: FlowKey): boolean =>
  (s.protocol === undefined || s.protocol === protocol) &&
  (s.transport === undefined || s.transport === key.transport) &&
  (s.ports.length === 0 || s.ports.some((r) => key.server.port >= r.from && key.server.port <= r.to));

export const conduitCarries = (c: Conduit, protocol: string, key: FlowKey): boolean => c.services.length === 0 || c.services.some((s) => serviceMatches(s, protocol, key));

export function judgeFlow(topology: Topology, key: FlowKey, protocol: string): SegmentationVerdict {
  const policy = topology.policy;
  const client = topology.info(key.client.ip);
  const server = topology.info(key.server.ip);
  const label = (z: Zone | undefined, internet: boolean) => z?.name ?? (internet ? INTERNET : UNZONED);
  const base = {
    from: label(client.zone, client.internet),
    to: label(server.zone, server.internet),
    ...(client.zone ? { fromZone: client.zone } : {}),
    ...(server.zone ? { toZone: server.zone } : {}),
    nearMisses: [] as Conduit[],
  };
  if (!client.zone || !server.zone) {
    // broadcast and multicast reach no zone by nature (DHCP, mDNS, SSDP): never a violation
    const deny = policy.unzoned === 'deny' && !server.group && !client.group;
    return { ...base, decision: deny ? 'denied' : 'unjudged', reason: deny ? 'unzoned-denied' : 'unzoned' };
  }
  if (client.zone === server.zone && policy.intraZone === 'allow') return { ...base, decision: 'allowed', reason: 'intra-zone' };
  const between = policy.conduits.filter((c) => (c.from === base.from && c.to === base.to) || (c.bidirectional && c.from === base.to && c.to === base.from));
  const conduit = between.find((c) => conduitCarries(c, protocol, key));
  if (conduit) return { ...base, decision: 'allowed', reason: 'conduit', conduit };
  if (client.zone === server.zone) return { ...base, decision: 'denied', reason: 'intra-zone-denied', nearMisses: between };
  return { ...base, decision: 'denied', reason: between.length > 0 ? 'service-not-allowed' : 'no-conduit', nearMisses: between };
}

export interface ZonePairTraffic {
  from: string;
  to: string;
  fromSecurityLevel?: number;
  toSecurityLevel?: number;
  flows: number;
  packets: number;
  bytes: number;
  allowedFlows: number;
  deniedFlows: number;
  unjudgedFlows: number;
  allowedBytes: number;
  deniedBytes: number;
  /** flows per allowing conduit ("intra-zone" for traffic inside a zone) */
  conduits: Array<{ name: string; flows: number }>;
  /** denied flows per service ("dicom tcp/104"), largest first (at most 16) */
  denied: Array<{ service: string; flows: number; bytes: number; firstFrame: number }>;
  /** flows per protocol (at most 32) */
  protocols: Array<{ protocol: string; flows: number; bytes: number }>;
  firstFrame: number;
}

const MAX_PAIRS = 70_000;
const MAX_PROTOCOLS = 32;
const MAX_DENIED = 16;

interface PairState {
  row: Omit<ZonePairTraffic, 'conduits' | 'denied' | 'protocols'>;
  conduits: Map<string, number>;
  denied: Map<string, { service: string; flows: number; bytes: number; firstFrame: number }>;
  protocols: Map<string, { protocol: string; flows: number; bytes: number }>;
}

/** Traffic per (from zone, to zone) with verdict counts; bounded by the number of zone pairs. */
export class ZoneTraffic {
  private readonly pairs = new Map<string, PairState>();
  droppedPairs = 0;

  add(v: SegmentationVerdict, s: FlowSummary, protocol: string): void {
    const k = `${v.from}\u0000${v.to}`;
    let p = this.pairs.get(k);
    if (!p) {
      if (this.pairs.size >= MAX_PAIRS) {
        this.droppedPairs++;
        return;
      }
      const row = {
        from: v.from, to: v.to, flows: 0, packets: 0, bytes: 0, allowedFlows: 0, deniedFlows: 0, unjudgedFlows: 0, allowedBytes: 0, deniedBytes: 0, firstFrame: s.firstFrame,
        ...(v.fromZone?.securityLevel === undefined ? {} : { fromSecurityLevel: v.fromZone.securityLevel }),
        ...(v.toZone?.securityLevel === undefined ? {} : { toSecurityLevel: v.toZone.securityLevel }),
      };
      this.pairs.set(k, (p = { row, conduits: new Map(), denied: new Map(), protocols: new Map() }));
    }
    const bytes = s.c2s.bytes + s.s2c.bytes;
    const r = p.row;
    r.flows++;
    r.packets += s.c2s.packets + s.s2c.packets;
    r.bytes += bytes;
    if (s.firstFrame < r.firstFrame) r.firstFrame = s.firstFrame;
    if (v.decision === 'allowed') {
      r.allowedFlows++;
      r.allowedBytes += bytes;
      const name = v.conduit?.name ?? 'intra-zone';
      p.conduits.set(name, (p.conduits.get(name) ?? 0) + 1);
    } else if (v.decision === 'denied') {
      r.deniedFlows++;
      r.deniedBytes += bytes;
      const service = `${protocol} ${s.key.transport}/${s.key.server.port}`;
      const d = p.denied.get(service);
      if (d) {
        d.flows++;
        d.bytes += bytes;
        if (s.firstFrame < d.firstFrame) d.firstFrame = s.firstFrame;
      } else if (p.denied.size < 4 * MAX_DENIED) p.denied.set(service, { service, flows: 1, bytes, firstFrame: s.firstFrame });
    } else r.unjudgedFlows++;
    const pr = p.protocols.get(protocol);
    if (pr) {
      pr.flows++;
      pr.bytes += bytes;
    } else if (p.protocols.size < MAX_PROTOCOLS) p.protocols.set(protocol, { protocol, flows: 1, bytes });
  }

  /** Pairs with denied traffic first, then by flows. */
  rows(): ZonePairTraffic[] {
    return [...this.pairs.values()]
      .map((p) => ({
        ...p.row,
        conduits: [...p.conduits].map(([name, flows]) => ({ name, flows })).sort((a, b) => b.flows - a.flows || a.name.localeCompare(b.name)),
        denied: [...p.denied.values()].sort((a, b) => b.flows - a.flows || a.firstFrame - b.firstFrame).slice(0, MAX_DENIED),
        protocols: [...p.protocols.values()].sort((a, b) => b.flows - a.flows || a.protocol.localeCompare(b.protocol)),
      }))
      .sort((a, b) => b.deniedFlows - a.deniedFlows || b.flows - a.flows || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  }
}
