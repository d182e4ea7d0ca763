/**
 * @module Discovered devices: a profile turned into a plain, serialisable summary with its inferred
 * category/manufacturer/model and the rules that fired, and those summaries turned into inventory
 * DeviceReports. A loopback IP alone identifies nothing on the network, so a loopback profile
 * becomes a device only with an application identity (AE title, HL7 application, host name, MQTT id,
 * UPnP friendly name);
 * a profile with neither an address nor a merge key could not be found again, so it is not reported.
 */
import { isIdentifyingAeTitle, isIdentifyingMac, type DeviceAttributes, type DeviceReport } from '../../inventory/index.js';
import { isLoopbackIp } from './builder.js';
import type { EndpointProfile, Facts, ProfileFinding, ServiceUse } from './profile.js';
import { UPNP_MANUFACTURER_RULE, inferProfile, type Inference, type InferredValue, type RuleContext } from './rules.js';

export interface DiscoveredDevice {
  key: string;
  /** what the profile is keyed by */
  identity: 'mac' | 'ip' | 'ip+ae';
  /** a device report can be made: not a bare loopback address, and an address or a merge key to find it again by */
  reportable: boolean;
  /** a key the inventory merges on: an identifying MAC or AE title */
  hasMergeKey: boolean;
  name: string;
  macs: string[];
  vendor?: string;
  ips: string[];
  hostnames: string[];
  aeTitles: string[];
  hl7Applications: string[];
  hl7MessagesSent: string[];
  mqttClientIds: string[];
  dicomImplementations: string[];
  software: string[];
  httpUserAgents: string[];
  httpServers: string[];
  dhcpVendorClasses: string[];
  dhcpFingerprints: string[];
  tlsSni: string[];
  ja3: string[];
  /** names the device gave itself (UPnP friendlyName) */
  friendlyNames: string[];
  /** serial numbers the device declared (UPnP serialNumber) */
  serialNumbers: string[];
  /** the first frame that showed each serial number (same order as serialNumbers) */
  serialNumberFrames: number[];
  /** the first frame that showed each AE title (same order as aeTitles) */
  aeTitleFrames: number[];
  /** UPnP unique device names */
  upnpUdns: string[];
  upnpDeviceTypes: string[];
  services: ServiceUse[];
  peers: number;
  peersOverflow: boolean;
  packets: number;
  bytes: number;
  firstFrame: number;
  lastFrame: number;
  firstSeen: string;
  lastSeen: string;
  category?: InferredValue;
  manufacturer?: InferredValue;
  model?: InferredValue;
  operatingSystem?: InferredValue;
  rules: Inference['fired'];
  findings: ProfileFinding[];
}

// most lists are empty or hold one value: those need no pairs and no sort
const byFrame = (f: Facts): Array<[string, number]> => [...f].sort((a, b) => a[1] - b[1]);
const list = (f: Facts): string[] => (f.size === 0 ? [] : f.size === 1 ? [...f.keys()] : byFrame(f).map(([v]) => v));
const frames = (f: Facts): number[] => (f.size === 0 ? [] : f.size === 1 ? [...f.values()] : byFrame(f).map(([, frame]) => frame));
const iso = (us: number): string => new Date(Math.floor(us / 1000)).toISOString();

export function describeProfile(p: EndpointProfile, ctx: RuleContext): DiscoveredDevice {
  const inf = inferProfile(p, ctx);
  const macs = list(p.macs);
  const ips = list(p.ips);
  const aeTitles = list(p.aeTitles);
  const hostnames = list(p.hostnames);
  const hl7Applications = list(p.hl7Applications);
  const mqttClientIds = list(p.mqttClientIds);
  const friendlyNames = list(p.friendlyNames);
  const identifyingMac = macs.some(isIdentifyingMac);
  const onlyLoopback = !identifyingMac && ips.length > 0 && ips.every(isLoopbackIp);
  const appIdentity = aeTitles.length + hostnames.length + hl7Applications.length + mqttClientIds.length + friendlyNames.length > 0;
  const vendor = macs.map((m) => ctx.vendorOf(m)).find((v) => v !== undefined);
  const mergeKey = identifyingMac || aeTitles.some(isIdentifyingAeTitle);
  return {
    key: p.key,
    identity: p.key.startsWith('mac:') ? 'mac' : p.key.includes('/ae:') ? 'ip+ae' : 'ip',
    reportable: (!onlyLoopback || appIdentity) && (ips.length > 0 || mergeKey),
    hasMergeKey: mergeKey,
    name: aeTitles[0] ?? hostnames[0] ?? friendlyNames[0] ?? hl7Applications[0] ?? mqttClientIds[0] ?? ips[0] ?? macs[0] ?? p.key,
    macs,
    ...(vendor === undefined ? {} : { vendor }),
    ips,
    hostnames,
    aeTitles,
    hl7Applications,
    hl7MessagesSent: list(p.hl7MessagesSent),
    mqttClientIds,
    dicomImplementations: list(p.dicomImplementations),
    software: list(p.software),
    httpUserAgents: list(p.httpUserAgents),
    httpServers: list(p.httpServers),
    dhcpVendorClasses: list(p.dhcpVendorClasses),
    dhcpFingerprints: list(p.dhcpFingerprints),
    tlsSni: list(p.tlsSni),
    ja3: list(p.ja3),
    friendlyNames,
    serialNumbers: list(p.serialNumbers),
    serialNumberFrames: frames(p.serialNumbers),
    aeTitleFrames: frames(p.aeTitles),
    upnpUdns: list(p.upnpUdns),
    upnpDeviceTypes: list(p.upnpDeviceTypes),
    services: [...p.services.values()].sort((a, b) => a.firstFrame - b.firstFrame),
    peers: p.peers.size,
    peersOverflow: p.peersOverflow,
    packets: p.packets,
    bytes: p.bytes,
    firstFrame: p.firstFrame,
    lastFrame: p.lastFrame,
    firstSeen: iso(p.firstTs),
    lastSeen: iso(p.lastTs),
    ...(inf.category ? { category: inf.category } : {}),
    ...(inf.manufacturer ? { manufacturer: inf.manufacturer } : {}),
    ...(inf.model ? { model: inf.model } : {}),
    ...(inf.operatingSystem ? { operatingSystem: inf.operatingSystem } : {}),
    rules: inf.fired,
    findings: [...p.findings.values()],
  };
}

