/**
 * @module DiscoveryBuilder: folds observations, ARP packets and flow summaries into one profile per
 * endpoint. Sightings are keyed by IP while reading; at the end, addresses that share a MAC which
 * names one interface become one device keyed by that MAC. A MAC seen with many addresses, with
 * addresses of more than one network (IPv4 /24, IPv6 /64), or with an internet address, is a router's
 * (everything routed crosses the capture point with the gateway's MAC: google.com is not a
 * Technicolor device because the hospital's uplink is), so it joins nothing and stays only on the
 * addresses ARP or DHCP bound it to. All-zero and broadcast MACs (loopback,
 * tunnels) never identify. On a loopback address several programs share one IP, so there a server
 * is keyed by its listening port ("ip:127.0.0.1/tcp:11112") and a client by its calling AE title
 * ("ip:127.0.0.1/ae:MODALITY1"): otherwise a modality and the PACS it sends to, both on one test
 * host, would fold into one device. Pure: no I/O.
 */
import { isIdentifyingMac } from '../../inventory/index.js';
import { parseIp, scopeOf } from '../detect/addresses.js';
import type { ArpSighting, FlowKey, FlowSummary, FrameMeta, Observation } from '../model.js';
import { absorbObservation } from './absorb.js';
import { addFact, addPeer, addService, mergeProfile, newProfile, touch, type EndpointProfile } from './profile.js';

/** Nothing was learnt but the address (a side created before its application identity was known). */
const isBare = (p: EndpointProfile): boolean =>
  p.services.size === 0 && p.findings.size === 0 && p.packets === 0 && p.aeTitles.size === 0 && p.hostnames.size === 0 && p.hl7Applications.size === 0 && p.mqttClientIds.size === 0 && p.software.size === 0 && p.dicomImplementations.size === 0 &&
  // a device description served: names, models and serials the device declared
  p.friendlyNames.size === 0 && p.announcedManufacturers.size === 0 && p.upnpDeviceTypes.size === 0 && p.upnpUdns.size === 0 && p.serialNumbers.size === 0 && p.modelDescriptions.size === 0;

export interface DiscoveryOptions {
  /** endpoints profiled; further endpoints are counted (once each) in `droppedEndpoints` (default 20 000) */
  maxProfiles?: number;
  /** DNS name -> address answers remembered to name profiles (default 8192) */
  maxDnsNames?: number;
  /** a MAC seen with more addresses than this is a router's and identifies no device (default 8) */
  maxIpsPerMac?: number;
  /**
   * whether an address is on the internet, so that the MAC its packets carry at the capture point is a
   * router's (default: global unicast scope; the analysis passes its policy's judgement, which counts a
   * hospital's own public address space claimed by a zone or the device map as internal)
   */
  isInternet?: (ip: string) => boolean;
}

/** Global unicast: outside every private, shared, loopback, link-local, multicast and reserved block. */
export const isGlobalAddress = (ip: string): boolean => {
  const parsed = parseIp(ip);
  return parsed !== undefined && scopeOf(parsed) === 'global';
};

/** Per-flow state while the flow is open: the protocol and the DICOM AE titles of each side. */
export interface FlowState {
  protocol?: string;
  callingAe?: string;
  calledAe?: string;
  accepted?: boolean;
  /** the flow ended: its state is no longer looked up by key object */
  ended?: boolean;
  /** its key in the flow table */
  key?: string;
  /** the side profiles last resolved for this flow (sides()), so an observation costs no key lookups */
  client?: SideCache;
  server?: SideCache;
}

/**
 * A side's profile as profileFor resolved it for one flow key object, the AE title it was resolved
 * with and the lowest frame its facts (MAC, IP, AE title) were recorded with: a later call with the
 * same key and AE title and a frame at least that low would change nothing but the profile's times.
 */
interface SideCache {
  key: FlowKey;
  ae: string | undefined;
  /** undefined: the endpoint is past the profile cap (or has neither address nor MAC) */
  profile: EndpointProfile | undefined;
  /** the identifying MAC and the address profileFor recorded on the profile */
  mac: string | undefined;
  ip: string | undefined;
  frame: number;
}

/** A flow's state and the generation of the flow table it belongs to (see DiscoveryBuilder.flowState). */
interface KeyedState {
  state: FlowState;
  generation: number;
}

export const isLoopbackIp = (ip: string): boolean => ip.startsWith('127.') || ip === '::1';

/**
 * Addresses seen behind one MAC that lie in more than one IPv4 /24 or IPv6 /64 (link-local aside),
 * not all of them ARP/DHCP bound to it: one interface seldom has them, while a gateway's MAC carries
 * every routed host's, however few a small capture shows. A host bound to an address in each network
 * (VLAN interfaces sharing a MAC) is one device. Splitting a multi-homed host that never announced
 * itself costs a duplicate record; folding routed hosts into the gateway would put their alerts, AE
 * titles and serials on the wrong device.
 */
