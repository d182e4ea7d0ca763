/**
 * @module Normalizes the identifiers sources report, so the same device reads the same whatever
 * wrote it: MACs in lower-case colon form, AE titles trimmed (they are case-sensitive), serials
 * and asset tags compared case- and space-insensitively, IPs in canonical text form. Each parser
 * returns undefined for input it cannot read; it never throws. Also says which values are too
 * generic to identify a device (placeholder serials, broadcast MACs, tool-default AE titles).
 */
import { isIPv4, isIPv6 } from 'node:net';

export { canonicalManufacturer, manufacturerKey } from './manufacturers.js';

const HEX2 = /^[0-9a-f]{1,2}$/;

/**
 * Reads "00:1A:2B:3C:4D:5E", "00-1a-2b-3c-4d-5e", "001a.2b3c.4d5e" (Cisco), "001A2B3C4D5E" and
 * single-digit octets ("0:1a:2b:3c:4d:5e"); answers "00:1a:2b:3c:4d:5e".
 */
const CANONICAL_MAC = /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/;

export function normalizeMac(input: string): string | undefined {
  if (CANONICAL_MAC.test(input)) return input;
  const s = input.trim().toLowerCase();
  if (s.length < 11 || s.length > 17) return undefined;
  let octets: string[];
  if (/^[0-9a-f]{12}$/.test(s)) {
    octets = s.match(/../g) ?? [];
  } else if (/^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/.test(s)) {
    octets = s.replace(/\./g, '').match(/../g) ?? [];
  } else {
    const sep = s.includes(':') ? ':' : '-';
    octets = s.split(sep);
    if (octets.length !== 6 || !octets.every((o) => HEX2.test(o))) return undefined;
    if (s.includes(sep === ':' ? '-' : ':')) return undefined;
  }
  if (octets.length !== 6) return undefined;
  return octets.map((o) => o.padStart(2, '0')).join(':');
}

/** A MAC that names one interface: not all-zero, not broadcast, not a multicast group address. */
export function isIdentifyingMac(mac: string): boolean {
  if (mac === '00:00:00:00:00:00' || mac === 'ff:ff:ff:ff:ff:ff') return false;
  const first = Number.parseInt(mac.slice(0, 2), 16);
  return (first & 1) === 0;
}

/**
 * DICOM PS3.5 AE: at most 16 characters of the default repertoire without backslash or control
 * characters; leading and trailing spaces are padding, not content. Case is significant, so it is kept.
 */
export function normalizeAeTitle(input: string): string | undefined {
  const s = input.replace(/^ +| +$/g, '');
  if (s.length === 0 || s.length > 16) return undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x5c) return undefined;
  }
  return s;
}

/**
 * Defaults of common DICOM tools, toolkits and viewers (DCMTK, dcm4che, pynetdicom, Orthanc, Conquest,
 * OsiriX/Horos, Weasis): many unrelated nodes keep them, so they identify nothing.
 */
const GENERIC_AE_TITLES = new Set([
  'ANY-SCP',
  'ANY',
  'ANYSCP',
  'STORESCP',
  'STORESCU',
  'ECHOSCU',
  'FINDSCU',
  'MOVESCU',
  'GETSCU',
  'DCMQRSCP',
  'DCM4CHEE',
  'DEFAULT',
  'AE_TITLE',
  'AETITLE',
  'PACS',
  'SCU',
  'SCP',
  'ORTHANC',
  'PYNETDICOM',
  'CONQUESTSRV1',
  'OSIRIX',
  'HOROS',
  'WEASIS_AE',
]);

export const isIdentifyingAeTitle = (ae: string): boolean => !GENERIC_AE_TITLES.has(ae.toUpperCase());

/** Display form of a serial or asset tag: trimmed, inner whitespace collapsed. */
export function cleanText(input: string): string | undefined {
  // Most values are already clean; test once instead of rewriting every string.
  // eslint-disable-next-line no-control-regex -- control characters make a value unclean
  if (!/[\u0000-\u001f\u007f]|\s\s|^\s|\s$/.test(input)) return input.length === 0 ? undefined : input;
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const s = input.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return s.length === 0 ? undefined : s;
}

/** The form serials are compared in: upper case, no whitespace ("sn 00123" = "SN00123"). */
export const serialKey = (serial: string): string => serial.toUpperCase().replace(/\s+/g, '');

/** The form asset tags are compared in (same rule as serials). */
export const assetTagKey = serialKey;

const PLACEHOLDER = /^(N\/?A|NONE|NULL|NIL|UNKNOWN|UNK|TBD|TBA|NOSERIAL|NOSN|NOTAVAILABLE|NOTAPPLICABLE|SERIAL|SN|DEFAULT|[-_.?*#X0]+|1234567890?|123456789|0123456789)$/;

/** Serials and asset tags shared by many records in real exports; merging on them would join unrelated devices. */
export function isIdentifyingSerial(key: string): boolean {
  return key.length >= 3 && !PLACEHOLDER.test(key);
}

/** IPv4 in strict dotted decimal (no leading zeros, which some parsers read as octal); IPv6 canonical. */
export function normalizeIp(input: string): string | undefined {
  const s = input.trim();
  if (isIPv4(s)) return /(?:^|\.)0\d/.test(s) ? undefined : s;
  const bare = s.startsWith('[') && s.endsWith(']') ? s.slice(1, -1) : s;
  if (bare.includes('%') || !isIPv6(bare)) return undefined;
  try {
    // WHATWG URL serializes IPv6 hosts canonically (RFC 5952: lower case, longest zero run compressed).
    return new URL(`http://[${bare}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
}

/** DNS or NetBIOS name in lower case without the root dot. */
export function normalizeHostname(input: string): string | undefined {
  const s = input.trim().toLowerCase().replace(/\.$/, '');
  if (s.length === 0 || s.length > 253) return undefined;
  return /^[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?$/.test(s) ? s : undefined;
}

/**
 * HL7 v2 sending application and facility (MSH-3, MSH-4) as "APPLICATION^FACILITY": each part
 * trimmed, case kept (HD namespace ids are case-sensitive); the facility may be empty.
 */
export function normalizeHl7Application(input: string): string | undefined {
  const parts = input.split('^');
  if (parts.length > 2) return undefined;
  const app = (parts[0] ?? '').trim();
  const facility = (parts[1] ?? '').trim();
  if (app.length === 0 || app.length > 227 || facility.length > 227) return undefined;
  // eslint-disable-next-line no-control-regex -- HL7 delimiters and control characters cannot occur in an HD
  if (/[\u0000-\u001f|~\\&]/.test(app + facility)) return undefined;
  return facility ? `${app}^${facility}` : app;
}

/** "2027-03-31" or a full ISO timestamp -> "2027-03-31"; undefined for anything else or an impossible date. */
export function normalizeDate(input: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(input.trim());
  if (!m) return undefined;
  const [, y, mo, d] = m;
  const date = new Date(`${y}-${mo}-${d}T00:00:00.000Z`);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== `${y}-${mo}-${d}`) return undefined;
  return `${y}-${mo}-${d}`;
}

/** An ISO-8601 instant with a zone -> canonical UTC "YYYY-MM-DDTHH:mm:ss.sssZ". */
let lastTimestamp: [string, string | undefined] = ['', undefined];

export function normalizeTimestamp(input: string): string | undefined {
  // Every report of one batch usually carries the same observation time.
  if (lastTimestamp[0] === input) return lastTimestamp[1];
  const out = parseTimestamp(input);
  lastTimestamp = [input, out];
  return out;
}

function parseTimestamp(input: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(input)) return undefined;
  const t = Date.parse(input);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}