export interface ToReportsOptions {
  /** the capture name: provenance source becomes "discovery:<source>" */
  source: string;
  /** ISO-8601 time of the observation (e.g. the capture's last packet) */
  observedAt: string;
}

/** Confidence of the identifiers themselves: they were seen on the wire, not inferred. */
export const IDENTIFIER_CONFIDENCE = 0.6;

/**
 * The reports for one device: the first carries the identifiers (and the attributes seen directly),
 * each later one an inferred attribute at its own rule's confidence, with the same identifiers so
 * the inventory merges them into the same device.
 */
export function toDeviceReportGroup(d: DiscoveredDevice, opts: ToReportsOptions): DeviceReport[] {
  const provenance = (confidence: number) => ({ source: `discovery:${opts.source}`, kind: 'discovery' as const, confidence, observedAt: opts.observedAt });
  const network = {
    macs: d.macs.filter(isIdentifyingMac),
    ips: d.ips,
    hostnames: d.hostnames,
    aeTitles: d.aeTitles,
    hl7Applications: d.hl7Applications,
  };
  const seen: DeviceAttributes = { name: d.name };
  const software = d.software[0] ?? d.dicomImplementations[0];
  if (software) seen.softwareVersion = software;
  const reports: DeviceReport[] = [{ attributes: seen, network, provenance: provenance(IDENTIFIER_CONFIDENCE) }];
  const byConfidence = new Map<number, DeviceAttributes>();
  for (const attr of ['category', 'manufacturer', 'model', 'operatingSystem'] as const) {
    const v = d[attr];
    if (!v) continue;
    const attrs = byConfidence.get(v.confidence) ?? {};
    attrs[attr] = v.value;
    byConfidence.set(v.confidence, attrs);
  }
  const serial = declaredSerial(d);
  if (serial) {
    const attrs = byConfidence.get(serial.manufacturer.confidence);
    if (attrs) attrs.serialNumber = serial.value;
  }
  for (const [confidence, attributes] of [...byConfidence].sort((a, b) => b[0] - a[0])) reports.push({ attributes, network, provenance: provenance(confidence) });
  return reports;
}

/**
 * The serial number a device's report carries, with the manufacturer it travels with and the frame
 * that showed it. A serial identifies a device only within its maker's numbering: only one a UPnP
 * description declared together with the manufacturer that description named (`upnp.manufacturer`),
 * never on its own, and none when the device declared several.
 */
export function declaredSerial(d: DiscoveredDevice): { value: string; frame?: number; manufacturer: InferredValue } | undefined {
  const value = d.serialNumbers[0];
  if (value === undefined || d.serialNumbers.length !== 1 || d.manufacturer?.rule !== UPNP_MANUFACTURER_RULE) return undefined;
  const frame = d.serialNumberFrames[0];
  return frame === undefined ? { value, manufacturer: d.manufacturer } : { value, frame, manufacturer: d.manufacturer };
}

/** One group of reports per reportable device (see toDeviceReportGroup). */
export function toDeviceReportGroups(devices: readonly DiscoveredDevice[], opts: ToReportsOptions): DeviceReport[][] {
  return devices.filter((d) => d.reportable).map((d) => toDeviceReportGroup(d, opts));
}

export function toDeviceReports(devices: readonly DiscoveredDevice[], opts: ToReportsOptions): DeviceReport[] {
  return toDeviceReportGroups(devices, opts).flat();
}