export function spansNetworks(ips: ReadonlySet<string>, bound?: ReadonlySet<string>): boolean {
  if (bound !== undefined && [...ips].every((ip) => bound.has(ip))) return false;
  let v4: string | undefined;
  let v6: bigint | undefined;
  for (const ip of ips) {
    if (ip.includes(':')) {
      const parsed = parseIp(ip);
      if (parsed === undefined || scopeOf(parsed) === 'link-local') continue;
      const net = parsed.value >> 64n;
      if (v6 === undefined) v6 = net;
      else if (v6 !== net) return true;
    } else {
      const net = ip.slice(0, ip.lastIndexOf('.'));
      if (v4 === undefined) v4 = net;
      else if (v4 !== net) return true;
    }
  }
  return false;
}
const UNSPECIFIED = new Set(['0.0.0.0', '::', '255.255.255.255', '']);
/** distinct endpoints past the profile cap that are counted (at most about 6 MB of keys) */
const MAX_DROPPED_KEYS = 80_000;

const identifyingMacOf = (ep: { mac?: string }): string | undefined => (ep.mac !== undefined && isIdentifyingMac(ep.mac) ? ep.mac : undefined);
const addressOf = (ep: { ip?: string }): string | undefined => (ep.ip !== undefined && !UNSPECIFIED.has(ep.ip) ? ep.ip : undefined);

/** The identity facts a sighting records on its profile, each with its first frame. */
function recordIdentity(p: EndpointProfile, mac: string | undefined, ip: string | undefined, aeTitle: string | undefined, frame: number): void {
  if (mac) addFact(p.macs, mac, frame);
  if (ip) addFact(p.ips, ip, frame);
  if (aeTitle) addFact(p.aeTitles, aeTitle, frame);
}

export const flowKeyString = (k: FlowKey): string => `${k.transport} ${k.client.ip}:${k.client.port} ${k.server.ip}:${k.server.port}${k.vlan?.length ? ` v${k.vlan.join('.')}` : ''}`;

export class DiscoveryBuilder {
  private readonly profiles = new Map<string, EndpointProfile>();
  private readonly flows = new Map<string, FlowState>();
  /**
   * The same states by flow key object: the pipeline hands every observation of a flow the one key
   * object, so looking it up here costs no key string. An entry counts only while its generation is
   * the table's (a flow's end or a cleared table moves it on).
   */
  private byKey = new WeakMap<FlowKey, KeyedState>();
  private generation = 0;
  private readonly dnsNames = new Map<string, Map<string, number>>();
  private readonly maxProfiles: number;
  private readonly maxDnsNames: number;
  private readonly maxIpsPerMac: number;
  private readonly isInternet: (ip: string) => boolean;
  /** addresses seen behind each MAC (bounded just past maxIpsPerMac) */
  private readonly macIps = new Map<string, Set<string>>();
  /** MAC -> addresses ARP or DHCP bound to it (the interface's own, even for a router) */
  private readonly bound = new Map<string, Set<string>>();
  /** keys of the endpoints past the profile cap, so each is counted once */
  private readonly dropped = new Set<string>();
  observations = 0;

  constructor(opts: DiscoveryOptions = {}) {
    this.maxProfiles = opts.maxProfiles ?? 20_000;
    this.maxDnsNames = opts.maxDnsNames ?? 8192;
    this.maxIpsPerMac = opts.maxIpsPerMac ?? 8;
    this.isInternet = opts.isInternet ?? isGlobalAddress;
  }

  /**
   * The profile of an endpoint (created on first sight), or undefined past the profile cap.
   * `loopbackSplit` ("ae:X", "tcp:11112") applies only to a loopback IP without an identifying MAC.
   */
  profileFor(ep: { ip?: string; mac?: string }, frame: number, ts: number, aeTitle?: string, loopbackSplit?: string, binding = false): EndpointProfile | undefined {
    const mac = identifyingMacOf(ep);
    const ip = addressOf(ep);
    let key: string;
    if (ip) key = loopbackSplit && isLoopbackIp(ip) ? `ip:${ip}/${loopbackSplit}` : `ip:${ip}`;
    else if (mac) key = `mac:${mac}`;
    else return undefined;
    if (mac && ip) this.bind(mac, ip, binding);
    let p = this.profiles.get(key);
    if (!p) {
      if (this.profiles.size >= this.maxProfiles) {
        if (this.dropped.size < MAX_DROPPED_KEYS) this.dropped.add(key);
        return undefined;
      }
      p = newProfile(key, frame, ts);
      this.profiles.set(key, p);
    }
    touch(p, frame, ts);
    recordIdentity(p, mac, ip, aeTitle, frame);
    return p;
  }

