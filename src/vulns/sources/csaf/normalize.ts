/**
 * @module CSAF 2.0 document → one Advisory per vulnerability: every product_status category
 * becomes AffectedProduct entries (with the product's classified version range, vendor/product
 * names normalized, identification helpers), remediations per product (groups expanded), CVSS v3/v2
 * scores recomputed from their vectors and compared with the document's, CWE, notes, references.
 */
import type { Advisory, AffectedProduct, AffectedStatus, CvssScore, Reference, Remediation } from '../../model.js';
import { AFFECTED_STATUSES } from '../../model.js';
import { normalizeProductName, normalizeVendorName } from '../../normalize-names.js';
import { dedupeScores, scoreVector } from '../common/cvss.js';
import { ptr, uniq, type JsonObject, type JsonReader } from '../common/json.js';
import type { CsafProduct, CsafProductTree } from './product-tree.js';

function references(r: JsonReader, raw: unknown, pointer: string): Reference[] {
  return r.optArray(raw, pointer).map((x, i) => {
    const o = r.object(x, ptr(pointer, i));
    const ref: Reference = { url: r.string(o.url, ptr(ptr(pointer, i), 'url')) };
    if (typeof o.category === 'string') ref.type = o.category;
    if (typeof o.summary === 'string') ref.summary = o.summary;
    return ref;
  });
}

function noteText(r: JsonReader, raw: unknown, pointer: string, categories: string[]): string | undefined {
  for (const [i, n] of r.optArray(raw, pointer).entries()) {
    const o = r.object(n, ptr(pointer, i));
    if (typeof o.category === 'string' && categories.includes(o.category) && typeof o.text === 'string') return o.text;
  }
  return undefined;
}

export function affectedFor(product: CsafProduct, status: AffectedStatus, products: Map<string, CsafProduct>): AffectedProduct {
  const v = product.version;
  const entry: AffectedProduct = {
    ranges: [v.range],
    versions: v.classification === 'exact' && v.range.kind === 'constraints' ? v.range.groups.map((g) => g[0]?.version as string) : [],
    fixed: [],
    status,
    productId: product.productId,
    classification: v.classification,
    confidence: v.confidence,
    needsReview: v.needsReview,
  };
  const notes = [...v.notes];
  if (status === 'fixed' || status === 'first_fixed') entry.fixed = entry.versions;
  if (product.vendor !== undefined) {
    entry.vendor = product.vendor;
    const nv = normalizeVendorName(product.vendor);
    entry.normalizedVendor = nv.key;
    notes.push(...nv.notes);
    if (nv.ambiguous) {
      entry.needsReview = true;
      entry.confidence = Math.min(entry.confidence, nv.confidence);
    }
  }
  const productName = product.productName ?? product.name;
  entry.product = productName;
  entry.normalizedProduct = normalizeProductName(productName, entry.normalizedVendor).key;
  if (product.versionText !== undefined) entry.versionText = product.versionText;
  if (product.purl) entry.purl = product.purl;
  if (product.cpe) entry.cpe = product.cpe;
  if (product.hashes) entry.hashes = product.hashes;
  if (product.modelNumbers) notes.push(`model numbers: ${product.modelNumbers.join(', ')}`);
  if (product.relationship) {
    const platform = products.get(product.relationship.platformId);
    notes.push(`${product.relationship.category.replace(/_/g, ' ')} ${platform?.name ?? product.relationship.platformId}`);
    if (platform?.cpe) entry.requires = [platform.cpe];
  }
  if (notes.length > 0) entry.notes = uniq(notes);
  return entry;
}

function expandIds(r: JsonReader, o: JsonObject, pointer: string, tree: CsafProductTree, warnings: string[]): string[] {
  const ids = r.optArray(o.product_ids, ptr(pointer, 'product_ids')).map((x, i) => r.string(x, ptr(ptr(pointer, 'product_ids'), i)));
  for (const [i, g] of r.optArray(o.group_ids, ptr(pointer, 'group_ids')).entries()) {
    const gid = r.string(g, ptr(ptr(pointer, 'group_ids'), i));
    const members = tree.groups.get(gid);
    if (members) ids.push(...members);
    else warnings.push(`${ptr(ptr(pointer, 'group_ids'), i)}: unknown product group "${gid}"`);
  }
  return uniq(ids);
}

