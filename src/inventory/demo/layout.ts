/**
 * @module The demo hospital's physical and network layout: sites (a medical center, community
 * hospitals, outpatient centers; more of them as the device count grows), their buildings, floors
 * and units, and one VLAN with its own 10.x address block per unit. Built afresh for every
 * generation run because units hand out addresses and per-unit numbering as devices are placed.
 */
import { Prng, WeightedTable } from './prng.js';
import { SITE_TEMPLATES, UNIT_TYPES, type UnitType } from './units.js';

type SiteKind = keyof typeof SITE_TEMPLATES;

export interface DemoSite {
  index: number;
  name: string;
  code: string;
  kind: SiteKind;
}

export interface DemoUnit {
  site: DemoSite;
  /** position of the unit in its site: VLAN and address block */
  index: number;
  code: string;
  name: string;
  type: UnitType;
  building: string;
  floor: string;
  rooms: number;
  vlan: number;
  mix: WeightedTable<string>;
  /** hosts already addressed in the unit's block */
  hosts: number;
  /** per-category numbering for device names */
  counters: Map<string, number>;
}

const SITE_NAMES = [
  ['Riverside Medical Center', 'RMC'],
  ['Northgate Community Hospital', 'NCH'],
  ['Lakeview Outpatient Center', 'LOC'],
  ['St. Brendan Medical Center', 'SBM'],
  ['Eastfield Community Hospital', 'ECH'],
  ['Harbor Point Outpatient Center', 'HPO'],
  ['Mercy Valley Medical Center', 'MVM'],
  ['Westbrook Community Hospital', 'WCH'],
  ['Pinecrest Outpatient Center', 'PCO'],
  ['Summit Regional Medical Center', 'SRM'],
  ['Oakridge Community Hospital', 'OCH'],
  ['Meadowlands Outpatient Center', 'MOC'],
] as const;

const KINDS: readonly SiteKind[] = ['medical-center', 'community', 'outpatient'];

const SITE_SCALE: Record<SiteKind, number> = { 'medical-center': 1, community: 0.6, outpatient: 0.4 };

const BUILDINGS: Record<SiteKind, Record<UnitType['building'], string>> = {
  'medical-center': {
    main: 'Main Tower',
    heart: 'Heart & Vascular Pavilion',
    cancer: 'Cancer Center',
    women: "Women's & Children's Pavilion",
    support: 'Support Services Building',
    clinic: 'Medical Office Building',
  },
  community: { main: 'Main Building', heart: 'Main Building', cancer: 'Main Building', women: 'Main Building', support: 'Support Building', clinic: 'Main Building' },
  outpatient: { main: 'Outpatient Pavilion', heart: 'Outpatient Pavilion', cancer: 'Outpatient Pavilion', women: 'Outpatient Pavilion', support: 'Outpatient Pavilion', clinic: 'Outpatient Pavilion' },
};

/** Hosts per unit: four /24 blocks less the first ten addresses of each. */
export const HOSTS_PER_UNIT = 4 * 240;

export const MAX_SITES = 64;

export function siteCount(devices: number): number {
  return Math.min(MAX_SITES, Math.max(1, Math.ceil(devices / 2500)));
}

export interface DemoLayout {
  sites: DemoSite[];
  units: DemoUnit[];
  /** picks the unit a new device is placed in */
  unitTable: WeightedTable<DemoUnit>;
}

export function buildLayout(devices: number, rng: Prng): DemoLayout {
  const sites: DemoSite[] = [];
  const units: DemoUnit[] = [];
  const n = siteCount(devices);
  for (let i = 0; i < n; i++) {
    const [baseName, baseCode] = SITE_NAMES[i % SITE_NAMES.length]!;
    const campus = Math.floor(i / SITE_NAMES.length);
    const site: DemoSite = {
      index: i,
      name: campus === 0 ? baseName : `${baseName} - Campus ${campus + 1}`,
      code: campus === 0 ? baseCode : `${baseCode}${campus + 1}`,
      kind: KINDS[i % KINDS.length]!,
    };
    sites.push(site);
    SITE_TEMPLATES[site.kind].forEach(([code, typeId, name], index) => {
      const type = UNIT_TYPES[typeId]!;
      const building = BUILDINGS[site.kind][type.building];
      const floor = /^\d/.test(code) ? code[0]! : code.startsWith('CLIN') ? code.slice(4) : type.floor;
      units.push({
        site,
        index,
        code,
        name,
        type,
        building,
        floor,
        rooms: 8 + rng.int(24),
        vlan: 100 + index * 10,
        mix: new WeightedTable(Object.keys(type.mix), (c) => type.mix[c]!),
        hosts: 0,
        counters: new Map(),
      });
    });
  }
  const unitTable = new WeightedTable(units, (u) => u.type.weight * SITE_SCALE[u.site.kind]);
  return { sites, units, unitTable };
}

/** The next free address in the unit's block, or undefined when the block is full. */
export function allocateIp(unit: DemoUnit): string | undefined {
  if (unit.hosts >= HOSTS_PER_UNIT) return undefined;
  const h = unit.hosts++;
  return `10.${20 + unit.site.index}.${unit.index * 4 + Math.floor(h / 240)}.${10 + (h % 240)}`;
}

export function roomFor(unit: DemoUnit, rng: Prng): string {
  const k = 1 + rng.int(unit.rooms);
  const nn = String(k).padStart(2, '0');
  return /^\d+$/.test(unit.floor) ? `${unit.floor}${nn}` : `${unit.floor}-${nn}`;
}