  /** Distinct endpoints not profiled because the profile cap was reached (counted up to MAX_DROPPED_KEYS). */
  get droppedEndpoints(): number {
    return this.dropped.size;
  }

  private bind(mac: string, ip: string, binding: boolean): void {
    let ips = this.macIps.get(mac);
    if (!ips) {
      if (this.macIps.size >= 4 * this.maxProfiles) return;
      this.macIps.set(mac, (ips = new Set()));
    }
    if (ips.size <= this.maxIpsPerMac) ips.add(ip);
    if (!binding) return;
    let own = this.bound.get(mac);
    if (!own) this.bound.set(mac, (own = new Set()));
    if (own.size < 16) own.add(ip);
  }

  flowState(key: FlowKey): FlowState {
    const held = this.byKey.get(key);
    if (held !== undefined && held.generation === this.generation && held.state.ended !== true) return held.state;
    const k = flowKeyString(key);
    let s = this.flows.get(k);
    if (!s) {
      s = { key: k };
      // Flow tracking bounds the open flows; this guards callers that never report flow ends.
      if (this.flows.size >= 200_000) this.clearFlows();
      this.flows.set(k, s);
    }
    this.byKey.set(key, { state: s, generation: this.generation });
    return s;
  }

  private clearFlows(): void {
    this.flows.clear();
    this.generation++;
  }

  /** The profiles of the sending and receiving side of an observation (AE-split on loopback). */
  sides(o: Observation): { sender?: EndpointProfile; receiver?: EndpointProfile; client?: EndpointProfile; server?: EndpointProfile; state?: FlowState } {
    if (!o.flow) return {};
    const state = this.flowState(o.flow);
    const client = this.cachedSide(state, 'client', o.flow, o.frame, o.ts, state.callingAe);
    const server = this.cachedSide(state, 'server', o.flow, o.frame, o.ts, state.accepted ? state.calledAe : undefined);
    const toServer = o.dir !== 's2c';
    return { client, server, state, sender: toServer ? client : server, receiver: toServer ? server : client };
  }

  /**
   * clientProfile/serverProfile through the flow's side cache: the profile a key resolves to never
   * changes while reading (profiles are only added, and an endpoint past the cap stays out), so a repeat
   * with the same key object and AE title only moves the profile's times, and, for an earlier frame
   * than any before, the frames of its MAC, address and AE title facts.
   */
  private cachedSide(state: FlowState, side: 'client' | 'server', key: FlowKey, frame: number, ts: number, ae: string | undefined): EndpointProfile | undefined {
    const c = state[side];
    if (c !== undefined && c.key === key && c.ae === ae) {
      const p = c.profile;
      if (p === undefined) return undefined;
      touch(p, frame, ts);
      if (frame < c.frame) {
        c.frame = frame;
        recordIdentity(p, c.mac, c.ip, ae, frame);
      }
      return p;
    }
    const profile = side === 'client' ? this.clientProfile(key, frame, ts, state) : this.serverProfile(key, frame, ts, state);
    const ep = side === 'client' ? key.client : key.server;
    state[side] = { key, ae, profile, mac: identifyingMacOf(ep), ip: addressOf(ep), frame };
    return profile;
  }

  private clientProfile(k: FlowKey, frame: number, ts: number, state: FlowState): EndpointProfile | undefined {
    return this.profileFor(k.client, frame, ts, state.callingAe, state.callingAe === undefined ? undefined : `ae:${state.callingAe}`);
  }

  /** A called AE title belongs to the server only once it accepted the association. */
  private serverProfile(k: FlowKey, frame: number, ts: number, state: FlowState): EndpointProfile | undefined {
    return this.profileFor(k.server, frame, ts, state.accepted ? state.calledAe : undefined, `${k.transport}:${k.server.port}`);
  }

  observe(o: Observation): void {
    this.observations++;
    if (o.flow) {
      const state = this.flowState(o.flow);
      // a late-sync dissector that never found its protocol in a flow on its port says so: that names
      // the port's protocol, not the flow's
      if (!o.kind.endsWith('.late-sync-given-up')) state.protocol ??= o.protocol;
    }
    absorbObservation(this, o);
  }

  /** A DNS/mDNS answer: the name is applied to whichever profile holds the address at the end. */
  rememberDnsName(ip: string, name: string, frame: number): void {
    let names = this.dnsNames.get(ip);
    if (!names) {
      if (this.dnsNames.size >= this.maxDnsNames) return;
      this.dnsNames.set(ip, (names = new Map()));
    }
    addFact(names, name.toLowerCase().replace(/\.$/, ''), frame);
  }