export function normalizeCsafVulnerability(
  r: JsonReader,
  doc: JsonObject,
  raw: unknown,
  index: number,
  tree: CsafProductTree,
  parser: string,
): Advisory {
  const pointer = ptr('/vulnerabilities', index);
  const v = r.object(raw, pointer);
  const document = doc.document as JsonObject;
  const tracking = document.tracking as JsonObject;
  const trackingId = tracking.id as string;
  const warnings: string[] = [];
  const cve = r.optString(v.cve, ptr(pointer, 'cve'));
  const ids = r.optArray(v.ids, ptr(pointer, 'ids')).map((x, i) => r.string(r.object(x, ptr(ptr(pointer, 'ids'), i)).text, ptr(ptr(ptr(pointer, 'ids'), i), 'text')));
  const id = cve ?? ids[0] ?? `${trackingId}#${index}`;

  const affected: AffectedProduct[] = [];
  if (v.product_status !== undefined) {
    const ps = r.object(v.product_status, ptr(pointer, 'product_status'));
    for (const status of AFFECTED_STATUSES) {
      const sp = ptr(ptr(pointer, 'product_status'), status);
      r.optArray(ps[status], sp).forEach((pid, i) => {
        const productId = r.string(pid, ptr(sp, i));
        const product = tree.products.get(productId);
        if (!product) {
          warnings.push(`${ptr(sp, i)}: product "${productId}" is not in the product tree`);
          return;
        }
        affected.push(affectedFor(product, status, tree.products));
      });
    }
  }

  const severity: CvssScore[] = [];
  r.optArray(v.scores, ptr(pointer, 'scores')).forEach((s, i) => {
    const sp = ptr(ptr(pointer, 'scores'), i);
    const score = r.object(s, sp);
    for (const key of ['cvss_v3', 'cvss_v2'] as const) {
      if (score[key] === undefined) continue;
      const c = r.object(score[key], ptr(sp, key));
      const vector = r.string(c.vectorString, ptr(ptr(sp, key), 'vectorString'));
      const statedScore = r.optNumber(c.baseScore, ptr(ptr(sp, key), 'baseScore'));
      const out = scoreVector(vector, {
        source: 'CSAF document',
        ...(statedScore !== undefined ? { statedScore } : {}),
        ...(typeof c.version === 'string' ? { statedVersion: c.version } : {}),
      });
      if (out.score) severity.push(out.score);
      if (out.warning) warnings.push(`${ptr(sp, key)}: ${out.warning}`);
    }
  });

  const remediations: Remediation[] = r.optArray(v.remediations, ptr(pointer, 'remediations')).map((x, i) => {
    const rp = ptr(ptr(pointer, 'remediations'), i);
    const o = r.object(x, rp);
    const rem: Remediation = { category: r.string(o.category, ptr(rp, 'category')), details: r.string(o.details, ptr(rp, 'details')) };
    const productIds = expandIds(r, o, rp, tree, warnings);
    if (productIds.length > 0) rem.productIds = productIds;
    if (typeof o.url === 'string') rem.url = o.url;
    if (typeof o.date === 'string') rem.date = o.date;
    return rem;
  });

  const cwe = v.cwe === undefined ? undefined : r.string(r.object(v.cwe, ptr(pointer, 'cwe')).id, ptr(ptr(pointer, 'cwe'), 'id'));
  const advisory: Advisory = {
    id,
    source: 'csaf',
    sourceId: trackingId,
    aliases: uniq([trackingId, ...ids, ...(cve ? [cve] : [])]).filter((x) => x !== id),
    title: (typeof v.title === 'string' ? v.title : undefined) ?? (document.title as string),
    severity: dedupeScores(severity),
    cwes: cwe ? [cwe] : [],
    affected,
    remediations,
    references: [...references(r, document.references, '/document/references'), ...references(r, v.references, ptr(pointer, 'references'))],
    provenance: { parser, location: r.file, pointer },
    warnings,
  };
  const summary = noteText(r, v.notes, ptr(pointer, 'notes'), ['summary', 'description']);
  if (summary !== undefined) advisory.summary = summary;
  const details = noteText(r, v.notes, ptr(pointer, 'notes'), ['details']);
  if (details !== undefined) advisory.details = details;
  const published = r.optTimestamp(v.release_date, ptr(pointer, 'release_date')) ?? r.optTimestamp(tracking.initial_release_date, '/document/tracking/initial_release_date');
  if (published) advisory.published = published;
  const modified = r.optTimestamp(tracking.current_release_date, '/document/tracking/current_release_date');
  if (modified) advisory.modified = modified;
  return advisory;
}
