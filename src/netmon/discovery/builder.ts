/**
 * @module DiscoveryBuilder: folds observations, ARP packets and flow summaries into one profile per
 * endpoint. An endpoint is keyed by its MAC when that names one interface, else by its IP (loopback
 * and tunnel captures carry all-zero MACs). On a loopback address several programs share one IP, so
 * there a server is keyed by its listening port ("ip:127.0.0.1/tcp:11112") and a client by its
 * calling AE title ("ip:127.0.0.1/ae:MODALITY1"): otherwise a modality and the PACS it sends to,
 * both on one test host, would fold into one device. Pure: no I/O.
 */
import { ipv4FromNumber, macString } from '../capture/index.js';
import type { DecodedPacket } from '../decode/index.js';
import { isIdentifyingMac } from '../../inventory/index.js';
import type { FlowKey, FlowSummary, FrameMeta, Observation } from '../model.js';
import { absorbObservation } from './absorb.js';
import { addFact, addPeer, addService, newProfile, touch, type EndpointProfile } from './profile.js';

/** Nothing was learnt but the address (a side created before its application identity was known). */
const isBare = (p: EndpointProfile): boolean =>
  p.services.size === 0 && p.findings.size === 0 && p.packets === 0 && p.aeTitles.size === 0 && p.hostnames.size === 0 && p.hl7Applications.size === 0 && p.mqttClientIds.size === 0 && p.software.size === 0 && p.dicomImplementations.size === 0;

export interface DiscoveryOptions {
  /** endpoints profiled; further endpoints are counted in `droppedEndpoints` (default 20 000) */
  maxProfiles?: number;
  /** DNS name -> address answers remembered to name profiles (default 8192) */
  maxDnsNames?: number;
}

/** Per-flow state while the flow is open: the protocol and the DICOM AE titles of each side. */
export interface FlowState {
  protocol?: string;
  callingAe?: string;
  calledAe?: string;
  accepted?: boolean;
}

export const isLoopbackIp = (ip: string): boolean => ip.startsWith('127.') || ip === '::1';
const UNSPECIFIED = new Set(['0.0.0.0', '::', '255.255.255.255', '']);

export const flowKeyString = (k: FlowKey): string => `${k.transport} ${k.client.ip}:${k.client.port} ${k.server.ip}:${k.server.port}${k.vlan?.length ? ` v${k.vlan.join('.')}` : ''}`;

export class DiscoveryBuilder {
  private readonly profiles = new Map<string, EndpointProfile>();
  private readonly flows = new Map<string, FlowState>();
  private readonly dnsNames = new Map<string, Map<string, number>>();
  private readonly maxProfiles: number;
  private readonly maxDnsNames: number;
  droppedEndpoints = 0;
  observations = 0;

  constructor(opts: DiscoveryOptions = {}) {
    this.maxProfiles = opts.maxProfiles ?? 20_000;
    this.maxDnsNames = opts.maxDnsNames ?? 8192;
  }

  /**
   * The profile of an endpoint (created on first sight), or undefined past the profile cap.
   * `loopbackSplit` ("ae:X", "tcp:11112") applies only to a loopback IP without an identifying MAC.
   */
  profileFor(ep: { ip?: string; mac?: string }, frame: number, ts: number, aeTitle?: string, loopbackSplit?: string): EndpointProfile | undefined {
    const mac = ep.mac !== undefined && isIdentifyingMac(ep.mac) ? ep.mac : undefined;
    const ip = ep.ip !== undefined && !UNSPECIFIED.has(ep.ip) ? ep.ip : undefined;
    let key: string;
    if (mac) key = `mac:${mac}`;
    else if (ip) key = loopbackSplit && isLoopbackIp(ip) ? `ip:${ip}/${loopbackSplit}` : `ip:${ip}`;
    else return undefined;
    let p = this.profiles.get(key);
    if (!p) {
      if (this.profiles.size >= this.maxProfiles) {
        this.droppedEndpoints++;
        return undefined;
      }
      p = newProfile(key, frame, ts);
      this.profiles.set(key, p);
    }
    touch(p, frame, ts);
    if (mac) addFact(p.macs, mac, frame);
    if (ip) addFact(p.ips, ip, frame);
    if (aeTitle) addFact(p.aeTitles, aeTitle, frame);
    return p;
  }

  flowState(key: FlowKey): FlowState {
    const k = flowKeyString(key);
    let s = this.flows.get(k);
    if (!s) {
      s = {};
      // Flow tracking bounds the open flows; this guards callers that never report flow ends.
      if (this.flows.size >= 200_000) this.flows.clear();
      this.flows.set(k, s);
    }
    return s;
  }

  /** The profiles of the sending and receiving side of an observation (AE-split on loopback). */
  sides(o: Observation): { sender?: EndpointProfile; receiver?: EndpointProfile; client?: EndpointProfile; server?: EndpointProfile; state?: FlowState } {
    if (!o.flow) return {};
    const state = this.flowState(o.flow);
    const client = this.clientProfile(o.flow, o.frame, o.ts, state);
    const server = this.serverProfile(o.flow, o.frame, o.ts, state);
    const toServer = o.dir !== 's2c';
    return { client, server, state, sender: toServer ? client : server, receiver: toServer ? server : client };
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
      state.protocol ??= o.protocol;
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

  /** For `readCapture`'s onPacket: ARP binds a sender IP to its MAC (no flow carries ARP). */
  onPacket(d: DecodedPacket, meta: FrameMeta): void {
    if (d.network !== 'arp' || d.arpSenderMacOffset < 0) return;
    const mac = macString(d.buf, d.arpSenderMacOffset);
    const ip = ipv4FromNumber(d.arpSenderIp);
    const p = this.profileFor({ mac, ip }, meta.frame, meta.ts);
    if (p) addService(p, 'arp', d.arpOp === 2 ? 'server' : 'client', 0, meta.frame);
  }

  /** A finished flow: services by role and port, traffic counters, peers. */
  onFlowEnd(s: FlowSummary, detectedProtocol?: string): void {
    const k = flowKeyString(s.key);
    const state = this.flows.get(k) ?? {};
    this.flows.delete(k);
    const protocol = state.protocol ?? detectedProtocol ?? s.key.transport;
    const client = this.clientProfile(s.key, s.firstFrame, s.firstTs, state);
    const server = this.serverProfile(s.key, s.firstFrame, s.firstTs, state);
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

  /** The profiles, with DNS names applied to the profiles holding the answered addresses; profiles that saw nothing but an address are left out. */
  finish(): EndpointProfile[] {
    for (const [key, p] of this.profiles) {
      if (isBare(p)) {
        this.profiles.delete(key);
        continue;
      }
      for (const ip of p.ips.keys()) {
        const names = this.dnsNames.get(ip);
        if (names) for (const [n, f] of names) addFact(p.hostnames, n, f);
      }
    }
    return [...this.profiles.values()];
  }

  get size(): number {
    return this.profiles.size;
  }
}