  /** An ARP sender binding, as a dissected capture read reports it (no flow carries ARP). */
  onArp(arp: ArpSighting, meta: FrameMeta): void {
    const p = this.profileFor({ mac: arp.senderMac, ip: arp.senderIp }, meta.frame, meta.ts, undefined, undefined, true);
    if (p) addService(p, 'arp', arp.op === 2 ? 'server' : 'client', 0, meta.frame);
  }

  /** A finished flow: services by role and port, traffic counters, peers. */
  onFlowEnd(s: FlowSummary, detectedProtocol?: string): void {
    const held = this.byKey.get(s.key);
    let state: FlowState;
    if (held !== undefined && held.generation === this.generation && held.state.ended !== true) {
      state = held.state;
      if (state.key !== undefined) this.flows.delete(state.key);
    } else {
      const k = flowKeyString(s.key);
      state = this.flows.get(k) ?? {};
      this.flows.delete(k);
    }
    // every key object of this flow misses from now on (a later flow with the same addresses is new);
    // the entry goes, so a key kept elsewhere (the ingest's observation sample) does not keep the state
    state.ended = true;
    this.byKey.delete(s.key);
    const protocol = state.protocol ?? detectedProtocol ?? s.key.transport;
    const client = this.cachedSide(state, 'client', s.key, s.firstFrame, s.firstTs, state.callingAe);
    const server = this.cachedSide(state, 'server', s.key, s.firstFrame, s.firstTs, state.accepted ? state.calledAe : undefined);
    state.client = state.server = undefined;
    if (client) {
      touch(client, s.lastFrame, s.lastTs);
      addService(client, protocol, 'client', s.key.server.port, s.firstFrame);
      client.packets += s.c2s.packets;
      client.bytes += s.c2s.bytes;
      if (server) addPeer(client, server.key);
    }
    if (server) {
      touch(server, s.lastFrame, s.lastTs);
      addService(server, protocol, 'server', s.key.server.port, s.firstFrame);
      server.packets += s.s2c.packets;
      server.bytes += s.s2c.bytes;
      if (client) addPeer(server, client.key);
    }
  }

  /**
   * The device profiles: bare sightings dropped, DNS names applied, router MACs removed from the
   * addresses they do not belong to, and addresses sharing a MAC merged under "mac:<mac>".
   */
  finish(): EndpointProfile[] {
    const routers = new Set<string>();
    for (const [mac, ips] of this.macIps) {
      const bound = this.bound.get(mac);
      // an internet address ARP or DHCP bound to the MAC is the interface's own (public address space
      // without a policy); IPv4 only: global IPv6 is what local hosts use (SLAAC), left to spansNetworks
      if (ips.size > this.maxIpsPerMac || spansNetworks(ips, bound) || [...ips].some((ip) => !ip.includes(':') && this.isInternet(ip) && bound?.has(ip) !== true)) routers.add(mac);
    }
    const byMac = new Map<string, EndpointProfile>();
    const out = new Map<string, EndpointProfile>();
    for (const p of this.profiles.values()) {
      if (isBare(p)) continue;
      for (const ip of p.ips.keys()) {
        const names = this.dnsNames.get(ip);
        if (names) for (const [n, f] of names) addFact(p.hostnames, n, f);
      }
      for (const mac of [...p.macs.keys()]) {
        // a profile keyed by the MAC itself (a DHCP client without an address yet) is that interface's own sighting
        if (routers.has(mac) && p.key !== `mac:${mac}` && ![...p.ips.keys()].some((ip) => this.bound.get(mac)?.has(ip))) p.macs.delete(mac);
      }
      const macs = [...p.macs.keys()].filter((m) => isIdentifyingMac(m));
      const target = macs.map((m) => byMac.get(m)).find((t) => t !== undefined);
      if (target) {
        mergeProfile(target, p);
        for (const m of macs) if (!byMac.has(m)) byMac.set(m, target);
        continue;
      }
      if (macs[0] !== undefined) {
        p.key = `mac:${macs[0]}`;
        for (const m of macs) byMac.set(m, p);
      }
      out.set(p.key, p);
    }
    return [...out.values()];
  }

  /**
   * Forgets every profile, open flow, DNS name and MAC binding, for a builder that is done: the
   * profiles finish() returned live on (a report drops each as it is described) without its tables.
   */
  release(): void {
    this.profiles.clear();
    this.dropped.clear();
    this.clearFlows();
    this.byKey = new WeakMap();
    this.dnsNames.clear();
    this.macIps.clear();
    this.bound.clear();
  }

  get size(): number {
    return this.profiles.size;
  }
}
