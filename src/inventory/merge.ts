/**
 * @module Pure identity-merge rules: how a report changes a device, how a manual edit does, and
 * how several records found to be one device fold together. Precedence for each attribute:
 * a manual value beats any source; otherwise higher confidence wins; at equal confidence the
 * newer observation wins. Inferred values (criticality and PHI defaults from the category) lose
 * to everything. A repeated value never rewrites provenance unless the new source ranks strictly
 * higher, so re-applying the same data changes nothing.
 */
import {
  DEVICE_ATTRIBUTE_NAMES,
  type Device,
  type DeviceAttributeName,
  type DeviceAttributes,
  type NetworkIdentities,
  type Provenance,
} from './model.js';
import type { NormalizedReport } from './report.js';
import { NETWORK_KINDS, emptyNetwork } from './report.js';
import { getCategory } from './taxonomy.js';

export interface MergeResult {
  device: Device;
  /** attributes whose value changed */
  changed: DeviceAttributeName[];
  networkChanged: boolean;
  /** anything at all changed (values, provenance, sources, first/last seen) */
  written: boolean;
}

/** Confidence given to values CareGuard infers itself; any reported value outranks them. */
export const INFERRED_CONFIDENCE = 0.1;
/** At most this many sources are listed per device (the most recent ones). */
export const MAX_SOURCES = 32;

const classOf = (p: Provenance): number => (p.kind === 'manual' ? 2 : p.kind === 'inferred' ? 0 : 1);

/** > 0 when `a` ranks above `b` by kind and confidence alone. */
function compareAuthority(a: Provenance, b: Provenance): number {
  return classOf(a) - classOf(b) || a.confidence - b.confidence;
}

/** > 0 when `a` ranks above `b`: kind, then confidence, then the newer observation. */
export function compareProvenance(a: Provenance, b: Provenance): number {
  return compareAuthority(a, b) || (a.observedAt < b.observedAt ? -1 : a.observedAt > b.observedAt ? 1 : 0);
}

/**
 * Whether a reported value replaces the current one. At an exact tie the same source may correct
 * itself; another source may not, so two sources disagreeing at one instant do not flip-flop.
 */
export function outranks(candidate: Provenance, incumbent: Provenance | undefined): boolean {
  if (!incumbent) return true;
  const c = compareProvenance(candidate, incumbent);
  return c > 0 || (c === 0 && candidate.source === incumbent.source);
}

/** Discovery and agents observe the device itself; imports and edits describe a record of it. */
const isSighting = (p: Provenance): boolean => p.kind === 'discovery' || p.kind === 'agent';

/** What a new device starts from (cloned, never changed itself). */
const BLANK: Device = { id: '', network: emptyNetwork(), firstSeen: '', lastSeen: '', createdAt: '', updatedAt: '', provenance: {}, sources: [] };

export function createDevice(id: string, report: NormalizedReport, now: string): MergeResult {
  const seen = report.provenance.observedAt;
  // Clone the template and fill in its fields: every key already exists, so the shape stays the one all devices share.
  const blank = cloneDevice(BLANK);
  blank.id = id;
  blank.firstSeen = seen;
  blank.lastSeen = seen;
  blank.createdAt = now;
  blank.updatedAt = now;
  const result = mergeInto(blank, blank, report, now);
  result.written = true;
  return result;
}

export function mergeReport(current: Device, report: NormalizedReport, now: string): MergeResult {
  return mergeInto(cloneDevice(current), current, report, now);
}

/** Applies the report to `device` (a private copy of `current`, modified in place). */
function mergeInto(device: Device, current: Device, report: NormalizedReport, now: string): MergeResult {
  const p = report.provenance;
  const changed: DeviceAttributeName[] = [];
  let written = false;
  for (const name of DEVICE_ATTRIBUTE_NAMES) {
    const value = report.attributes[name];
    if (value === undefined) continue;
    const incumbent = device.provenance[name];
    if (device[name] === value) {
      if (incumbent === undefined || compareAuthority(p, incumbent) > 0) {
        device.provenance[name] = p;
        written = true;
      }
    } else if (outranks(p, incumbent)) {
      setAttribute(device, name, value);
      device.provenance[name] = p;
      changed.push(name);
    }
  }
  const networkChanged = unionNetwork(device.network, report.network);
  if (networkChanged) device.provenance.network = p;
  if (addSource(device, p.source)) written = true;
  if (isSighting(p)) {
    if (p.observedAt < device.firstSeen) {
      device.firstSeen = p.observedAt;
      written = true;
    }
    if (p.observedAt > device.lastSeen) {
      device.lastSeen = p.observedAt;
      written = true;
    }
  }
  changed.push(...applyInferredDefaults(device, p.observedAt));
  return finish(current, device, changed, networkChanged, written, now);
}

