/**
 * @module Checks and normalizes single imported values: enumerations with their synonyms, MAC and
 * IP addresses, host names, DICOM AE titles, HL7 application ids and dates. Each check returns the
 * normalized value or an `Invalid` carrying the reason a person can act on.
 */
import { CRITICALITIES, LIFECYCLE_STATUSES, PHI_HANDLING, type Criticality, type LifecycleStatus, type PhiHandling } from '../model.js';
import { isIdentifyingMac, normalizeAeTitle, normalizeHl7Application, normalizeHostname, normalizeIp, normalizeMac } from '../normalize.js';
import type { DateOrder } from './model.js';

export class Invalid {
  constructor(readonly reason: string) {}
}

export const MAX_VALUE_LENGTH = 512;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

export function checkText(v: string): string | Invalid {
  if (v.length > MAX_VALUE_LENGTH) return new Invalid(`longer than ${MAX_VALUE_LENGTH} characters`);
  if (CONTROL.test(v)) return new Invalid('contains control characters (line breaks are not allowed in this field)');
  return v;
}

/** Enumeration keys: lower case, runs of spaces/underscores/hyphens as one hyphen. */
export const enumKey = (s: string): string => s.trim().toLowerCase().replace(/[\s_\-/]+/g, '-');

/** Builds a checker once per import; `extra` (preset or mapping synonyms) wins over the built-in table. */
function enumChecker<T extends string>(allowed: readonly T[], synonyms: Record<string, T>, extra: Record<string, T> | undefined): (v: string) => T | Invalid {
  const table = new Map<string, T>();
  for (const a of allowed) table.set(enumKey(a), a);
  for (const [k, a] of Object.entries(synonyms)) table.set(enumKey(k), a);
  for (const [k, a] of Object.entries(extra ?? {})) table.set(enumKey(k), a);
  const invalid = new Invalid(`unknown value; expected one of ${allowed.join(', ')}`);
  return (v) => table.get(enumKey(v)) ?? invalid;
}

export const CRITICALITY_SYNONYMS: Record<string, Criticality> = {
  'life sustaining': 'life-sustaining',
  'life supporting': 'life-supporting',
  therapeutic: 'therapeutic-non-critical',
  'non critical': 'therapeutic-non-critical',
  nonclinical: 'non-clinical',
  'non clinical': 'non-clinical',
};

export const STATUS_SYNONYMS: Record<string, LifecycleStatus> = {
  active: 'in-service',
  'in use': 'in-service',
  inservice: 'in-service',
  deployed: 'in-service',
  operational: 'in-service',
  inactive: 'maintenance',
  'out of service': 'maintenance',
  repair: 'maintenance',
  'in repair': 'maintenance',
  'under repair': 'maintenance',
  'in maintenance': 'maintenance',
  'in stock': 'spare',
  stock: 'spare',
  loaner: 'spare',
  available: 'spare',
  decommissioned: 'retired',
  scrapped: 'disposed',
  'disposed of': 'disposed',
  salvaged: 'disposed',
  'on order': 'planned',
  ordered: 'planned',
  'pending install': 'planned',
  quarantine: 'quarantined',
  isolated: 'quarantined',
};

export const PHI_SYNONYMS: Record<string, PhiHandling> = {
  no: 'none',
  n: 'none',
  false: 'none',
  store: 'stores',
  transmit: 'transmits',
  display: 'displays',
  'stores transmits': 'stores-and-transmits',
  'store and transmit': 'stores-and-transmits',
};

export const criticalityChecker = (extra?: Record<string, Criticality>) => enumChecker(CRITICALITIES, CRITICALITY_SYNONYMS, extra);
export const statusChecker = (extra?: Record<string, LifecycleStatus>) => enumChecker(LIFECYCLE_STATUSES, STATUS_SYNONYMS, extra);
export const phiChecker = (extra?: Record<string, PhiHandling>) => enumChecker(PHI_HANDLING, PHI_SYNONYMS, extra);

// Identifiers are read by the inventory's own normalizers, so what an import accepts is exactly
// what InventoryService.applyReports accepts: a valid row can never fail its whole batch.

/** aa:bb:cc:dd:ee:ff, aa-bb-..., aabb.ccdd.eeff or aabbccddeeff -> lower-case colon form. */
export function checkMac(v: string): string | Invalid {
  const mac = normalizeMac(v);
  if (!mac) return new Invalid('not a MAC address (expected six hex octets, e.g. 00:09:fb:12:34:56)');
  if (!isIdentifyingMac(mac)) return new Invalid('an all-zero, broadcast or multicast MAC address does not identify a device');
  return mac;
}

export function checkIp(v: string): string | Invalid {
  const ip = normalizeIp(v);
  if (!ip) return new Invalid('not an IPv4 or IPv6 address');
  if (ip === '0.0.0.0' || ip === '255.255.255.255' || ip === '::') return new Invalid('an unspecified or broadcast address does not identify a device');
  return ip;
}

export function checkHostname(v: string): string | Invalid {
  return normalizeHostname(v) ?? new Invalid('not a host name (letters, digits, dots, hyphens and underscores; at most 253 characters)');
}

/** DICOM PS3.5 AE: 1-16 characters of the default repertoire, no backslash; padding spaces are not significant. */
export function checkAeTitle(v: string): string | Invalid {
  return normalizeAeTitle(v) ?? new Invalid('not a DICOM AE title (1 to 16 printable ASCII characters without backslash)');
}

export function checkHl7App(v: string): string | Invalid {
  return normalizeHl7Application(v) ?? new Invalid('not an HL7 application id (APPLICATION or APPLICATION^FACILITY without | ~ \\ &)');
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const YMD_SLASH = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/;
const OTHER = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

/** A calendar date -> YYYY-MM-DD. Day/month order of 03/04/2025 comes from the preset or mapping. */
export function checkDate(v: string, order?: DateOrder): string | Invalid {
  let y: number;
  let m: number;
  let d: number;
  const iso = ISO_DATE.exec(v) ?? YMD_SLASH.exec(v);
  if (iso) {
    y = Number(iso[1]);
    m = Number(iso[2]);
    d = Number(iso[3]);
  } else {
    const o = OTHER.exec(v);
    if (!o) return new Invalid('not a date (expected YYYY-MM-DD)');
    const a = Number(o[1]);
    const b = Number(o[2]);
    y = Number(o[3]);
    if (order === 'mdy') [m, d] = [a, b];
    else if (order === 'dmy') [d, m] = [a, b];
    else if (a > 12 && b <= 12) [d, m] = [a, b];
    else if (b > 12 && a <= 12) [m, d] = [a, b];
    else if (a === b) [m, d] = [a, b];
    else return new Invalid('ambiguous day/month order; use YYYY-MM-DD or a mapping with dateOrder mdy or dmy');
  }
  if (m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m) || y < 1900 || y > 2200) return new Invalid('not a valid calendar date');
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Splits a multi-valued cell. MACs, IPs and host names never contain spaces; AE titles may. */
export function splitList(v: string, allowSpaces: boolean): string[] {
  const parts = v.split(allowSpaces ? /[|;,]/ : /[\s|;,]+/);
  const out: string[] = [];
  for (const p of parts) {
    const t = p.trim();
    if (t) out.push(t);
  }
  return out;
}
