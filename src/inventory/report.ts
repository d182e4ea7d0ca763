/**
 * @module Validates and normalizes one DeviceReport before it takes part in identity merge:
 * categories resolved through the taxonomy, manufacturers canonical, identifiers normalized,
 * enumerations checked. Reports arrive from files and the network, so every field is checked
 * at run time; a bad one fails with a DomainError whose JSON pointer names the report and field.
 */
import { invalidInput } from '../core/index.js';
import { isCriticality } from './criticality.js';
import { identityKeysOf, type IdentityKey } from './identity.js';
import {
  CRITICALITIES,
  LIFECYCLE_STATUSES,
  PHI_HANDLING,
  SOURCE_KINDS,
  type DeviceAttributeName,
  type DeviceAttributes,
  type DeviceReport,
  type NetworkIdentities,
  type Provenance,
} from './model.js';
import { canonicalManufacturer, cleanText, normalizeAeTitle, normalizeDate, normalizeHl7Application, normalizeHostname, normalizeIp, normalizeMac, normalizeTimestamp } from './normalize.js';
import { resolveCategory } from './taxonomy.js';

export interface NormalizedReport {
  /** position in the batch, for error messages and outcomes */
  index: number;
  attributes: DeviceAttributes;
  network: NetworkIdentities;
  provenance: Provenance;
  deviceId?: string;
  keys: IdentityKey[];
}

export const MAX_TEXT_LENGTH = 512;
export const MAX_NETWORK_ITEMS = 64;

const TEXT_ATTRIBUTES = ['name', 'model', 'serialNumber', 'assetTag', 'firmwareVersion', 'softwareVersion', 'operatingSystem', 'owner', 'site', 'building', 'floor', 'unit', 'room'] as const satisfies readonly DeviceAttributeName[];

export const NETWORK_KINDS = ['macs', 'ips', 'hostnames', 'aeTitles', 'hl7Applications'] as const satisfies readonly (keyof NetworkIdentities)[];

const NETWORK_NORMALIZERS: Record<keyof NetworkIdentities, (s: string) => string | undefined> = {
  macs: normalizeMac,
  ips: normalizeIp,
  hostnames: normalizeHostname,
  aeTitles: normalizeAeTitle,
  hl7Applications: normalizeHl7Application,
};

const NETWORK_KIND_SET = new Set<string>(NETWORK_KINDS);

export const emptyNetwork = (): NetworkIdentities => ({ macs: [], ips: [], hostnames: [], aeTitles: [], hl7Applications: [] });

function fail(index: number | undefined, path: string, code: string, message: string, value?: unknown) {
  const pointer = index === undefined ? path : `/${index}${path}`;
  const where = index === undefined ? path : `report ${index} ${path}`;
  return invalidInput(code, `${message} (${where})`, { location: { pointer }, details: { index, path, value: preview(value) } });
}

const preview = (v: unknown): unknown => (typeof v === 'string' && v.length > 80 ? `${v.slice(0, 80)}…` : v);

export function normalizeProvenance(p: unknown, index?: number): Provenance {
  if (!p || typeof p !== 'object') throw fail(index, '/provenance', 'device.invalid_provenance', 'provenance is required');
  const { source, kind, confidence, observedAt } = p as Record<string, unknown>;
  if (typeof source !== 'string' || source.trim().length === 0 || source.length > 200) {
    throw fail(index, '/provenance/source', 'device.invalid_provenance', 'provenance source must be a non-empty string of at most 200 characters', source);
  }
  if (typeof kind !== 'string' || !(SOURCE_KINDS as readonly string[]).includes(kind)) {
    throw fail(index, '/provenance/kind', 'device.invalid_provenance', `provenance kind must be one of ${SOURCE_KINDS.join(', ')}`, kind);
  }
  if (typeof confidence !== 'number' || !Number.isFinite(confidence) || confidence < 0 || confidence > 1) {
    throw fail(index, '/provenance/confidence', 'device.invalid_provenance', 'provenance confidence must be a number from 0 to 1', confidence);
  }
  const at = typeof observedAt === 'string' ? normalizeTimestamp(observedAt) : undefined;
  if (!at) throw fail(index, '/provenance/observedAt', 'device.invalid_provenance', 'provenance observedAt must be an ISO-8601 timestamp with a zone', observedAt);
  return { source: source.trim(), kind: kind as Provenance['kind'], confidence, observedAt: at };
}