/** A person's edit: values set or (null) cleared with manual provenance; given network lists replace the old ones. */
export function applyPatch(
  current: Device,
  attributes: Partial<Record<DeviceAttributeName, string | null>>,
  network: Partial<NetworkIdentities>,
  p: Provenance,
  now: string,
): MergeResult {
  const device = cloneDevice(current);
  const changed: DeviceAttributeName[] = [];
  let written = false;
  for (const name of DEVICE_ATTRIBUTE_NAMES) {
    const value = attributes[name];
    if (value === undefined) continue;
    const incumbent = device.provenance[name];
    if (value === null) {
      if (device[name] !== undefined) {
        device[name] = undefined;
        changed.push(name);
      } else if (incumbent?.kind === 'manual') continue;
      device.provenance[name] = p;
      written = true;
    } else if (device[name] !== value) {
      setAttribute(device, name, value);
      device.provenance[name] = p;
      changed.push(name);
    } else if (incumbent?.kind !== 'manual') {
      device.provenance[name] = p;
      written = true;
    }
  }
  let networkChanged = false;
  for (const kind of NETWORK_KINDS) {
    const list = network[kind];
    if (list === undefined || sameList(list, device.network[kind])) continue;
    device.network[kind] = [...list];
    networkChanged = true;
  }
  if (networkChanged) device.provenance.network = p;
  if (addSource(device, p.source)) written = true;
  changed.push(...applyInferredDefaults(device, p.observedAt));
  return finish(current, device, changed, networkChanged, written, now);
}

/**
 * Folds records that one report showed to be the same device. The earliest-created record
 * survives (its id stays valid); every attribute takes the best-ranked value among them, network
 * identities and sources are united, first/last seen span them all.
 */
export function foldDevices(devices: readonly Device[], now: string): { device: Device; mergedFrom: string[] } {
  const ordered = [...devices].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
  const survivor = ordered[0];
  if (!survivor) throw new Error('foldDevices needs at least one device');
  const device = cloneDevice(survivor);
  for (const other of ordered.slice(1)) {
    for (const name of DEVICE_ATTRIBUTE_NAMES) {
      const theirs = other.provenance[name];
      if (other[name] === undefined && theirs === undefined) continue;
      const ours = device.provenance[name];
      const useTheirs = device[name] === undefined && ours === undefined ? true : theirs !== undefined && ours !== undefined && compareProvenance(theirs, ours) > 0;
      if (!useTheirs) continue;
      const value = other[name];
      if (value === undefined) device[name] = undefined;
      else setAttribute(device, name, value);
      device.provenance[name] = theirs;
    }
    unionNetwork(device.network, other.network);
    const theirNet = other.provenance.network;
    const ourNet = device.provenance.network;
    if (theirNet && (!ourNet || theirNet.observedAt > ourNet.observedAt)) device.provenance.network = theirNet;
    for (const s of other.sources ?? []) addSource(device, s);
    if (other.firstSeen < device.firstSeen) device.firstSeen = other.firstSeen;
    if (other.lastSeen > device.lastSeen) device.lastSeen = other.lastSeen;
  }
  device.updatedAt = now;
  return { device, mergedFrom: ordered.slice(1).map((d) => d.id) };
}

