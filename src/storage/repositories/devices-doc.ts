/**
 * @module How a Device is stored: a positional JSON array instead of an object, since every page
 * of a search decodes 50 of these and an import encodes 100,000. Attribute values sit in
 * DEVICE_ATTRIBUTE_NAMES order (null when absent); the provenance map becomes one character per
 * attribute indexing a list of the device's distinct provenance records (usually one or two).
 * That makes documents about half the size of plain JSON and decoding about twice as fast.
 *
 *   [2, id, [attribute values], [macs, ips, hostnames, aeTitles, hl7Applications],
 *    firstSeen, lastSeen, createdAt, updatedAt, provenanceCodes, [[source, kind, confidence, observedAt]], sources]
 */
import type { Device, NetworkIdentities, Provenance } from '../../inventory/index.js';

const FORMAT = 2;
const CODES = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const NONE = '-';

type StoredProvenance = [source: string, kind: Provenance['kind'], confidence: number, observedAt: string];
type Stored = [
  format: number,
  id: string,
  values: Array<string | null>,
  network: [string[], string[], string[], string[], string[]],
  firstSeen: string,
  lastSeen: string,
  createdAt: string,
  updatedAt: string,
  codes: string,
  provenances: StoredProvenance[],
  sources: string[],
];

/** The code of `p` in `list` (appending it when new), or NONE. */
function provenanceCode(list: Provenance[], p: Provenance | undefined): string {
  if (!p) return NONE;
  for (let i = 0; i < list.length; i++) {
    const q = list[i]!;
    if (q === p || (q.source === p.source && q.kind === p.kind && q.confidence === p.confidence && q.observedAt === p.observedAt)) return CODES[i]!;
  }
  list.push(p);
  // More distinct records than codes cannot happen: there are fewer slots than codes.
  return CODES[list.length - 1]!;
}

/**
 * Written out attribute by attribute (in DEVICE_ATTRIBUTE_NAMES order, as decodeDevice reads
 * them) rather than looping over the names: an import encodes 100,000 of these, and direct
 * property reads are several times cheaper than reads by a computed name.
 */
export function encodeDevice(d: Device): string {
  const values: Array<string | null> = [
    d.name ?? null,
    d.category ?? null,
    d.manufacturer ?? null,
    d.model ?? null,
    d.serialNumber ?? null,
    d.assetTag ?? null,
    d.firmwareVersion ?? null,
    d.softwareVersion ?? null,
    d.operatingSystem ?? null,
    d.criticality ?? null,
    d.phiHandling ?? null,
    d.owner ?? null,
    d.status ?? null,
    d.endOfSupport ?? null,
    d.site ?? null,
    d.building ?? null,
    d.floor ?? null,
    d.unit ?? null,
    d.room ?? null,
  ];
  const pr = d.provenance;
  const list: Provenance[] = [];
  const codes =
    provenanceCode(list, pr.name) +
    provenanceCode(list, pr.category) +
    provenanceCode(list, pr.manufacturer) +
    provenanceCode(list, pr.model) +
    provenanceCode(list, pr.serialNumber) +
    provenanceCode(list, pr.assetTag) +
    provenanceCode(list, pr.firmwareVersion) +
    provenanceCode(list, pr.softwareVersion) +
    provenanceCode(list, pr.operatingSystem) +
    provenanceCode(list, pr.criticality) +
    provenanceCode(list, pr.phiHandling) +
    provenanceCode(list, pr.owner) +
    provenanceCode(list, pr.status) +
    provenanceCode(list, pr.endOfSupport) +
    provenanceCode(list, pr.site) +
    provenanceCode(list, pr.building) +
    provenanceCode(list, pr.floor) +
    provenanceCode(list, pr.unit) +
    provenanceCode(list, pr.room) +
    provenanceCode(list, pr.network);
  const n = d.network;
  const stored: Stored = [
    FORMAT,
    d.id,
    values,
    [n.macs, n.ips, n.hostnames, n.aeTitles, n.hl7Applications],
    d.firstSeen,
    d.lastSeen,
    d.createdAt,
    d.updatedAt,
    codes,
    list.map((p) => [p.source, p.kind, p.confidence, p.observedAt]),
    d.sources ?? [],
  ];
  return JSON.stringify(stored);
}

export function decodeDevice(text: string): Device {
  const s = JSON.parse(text) as Stored;
  if (s[0] !== FORMAT) throw new Error(`device document format ${String(s[0])} is not supported`);
  const v = s[2];
  const list = s[9].map(([source, kind, confidence, observedAt]): Provenance => ({ source, kind, confidence, observedAt }));
  const codes = s[8];
  const at = (i: number): Provenance | undefined => {
    const c = codes.charCodeAt(i);
    return c === 45 /* '-' */ ? undefined : list[CODES.indexOf(codes[i]!)];
  };
  const [macs, ips, hostnames, aeTitles, hl7Applications] = s[3];
  const network: NetworkIdentities = { macs, ips, hostnames, aeTitles, hl7Applications };
  // One literal with every key in a fixed order: all decoded devices share one object shape.
  return {
    id: s[1],
    name: v[0] ?? undefined,
    category: v[1] ?? undefined,
    manufacturer: v[2] ?? undefined,
    model: v[3] ?? undefined,
    serialNumber: v[4] ?? undefined,
    assetTag: v[5] ?? undefined,
    firmwareVersion: v[6] ?? undefined,
    softwareVersion: v[7] ?? undefined,
    operatingSystem: v[8] ?? undefined,
    criticality: (v[9] ?? undefined) as Device['criticality'],
    phiHandling: (v[10] ?? undefined) as Device['phiHandling'],
    owner: v[11] ?? undefined,
    status: (v[12] ?? undefined) as Device['status'],
    endOfSupport: v[13] ?? undefined,
    site: v[14] ?? undefined,
    building: v[15] ?? undefined,
    floor: v[16] ?? undefined,
    unit: v[17] ?? undefined,
    room: v[18] ?? undefined,
    network,
    firstSeen: s[4],
    lastSeen: s[5],
    createdAt: s[6],
    updatedAt: s[7],
    provenance: {
      name: at(0),
      category: at(1),
      manufacturer: at(2),
      model: at(3),
      serialNumber: at(4),
      assetTag: at(5),
      firmwareVersion: at(6),
      softwareVersion: at(7),
      operatingSystem: at(8),
      criticality: at(9),
      phiHandling: at(10),
      owner: at(11),
      status: at(12),
      endOfSupport: at(13),
      site: at(14),
      building: at(15),
      floor: at(16),
      unit: at(17),
      room: at(18),
      network: at(19),
    },
    sources: s[10],
  };
}