/** Normalizes the attributes of a report or patch; `null` values are kept when `keepNulls` (a patch's clears), else dropped. */
export function normalizeAttributes(raw: unknown, index: number | undefined, base = '/attributes', keepNulls = true): Partial<Record<DeviceAttributeName, string | null>> {
  if (raw === undefined) return {};
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw fail(index, base, 'device.invalid_attributes', 'attributes must be an object');
  const out: Partial<Record<DeviceAttributeName, string | null>> = {};
  const record = raw as Record<string, unknown>;
  for (const name of Object.keys(record)) {
    const value = record[name];
    if (value === undefined) continue;
    const path = base + '/' + name;
    if (value === null) {
      if (!isAttributeName(name)) throw fail(index, path, 'device.unknown_attribute', `unknown device attribute "${name}"`);
      if (keepNulls) out[name] = null;
      continue;
    }
    if (typeof value !== 'string') throw fail(index, path, 'device.invalid_attribute', `${name} must be a string`, value);
    if (value.length > MAX_TEXT_LENGTH) throw fail(index, path, 'device.invalid_attribute', `${name} is longer than ${MAX_TEXT_LENGTH} characters`, value);
    const text = cleanText(value);
    if (text === undefined) continue;
    switch (name) {
      case 'category': {
        const c = resolveCategory(text);
        if (!c) throw fail(index, path, 'device.unknown_category', `category "${text}" is not in the device taxonomy (GET /api/v1/taxonomy/categories lists them)`, value);
        out.category = c.id;
        break;
      }
      case 'manufacturer':
        out.manufacturer = canonicalManufacturer(text);
        break;
      case 'criticality':
        if (!isCriticality(text)) throw fail(index, path, 'device.invalid_criticality', `criticality must be one of ${CRITICALITIES.join(', ')}`, value);
        out.criticality = text;
        break;
      case 'phiHandling':
        if (!PHI_SET.has(text)) throw fail(index, path, 'device.invalid_phi_handling', `phiHandling must be one of ${PHI_HANDLING.join(', ')}`, value);
        out.phiHandling = text;
        break;
      case 'status':
        if (!STATUS_SET.has(text)) throw fail(index, path, 'device.invalid_status', `status must be one of ${LIFECYCLE_STATUSES.join(', ')}`, value);
        out.status = text;
        break;
      case 'endOfSupport': {
        const d = normalizeDate(text);
        if (!d) throw fail(index, path, 'device.invalid_date', 'endOfSupport must be a date (YYYY-MM-DD)', value);
        out.endOfSupport = d;
        break;
      }
      default:
        if (!TEXT_SET.has(name)) throw fail(index, path, 'device.unknown_attribute', `unknown device attribute "${name}"`);
        out[name as (typeof TEXT_ATTRIBUTES)[number]] = text;
    }
  }
  return out;
}

const PHI_SET = new Set<string>(PHI_HANDLING);
const STATUS_SET = new Set<string>(LIFECYCLE_STATUSES);
const TEXT_SET = new Set<string>(TEXT_ATTRIBUTES);
const ATTRIBUTE_NAMES = new Set<string>([...TEXT_ATTRIBUTES, 'category', 'manufacturer', 'criticality', 'phiHandling', 'status', 'endOfSupport']);
export const isAttributeName = (s: string): s is DeviceAttributeName => ATTRIBUTE_NAMES.has(s);

/** Normalizes network identity lists: each value parsed, duplicates dropped, order kept. */
export function normalizeNetwork(raw: unknown, index: number | undefined, base = '/network'): Partial<NetworkIdentities> {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw fail(index, base, 'device.invalid_network', 'network must be an object');
  const out: Partial<NetworkIdentities> = {};
  const record = raw as Record<string, unknown>;
  for (const kind of Object.keys(record)) {
    const list = record[kind];
    if (!NETWORK_KIND_SET.has(kind)) throw fail(index, `${base}/${kind}`, 'device.invalid_network', `unknown network identity kind "${kind}"`);
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw fail(index, `${base}/${kind}`, 'device.invalid_network', `${kind} must be an array of strings`);
    if (list.length > MAX_NETWORK_ITEMS) throw fail(index, `${base}/${kind}`, 'device.invalid_network', `${kind} has more than ${MAX_NETWORK_ITEMS} entries`);
    const normalizer = NETWORK_NORMALIZERS[kind as keyof NetworkIdentities];
    const values: string[] = [];
    for (let i = 0; i < list.length; i++) {
      const v: unknown = list[i];
      const n = typeof v === 'string' && v.length <= 300 ? normalizer(v) : undefined;
      if (n === undefined) throw fail(index, `${base}/${kind}/${i}`, `device.invalid_${kindLabel(kind)}`, `${describeKind(kind)} "${String(v)}" is not valid`, v);
      if (!values.includes(n)) values.push(n);
    }
    out[kind as keyof NetworkIdentities] = values;
  }
  return out;
}

const kindLabel = (kind: string): string => ({ macs: 'mac', ips: 'ip', hostnames: 'hostname', aeTitles: 'ae_title', hl7Applications: 'hl7_application' })[kind] ?? kind;
const describeKind = (kind: string): string =>
  ({ macs: 'MAC address', ips: 'IP address', hostnames: 'hostname', aeTitles: 'DICOM AE title', hl7Applications: 'HL7 application' })[kind] ?? kind;

export function normalizeReport(report: DeviceReport, index: number): NormalizedReport {
  if (!report || typeof report !== 'object') throw fail(index, '', 'device.invalid_report', 'a device report must be an object');
  const provenance = normalizeProvenance(report.provenance, index);
  // A report cannot clear values (only a person can, through a patch): nulls are dropped.
  const attributes = normalizeAttributes(report.attributes, index, '/attributes', false) as DeviceAttributes;
  const n = normalizeNetwork(report.network, index);
  const network: NetworkIdentities = { macs: n.macs ?? [], ips: n.ips ?? [], hostnames: n.hostnames ?? [], aeTitles: n.aeTitles ?? [], hl7Applications: n.hl7Applications ?? [] };
  let deviceId: string | undefined;
  if (report.deviceId !== undefined) {
    if (typeof report.deviceId !== 'string' || report.deviceId.length === 0 || report.deviceId.length > 64) {
      throw fail(index, '/deviceId', 'device.invalid_id', 'deviceId must be a device id', report.deviceId);
    }
    deviceId = report.deviceId;
  }
  const keys = identityKeysOf(attributes, network);
  const out: NormalizedReport = { index, attributes, network, provenance, keys };
  if (deviceId !== undefined) out.deviceId = deviceId;
  return out;
}
