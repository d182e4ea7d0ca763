/**
 * @module One CISA KEV catalog entry (from the JSON or the CSV form) → Advisory carrying the KEV
 * status (date added, due date, required action, ransomware use). KEV names a vendor and product
 * but no versions, so the affected entry is free text for review: it flags, it does not match.
 */
import type { Advisory, KevStatus } from '../../model.js';
import { normalizeProductName, normalizeVendorName } from '../../normalize-names.js';
import { uniq } from '../common/json.js';

export interface KevFields {
  cveID: string;
  vendorProject: string;
  product: string;
  vulnerabilityName: string;
  dateAdded: string;
  shortDescription: string;
  requiredAction: string;
  dueDate: string;
  knownRansomwareCampaignUse: string;
  notes: string;
  cwes: string[];
}

export const KEV_FIELDS = ['cveID', 'vendorProject', 'product', 'vulnerabilityName', 'dateAdded', 'shortDescription', 'requiredAction', 'dueDate', 'knownRansomwareCampaignUse'] as const;

const CVE = /^CVE-\d{4}-\d{4,}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Returns a reason when the entry is unusable, so the caller can name its pointer or line. */
export function checkKevFields(f: KevFields): string | undefined {
  if (!CVE.test(f.cveID)) return `cveID "${f.cveID}" is not a CVE id`;
  if (!DATE.test(f.dateAdded)) return `dateAdded "${f.dateAdded}" is not a YYYY-MM-DD date`;
  if (!DATE.test(f.dueDate)) return `dueDate "${f.dueDate}" is not a YYYY-MM-DD date`;
  return undefined;
}

export function kevAdvisory(f: KevFields, parser: string, location: string, pointer: string): Advisory {
  const ransomware = f.knownRansomwareCampaignUse.trim().toLowerCase();
  const kev: KevStatus = {
    dateAdded: f.dateAdded,
    dueDate: f.dueDate,
    requiredAction: f.requiredAction,
    knownRansomware: ransomware === 'known' ? true : ransomware === 'unknown' ? 'unknown' : false,
    vulnerabilityName: f.vulnerabilityName,
  };
  if (f.notes.trim() !== '') kev.notes = f.notes;
  const vendor = normalizeVendorName(f.vendorProject);
  const urls = uniq(f.notes.match(/https?:\/\/[^\s;,]+/g) ?? []);
  return {
    id: f.cveID,
    source: 'kev',
    sourceId: f.cveID,
    aliases: [],
    title: f.vulnerabilityName,
    summary: f.shortDescription,
    published: `${f.dateAdded}T00:00:00.000Z`,
    severity: [],
    cwes: uniq(f.cwes.map((c) => c.trim()).filter((c) => /^CWE-\d+$/.test(c))),
    affected: [
      {
        vendor: f.vendorProject,
        product: f.product,
        normalizedVendor: vendor.key,
        normalizedProduct: normalizeProductName(f.product, vendor.key).key,
        ranges: [],
        versions: [],
        fixed: [],
        status: 'known_affected',
        classification: 'free-text',
        confidence: 0.2,
        needsReview: true,
        notes: ['KEV names vendor and product only; versions come from other sources'],
      },
    ],
    remediations: [{ category: 'mitigation', details: f.requiredAction, date: f.dueDate }],
    references: urls.map((url) => ({ url, type: 'kev-note' })),
    kev,
    provenance: { parser, location, pointer },
    warnings: [],
  };
}
