/**
 * @module CSAF 2.0 import: each product_status entry of each vulnerability becomes one statement
 * (csaf_vex documents, and security advisories, whose product_status says the same thing).
 * Products resolve through the product tree (branches, full_product_names, relationships,
 * product_identification_helper purl/CPE/hashes) with the advisory source's walker; justifications
 * come from `flags[].label`, impact statements from `threats[category=impact]`, action statements
 * from `remediations`, each addressed by product_ids or product group_ids.
 */
import { isAdvisoryParseError, readCsafProducts, type CsafProduct } from '../../sources/index.js';
import type { VexJustification } from '../../findings/model.js';
import { VexParseError } from '../errors.js';
import { VEX_LIMITS, ptr, uniq, type JsonObject, type VexReader } from '../json.js';
import { CSAF_JUSTIFICATIONS, CSAF_STATUSES, CSAF_STATUS_TO_VEX } from '../mappings.js';
import type { VexDocument, VexProductRef, VexStatement } from '../model.js';

function refOf(p: CsafProduct): VexProductRef {
  const ref: VexProductRef = { name: p.productName ?? p.name, csafProductId: p.productId };
  if (p.vendor !== undefined) ref.vendor = p.vendor;
  if (p.versionText !== undefined) {
    if (p.versionCategory === 'product_version_range') ref.versionRange = p.versionText;
    else ref.version = p.versionText;
  }
  if (p.purl) ref.purl = p.purl;
  if (p.cpe) ref.cpe = p.cpe;
  if (p.hashes) ref.hashes = p.hashes;
  return ref;
}

/** The product tree, read by the CSAF advisory source; its errors become VexParseErrors with the same pointer. */
function productsOf(text: string, file: string): Map<string, CsafProduct> {
  try {
    return new Map(readCsafProducts(text, file).map((p) => [p.productId, p]));
  } catch (e) {
    if (isAdvisoryParseError(e)) throw new VexParseError('vex.invalid', e.reason, { file, ...(e.location?.pointer !== undefined ? { pointer: e.location.pointer } : {}) });
    throw e;
  }
}

function readGroups(r: VexReader, root: JsonObject): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  const tree = r.optObject(root.product_tree, '/product_tree');
  r.optArray(tree?.product_groups, '/product_tree/product_groups').forEach((raw, i) => {
    const gp = ptr('/product_tree/product_groups', i);
    const g = r.object(raw, gp);
    groups.set(r.string(g.group_id, ptr(gp, 'group_id')), r.strings(g.product_ids, ptr(gp, 'product_ids')));
  });
  return groups;
}

/** product_ids plus the members of group_ids of a flag, threat or remediation */
function addressed(r: VexReader, o: JsonObject, pointer: string, groups: Map<string, string[]>, warnings: string[]): string[] {
  const ids = r.strings(o.product_ids, ptr(pointer, 'product_ids'));
  r.strings(o.group_ids, ptr(pointer, 'group_ids')).forEach((gid, i) => {
    const members = groups.get(gid);
    if (members) ids.push(...members);
    else warnings.push(`${ptr(ptr(pointer, 'group_ids'), i)}: unknown product group "${gid.slice(0, 120)}"`);
  });
  if (ids.length === 0) warnings.push(`${pointer}: names no product_ids or group_ids; ignored`);
  return uniq(ids);
}

const appendText = (m: Map<string, string>, id: string, text: string): void => {
  const prev = m.get(id);
  m.set(id, prev === undefined ? text : `${prev}\n${text}`);
};