/** Criticality and PHI handling follow the category's defaults until some source states them. */
export function applyInferredDefaults(device: Device, observedAt: string): DeviceAttributeName[] {
  const category = device.category ? getCategory(device.category) : undefined;
  if (!category) return [];
  const changed: DeviceAttributeName[] = [];
  const defaults: Array<[DeviceAttributeName, string]> = [['criticality', category.defaultCriticality]];
  if (category.typicalPhi !== 'unknown') defaults.push(['phiHandling', category.typicalPhi]);
  for (const [name, value] of defaults) {
    const p = device.provenance[name];
    if (p !== undefined && p.kind !== 'inferred') continue;
    if (device[name] === value) continue;
    setAttribute(device, name, value);
    device.provenance[name] = { source: `taxonomy:${category.id}`, kind: 'inferred', confidence: INFERRED_CONFIDENCE, observedAt };
    changed.push(name);
  }
  return changed;
}

function finish(before: Device, device: Device, changed: DeviceAttributeName[], networkChanged: boolean, written: boolean, now: string): MergeResult {
  const any = written || networkChanged || changed.length > 0;
  if (!any) return { device: before, changed: [], networkChanged: false, written: false };
  device.updatedAt = now;
  // Each attribute is pushed at most once: inferred defaults skip attributes a report just set.
  return { device, changed, networkChanged, written: true };
}

function setAttribute(device: Device, name: DeviceAttributeName, value: string): void {
  (device as DeviceAttributes as Record<string, string>)[name] = value;
}

/**
 * A copy with every attribute and provenance key present (absent ones undefined, which JSON
 * omits) in one fixed order: all devices then share one object shape, which keeps the merge
 * loop's keyed reads and writes fast on a 100,000-row import.
 */
export function cloneDevice(d: Device): Device {
  const p = d.provenance;
  return {
    id: d.id,
    name: d.name,
    category: d.category,
    manufacturer: d.manufacturer,
    model: d.model,
    serialNumber: d.serialNumber,
    assetTag: d.assetTag,
    firmwareVersion: d.firmwareVersion,
    softwareVersion: d.softwareVersion,
    operatingSystem: d.operatingSystem,
    criticality: d.criticality,
    phiHandling: d.phiHandling,
    owner: d.owner,
    status: d.status,
    endOfSupport: d.endOfSupport,
    site: d.site,
    building: d.building,
    floor: d.floor,
    unit: d.unit,
    room: d.room,
    network: cloneNetwork(d.network),
    firstSeen: d.firstSeen,
    lastSeen: d.lastSeen,
    createdAt: d.createdAt,
    updatedAt: d.updatedAt,
    provenance: {
      name: p.name,
      category: p.category,
      manufacturer: p.manufacturer,
      model: p.model,
      serialNumber: p.serialNumber,
      assetTag: p.assetTag,
      firmwareVersion: p.firmwareVersion,
      softwareVersion: p.softwareVersion,
      operatingSystem: p.operatingSystem,
      criticality: p.criticality,
      phiHandling: p.phiHandling,
      owner: p.owner,
      status: p.status,
      endOfSupport: p.endOfSupport,
      site: p.site,
      building: p.building,
      floor: p.floor,
      unit: p.unit,
      room: p.room,
      network: p.network,
    },
    sources: [...(d.sources ?? [])],
  };
}

function cloneNetwork(n: NetworkIdentities): NetworkIdentities {
  return { macs: [...n.macs], ips: [...n.ips], hostnames: [...n.hostnames], aeTitles: [...n.aeTitles], hl7Applications: [...n.hl7Applications] };
}

/** Adds the values of `extra` missing from `target` (in place); true when something was added. */
function unionNetwork(target: NetworkIdentities, extra: Partial<NetworkIdentities>): boolean {
  let added = false;
  for (const kind of NETWORK_KINDS) {
    for (const v of extra[kind] ?? []) {
      if (!target[kind].includes(v)) {
        target[kind].push(v);
        added = true;
      }
    }
  }
  return added;
}

/** Adds `source` to the device's own list (every caller changes a private copy), keeping the newest MAX_SOURCES. */
function addSource(device: Device, source: string): boolean {
  const sources = (device.sources ??= []);
  if (sources.includes(source)) return false;
  sources.push(source);
  if (sources.length > MAX_SOURCES) sources.splice(0, sources.length - MAX_SOURCES);
  return true;
}

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
