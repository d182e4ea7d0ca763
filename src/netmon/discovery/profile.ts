/**
 * @module The per-endpoint profile passive discovery keeps: what one device was seen saying and
 * doing, each fact with the first frame that showed it (the evidence rules cite). Every list is
 * bounded, so a scan or a spoofing host cannot grow a profile without limit.
 */
import type { Severity } from '../model.js';
import { FactList, type Facts } from './facts.js';

/** A value and the frame that first showed it (a FactList: nothing allocated while empty). */
export type { Facts } from './facts.js';

export interface ServiceUse {
  protocol: string;
  role: 'client' | 'server';
  /** the server port of the flows */
  port: number;
  flows: number;
  firstFrame: number;
}

export interface ProfileFinding {
  code: string;
  severity: Severity;
  message: string;
  count: number;
  frames: number[];
}

/** DICOM behaviour of an endpoint, for the imaging rules. */
export interface DicomActivity {
  /** modality -> first frame of a C-STORE-RQ this endpoint sent */
  storesSent: Facts;
  /** modality -> first frame of a C-STORE-RQ this endpoint received */
  storesReceived: Facts;
  /** first frame of an association this endpoint accepted */
  acceptedAssociation?: number;
  /** worklist (MWL) queries sent */
  worklistQuery?: number;
  /** device hints from proposed SOP classes */
  deviceHints: Facts;
}

export interface EndpointProfile {
  /** "mac:<mac>", "ip:<ip>", or on a loopback host "ip:<ip>/ae:<calling AE>" (client) or "ip:<ip>/tcp:<port>" (server) */
  key: string;
  macs: Facts;
  ips: Facts;
  hostnames: Facts;
  aeTitles: Facts;
  /** "APPLICATION^FACILITY" of HL7 messages this endpoint sent */
  hl7Applications: Facts;
  /** HL7 "TYPE^EVENT" this endpoint sent */
  hl7MessagesSent: Facts;
  mqttClientIds: Facts;
  /** DICOM implementation version names ("OFFIS_DCMTK_367") */
  dicomImplementations: Facts;
  /** "product version" software fingerprints */
  software: Facts;
  httpUserAgents: Facts;
  httpServers: Facts;
  dhcpVendorClasses: Facts;
  /** DHCP option 55 lists ("1,3,6,15") */
  dhcpFingerprints: Facts;
  tlsSni: Facts;
  ja3: Facts;
  /** model names announced by mDNS TXT records, SNMP sysDescr and UPnP device descriptions */
  announcedModels: Facts;
  /** manufacturer names a device declared itself (UPnP device description `manufacturer`) */
  announcedManufacturers: Facts;
  /** human-readable names a device gave itself (UPnP `friendlyName`) */
  friendlyNames: Facts;
  /** serial numbers a device declared (UPnP `serialNumber`) */
  serialNumbers: Facts;
  /** UPnP unique device names ("uuid:...") of the root device */
  upnpUdns: Facts;
  /** UPnP device types, root and embedded ("urn:schemas-upnp-org:device:Printer:1") */
  upnpDeviceTypes: Facts;
  /** UPnP `modelDescription` texts ("Patient Monitor") */
  modelDescriptions: Facts;
  dicom: DicomActivity;
  services: Map<string, ServiceUse>;
  peers: Set<string>;
  peersOverflow: boolean;
  findings: Map<string, ProfileFinding>;
  firstFrame: number;
  lastFrame: number;
  firstTs: number;
  lastTs: number;
  packets: number;
  bytes: number;
}

export const PROFILE_LIMITS = {
  /** values per fact list */
  facts: 32,
  /** services (protocol, role, port) per endpoint */
  services: 64,
  peers: 256,
  /** finding codes per endpoint and evidence frames kept per code */
  findings: 64,
  findingFrames: 16,
} as const;

export function newProfile(key: string, frame: number, ts: number): EndpointProfile {
  const facts = (): Facts => new FactList();
  return {
    key,
    macs: facts(), ips: facts(), hostnames: facts(), aeTitles: facts(), hl7Applications: facts(), hl7MessagesSent: facts(),
    mqttClientIds: facts(), dicomImplementations: facts(), software: facts(), httpUserAgents: facts(), httpServers: facts(),
    dhcpVendorClasses: facts(), dhcpFingerprints: facts(), tlsSni: facts(), ja3: facts(), announcedModels: facts(),
    announcedManufacturers: facts(), friendlyNames: facts(), serialNumbers: facts(), upnpUdns: facts(), upnpDeviceTypes: facts(), modelDescriptions: facts(),
    dicom: { storesSent: facts(), storesReceived: facts(), deviceHints: facts() },
    services: new Map(), peers: new Set(), peersOverflow: false, findings: new Map(),
    firstFrame: frame, lastFrame: frame, firstTs: ts, lastTs: ts, packets: 0, bytes: 0,
  };
}