export function importCsaf(r: VexReader, root: JsonObject, text: string): VexDocument {
  const products = productsOf(text, r.file);
  const document = r.object(root.document, '/document');
  const tracking = r.object(document.tracking, '/document/tracking');
  const trackingId = r.string(tracking.id, '/document/tracking/id');
  const docTime = r.optTimestamp(tracking.current_release_date, '/document/tracking/current_release_date');
  const publisher = r.optObject(document.publisher, '/document/publisher');
  const groups = readGroups(r, root);
  const warnings: string[] = [];
  const statements: VexStatement[] = [];

  r.optArray(root.vulnerabilities, '/vulnerabilities').forEach((raw, i) => {
    const p = ptr('/vulnerabilities', i);
    const v = r.object(raw, p);
    const cve = r.optString(v.cve, ptr(p, 'cve'));
    const ids = r.optArray(v.ids, ptr(p, 'ids')).map((x, k) => r.string(r.object(x, ptr(ptr(p, 'ids'), k)).text, ptr(ptr(ptr(p, 'ids'), k), 'text')));
    const id = cve ?? ids[0];
    if (id === undefined || id.trim() === '') {
      warnings.push(`${p}: vulnerability has neither cve nor ids; skipped`);
      return;
    }
    const aliases = uniq(ids).filter((x) => x !== id);

    const justifications = new Map<string, { label: VexJustification; date?: string }>();
    r.optArray(v.flags, ptr(p, 'flags')).forEach((x, k) => {
      const fp = ptr(ptr(p, 'flags'), k);
      const f = r.object(x, fp);
      const label = r.oneOf(f.label, CSAF_JUSTIFICATIONS, ptr(fp, 'label'));
      const date = r.optTimestamp(f.date, ptr(fp, 'date'));
      for (const pid of addressed(r, f, fp, groups, warnings)) justifications.set(pid, date === undefined ? { label } : { label, date });
    });
    const impacts = new Map<string, string>();
    r.optArray(v.threats, ptr(p, 'threats')).forEach((x, k) => {
      const tp = ptr(ptr(p, 'threats'), k);
      const t = r.object(x, tp);
      const category = r.string(t.category, ptr(tp, 'category'));
      const details = r.string(t.details, ptr(tp, 'details'));
      if (category === 'impact') for (const pid of addressed(r, t, tp, groups, warnings)) appendText(impacts, pid, details);
    });
    const actions = new Map<string, string>();
    r.optArray(v.remediations, ptr(p, 'remediations')).forEach((x, k) => {
      const rp = ptr(ptr(p, 'remediations'), k);
      const o = r.object(x, rp);
      const category = r.string(o.category, ptr(rp, 'category'));
      const details = r.string(o.details, ptr(rp, 'details'));
      const url = r.optString(o.url, ptr(rp, 'url'));
      const line = `${category}: ${details}${url ? ` (${url})` : ''}`;
      for (const pid of addressed(r, o, rp, groups, warnings)) appendText(actions, pid, line);
    });

    const ps = r.optObject(v.product_status, ptr(p, 'product_status'));
    if (!ps) {
      warnings.push(`${p}: ${id} has no product_status; no statements`);
      return;
    }
    for (const status of CSAF_STATUSES) {
      const sp = ptr(ptr(p, 'product_status'), status);
      r.strings(ps[status], sp).forEach((pid, k) => {
        const pointer = ptr(sp, k);
        const product = products.get(pid);
        if (!product) r.fail(`product "${pid.slice(0, 120)}" is not defined in the product_tree`, pointer, 'vex.unresolved_ref');
        const rel = product.relationship;
        const platform = rel ? products.get(rel.platformId) : undefined;
        const component = rel ? products.get(rel.componentId) : undefined;
        const statement: VexStatement = {
          vulnerabilityId: id,
          aliases,
          products: [platform ? refOf(platform) : refOf(product)],
          state: CSAF_STATUS_TO_VEX[status],
          sourceState: status,
          source: { format: 'csaf', location: r.file, pointer },
        };
        // the relationship's own product id is kept on the pointer; the statement names platform and component
        if (component && platform) statement.subcomponents = [refOf(component)];
        else if (rel) warnings.push(`${pointer}: relationship of "${pid.slice(0, 120)}" names an unknown product`);
        const flag = justifications.get(pid);
        if (flag) statement.justification = flag.label;
        const impact = impacts.get(pid);
        if (impact !== undefined) statement.impactStatement = impact;
        const action = actions.get(pid);
        if (action !== undefined) statement.actionStatement = action;
        const timestamp = flag?.date ?? docTime;
        if (timestamp !== undefined) statement.timestamp = timestamp;
        if (statements.length >= VEX_LIMITS.maxStatements) r.fail(`more than ${VEX_LIMITS.maxStatements} statements`, pointer, 'vex.too_large');
        statements.push(statement);
      });
    }
  });

  const info: VexDocument['info'] = { id: trackingId };
  const author = publisher ? r.optString(publisher.name, '/document/publisher/name') : undefined;
  if (author !== undefined) info.author = author;
  if (docTime !== undefined) info.timestamp = docTime;
  const version = r.optString(tracking.version, '/document/tracking/version');
  if (version !== undefined) info.version = version;
  return { format: 'csaf', specVersion: '2.0', info, statements, warnings };
}
