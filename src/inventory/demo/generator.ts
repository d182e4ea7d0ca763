/**
 * @module The deterministic demo hospital generator. The same seed and count give the same
 * devices, byte for byte, on every run and platform. Devices stream one at a time (memory does
 * not grow with the count), and every identifier a merge could key on (serial, asset tag, MAC,
 * AE title) is unique, so importing N generated devices yields exactly N inventory records.
 */
import type { Criticality, DeviceReport, LifecycleStatus, NetworkIdentities, PhiHandling, Provenance } from '../model.js';
import { getCategory } from '../taxonomy.js';
import { modelTable, ouiOf, profileOf } from './catalog.js';
import { allocateIp, buildLayout, roomFor } from './layout.js';
import { hash32, permute24, Prng, WeightedTable } from './prng.js';

export interface DemoOptions {
  seed: number;
  count: number;
}

export interface DemoDevice {
  name: string;
  category: string;
  manufacturer: string;
  model: string;
  serialNumber: string;
  assetTag: string;
  firmwareVersion: string;
  softwareVersion?: string;
  operatingSystem?: string;
  criticality: Criticality;
  phiHandling: PhiHandling;
  owner: string;
  status: LifecycleStatus;
  endOfSupport?: string;
  site: string;
  building: string;
  floor: string;
  unit: string;
  room: string;
  network: NetworkIdentities;
}

/** Identifiers derive from a 24-bit permutation of the device index. */
export const MAX_DEMO_DEVICES = 1 << 24;

const STATUS = new WeightedTable<[LifecycleStatus, number]>(
  [
    ['in-service', 86],
    ['spare', 5],
    ['maintenance', 4],
    ['retired', 2.5],
    ['planned', 1.5],
    ['quarantined', 0.5],
    ['disposed', 0.5],
  ],
  ([, w]) => w,
);

const HIGH_ACUITY = new Set(['icu', 'nicu', 'or']);
const VASOACTIVE_CAPABLE = new Set(['infusion-pump', 'syringe-pump']);

export function* generateDemoDevices(options: DemoOptions): Generator<DemoDevice, void, undefined> {
  const count = Math.floor(options.count);
  if (!(count >= 0 && count <= MAX_DEMO_DEVICES)) throw new RangeError(`count must be between 0 and ${MAX_DEMO_DEVICES}`);
  const seed = options.seed >>> 0;
  const rng = new Prng(seed);
  const layout = buildLayout(count, new Prng(seed ^ 0x5eed1a70));
  const serialKey = hash32(`serial:${seed}`) & 0xffffff;
  const macKey = hash32(`mac:${seed}`) & 0xffffff;
  const assetKey = hash32(`asset:${seed}`) & 0xffffff;
  for (let i = 0; i < count; i++) {
    const unit = layout.unitTable.pick(rng);
    const category = unit.mix.pick(rng);
    const model = modelTable(category).pick(rng);
    const profile = profileOf(category);
    const taxonomy = getCategory(category);
    const status = STATUS.pick(rng)[0];
    let criticality: Criticality = taxonomy?.defaultCriticality ?? 'non-clinical';
    if (VASOACTIVE_CAPABLE.has(category) && HIGH_ACUITY.has(unit.type.id) && rng.chance(0.25)) criticality = 'life-sustaining';
    const n = (unit.counters.get(category) ?? 0) + 1;
    unit.counters.set(category, n);

    const network: NetworkIdentities = { macs: [], ips: [], hostnames: [], aeTitles: [], hl7Applications: [] };
    const attached = status !== 'planned' && status !== 'disposed' && (status !== 'retired' || rng.chance(0.3));
    if (attached && rng.chance(profile.networked)) {
      const suffix = permute24(i, macKey);
      network.macs.push(`${ouiOf(model.manufacturer)}:${hex2(suffix >>> 16)}:${hex2((suffix >>> 8) & 0xff)}:${hex2(suffix & 0xff)}`);
      const ip = allocateIp(unit);
      if (ip) network.ips.push(ip);
      const tag = i.toString(36).padStart(4, '0');
      if (rng.chance(profile.named)) network.hostnames.push(`${unit.site.code}-${unit.code}-${profile.code}-${tag}`.toLowerCase());
      if (profile.protocol === 'dicom') network.aeTitles.push(`${profile.code}_${unit.site.code}_${tag.toUpperCase()}`.slice(0, 16));
      if (profile.protocol === 'hl7') network.hl7Applications.push(`${hl7Name(model.model)}_${tag.toUpperCase()}^${unit.site.code}`);
    }

    const device: DemoDevice = {
      name: `${unit.code} ${taxonomy?.label ?? category} ${n}`,
      category,
      manufacturer: model.manufacturer,
      model: model.model,
      serialNumber: `${serialPrefix(model.manufacturer, model.model)}${String(permute24(i, serialKey)).padStart(8, '0')}`,
      assetTag: `${unit.site.code}-${String(permute24(i, assetKey)).padStart(8, '0')}`,
      firmwareVersion: rng.pick(model.firmware),
      criticality,
      phiHandling: taxonomy?.typicalPhi ?? 'unknown',
      owner: profile.owner,
      status,
      site: unit.site.name,
      building: unit.building,
      floor: unit.floor,
      unit: unit.name,
      room: roomFor(unit, rng),
      network,
    };
    if (model.software.length) device.softwareVersion = rng.pick(model.software);
    if (model.os.length) device.operatingSystem = rng.pick(model.os);
    if (model.endOfSupport) device.endOfSupport = model.endOfSupport;
    yield device;
  }
}

/** The DeviceReport a demo device becomes: every attribute, with the given provenance. */
export function demoDeviceToReport(d: DemoDevice, provenance: Provenance): DeviceReport {
  const { network, ...attributes } = d;
  const report: DeviceReport = { attributes, provenance };
  const net: Partial<NetworkIdentities> = {};
  for (const [k, v] of Object.entries(network) as [keyof NetworkIdentities, string[]][]) if (v.length) net[k] = v;
  if (Object.keys(net).length) report.network = net;
  return report;
}

function hex2(b: number): string {
  return b.toString(16).padStart(2, '0');
}

const PREFIXES = new Map<string, string>();

/** Two letters from the maker and a model-dependent letter, e.g. "PH" + "K" for a Philips model. */
function serialPrefix(manufacturer: string, model: string): string {
  const key = `${manufacturer}\u0000${model}`;
  let prefix = PREFIXES.get(key);
  if (!prefix) {
    const letters = manufacturer.normalize('NFKD').replace(/[^A-Za-z]/g, '').toUpperCase();
    const h = hash32(model);
    prefix = (letters.slice(0, 2) || 'XX') + String.fromCharCode(65 + (h % 26));
    PREFIXES.set(key, prefix);
  }
  return prefix;
}

function hl7Name(model: string): string {
  return model.toUpperCase().replace(/[^A-Z0-9]+/g, '').slice(0, 10) || 'DEVICE';
}