/** Records a value with its first frame (bounded; values beyond the cap are dropped). */
export function addFact(facts: Facts, value: unknown, frame: number, maxLength = 256): void {
  if (typeof value !== 'string') return;
  const v = value.trim();
  if (v.length === 0 || v.length > maxLength) return;
  const seen = facts.get(v);
  if (seen !== undefined) {
    if (frame < seen) facts.set(v, frame);
    return;
  }
  if (facts.size < PROFILE_LIMITS.facts) facts.set(v, frame);
}

export function touch(p: EndpointProfile, frame: number, ts: number): void {
  if (frame < p.firstFrame) p.firstFrame = frame;
  if (frame > p.lastFrame) p.lastFrame = frame;
  if (ts < p.firstTs) p.firstTs = ts;
  if (ts > p.lastTs) p.lastTs = ts;
}

export function addService(p: EndpointProfile, protocol: string, role: 'client' | 'server', port: number, frame: number): void {
  const key = `${protocol}/${role}/${port}`;
  const s = p.services.get(key);
  if (s) {
    s.flows++;
    if (frame < s.firstFrame) s.firstFrame = frame;
  } else if (p.services.size < PROFILE_LIMITS.services) {
    p.services.set(key, { protocol, role, port, flows: 1, firstFrame: frame });
  }
}

export function addPeer(p: EndpointProfile, peer: string): void {
  if (p.peers.has(peer)) return;
  if (p.peers.size < PROFILE_LIMITS.peers) p.peers.add(peer);
  else p.peersOverflow = true;
}

export function addFinding(p: EndpointProfile, code: string, severity: Severity, message: string, frame: number): void {
  const f = p.findings.get(code);
  if (f) {
    f.count++;
    if (f.frames.length < PROFILE_LIMITS.findingFrames) f.frames.push(frame);
  } else if (p.findings.size < PROFILE_LIMITS.findings) {
    p.findings.set(code, { code, severity, message, count: 1, frames: [frame] });
  }
}

/** The service uses of one protocol and role. */
export function servicesOf(p: EndpointProfile, protocol: string, role: 'client' | 'server'): ServiceUse[] {
  const out: ServiceUse[] = [];
  for (const s of p.services.values()) if (s.protocol === protocol && s.role === role) out.push(s);
  return out;
}

/** First frame among a fact list (or undefined when empty). */
export function firstFrameOf(facts: Facts): number | undefined {
  let min: number | undefined;
  for (const f of facts.values()) if (min === undefined || f < min) min = f;
  return min;
}

function mergeFacts(into: Facts, from: Facts): void {
  for (const [v, f] of from) {
    const seen = into.get(v);
    if (seen === undefined ? into.size < PROFILE_LIMITS.facts : f < seen) into.set(v, f);
  }
}

const FACT_LISTS = ['macs', 'ips', 'hostnames', 'aeTitles', 'hl7Applications', 'hl7MessagesSent', 'mqttClientIds', 'dicomImplementations', 'software', 'httpUserAgents', 'httpServers', 'dhcpVendorClasses', 'dhcpFingerprints', 'tlsSni', 'ja3', 'announcedModels', 'announcedManufacturers', 'friendlyNames', 'serialNumbers', 'upnpUdns', 'upnpDeviceTypes', 'modelDescriptions'] as const;

/** Folds `from` into `into` (two addresses of one interface: IPv4 and IPv6, or a DHCP-only sighting). */
export function mergeProfile(into: EndpointProfile, from: EndpointProfile): void {
  for (const name of FACT_LISTS) mergeFacts(into[name], from[name]);
  mergeFacts(into.dicom.storesSent, from.dicom.storesSent);
  mergeFacts(into.dicom.storesReceived, from.dicom.storesReceived);
  mergeFacts(into.dicom.deviceHints, from.dicom.deviceHints);
  for (const k of ['acceptedAssociation', 'worklistQuery'] as const) {
    const f = from.dicom[k];
    if (f !== undefined && (into.dicom[k] === undefined || f < into.dicom[k]!)) into.dicom[k] = f;
  }
  for (const s of from.services.values()) {
    const key = `${s.protocol}/${s.role}/${s.port}`;
    const cur = into.services.get(key);
    if (cur) {
      cur.flows += s.flows;
      cur.firstFrame = Math.min(cur.firstFrame, s.firstFrame);
    } else if (into.services.size < PROFILE_LIMITS.services) into.services.set(key, { ...s });
  }
  for (const peer of from.peers) addPeer(into, peer);
  into.peersOverflow ||= from.peersOverflow;
  for (const f of from.findings.values()) {
    const cur = into.findings.get(f.code);
    if (cur) {
      cur.count += f.count;
      cur.frames = [...cur.frames, ...f.frames].sort((a, b) => a - b).slice(0, PROFILE_LIMITS.findingFrames);
    } else if (into.findings.size < PROFILE_LIMITS.findings) into.findings.set(f.code, { ...f, frames: [...f.frames] });
  }
  touch(into, from.firstFrame, from.firstTs);
  touch(into, from.lastFrame, from.lastTs);
  into.packets += from.packets;
  into.bytes += from.bytes;
}
