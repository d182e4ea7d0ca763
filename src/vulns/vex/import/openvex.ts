/**
 * @module OpenVEX import (0.2.0, and the 0.0.x shapes still in circulation: a vulnerability given
 * as a plain string, products and subcomponents given as IRIs). Each product of each statement
 * becomes one statement; an `@id` that is a purl or CPE fills that identifier.
 */
import type { ProductHash } from '../../model.js';
import { VEX_LIMITS, ptr, uniq, type JsonObject, type VexReader } from '../json.js';
import { CSAF_JUSTIFICATIONS, OPENVEX_STATUSES } from '../mappings.js';
import type { VexDocument, VexProductRef, VexStatement } from '../model.js';

export const OPENVEX_CONTEXT = 'https://openvex.dev/ns';

function refFromIri(iri: string, ref: VexProductRef = {}): VexProductRef {
  if (iri.startsWith('pkg:')) ref.purl = iri;
  else if (/^cpe:/i.test(iri)) ref.cpe = iri;
  else ref.id = iri;
  return ref;
}

function componentRef(r: VexReader, raw: unknown, pointer: string): VexProductRef {
  if (typeof raw === 'string') {
    if (raw.trim() === '') r.fail('must not be empty', pointer);
    return refFromIri(raw);
  }
  const o = r.object(raw, pointer);
  const iri = r.optString(o['@id'], ptr(pointer, '@id'));
  const ref: VexProductRef = iri ? refFromIri(iri) : {};
  const idp = ptr(pointer, 'identifiers');
  const identifiers = r.optObject(o.identifiers, idp);
  if (identifiers) {
    const purl = r.optString(identifiers.purl, ptr(idp, 'purl'));
    const cpe = r.optString(identifiers.cpe23, ptr(idp, 'cpe23')) ?? r.optString(identifiers.cpe22, ptr(idp, 'cpe22'));
    if (purl && ref.purl === undefined) ref.purl = purl;
    if (cpe && ref.cpe === undefined) ref.cpe = cpe;
  }
  const hp = ptr(pointer, 'hashes');
  const hashes = r.optObject(o.hashes, hp);
  if (hashes) {
    const list: ProductHash[] = Object.entries(hashes).map(([algorithm, value]) => ({ algorithm, value: r.string(value, ptr(hp, algorithm)) }));
    if (list.length > 0) ref.hashes = list;
  }
  if (ref.purl === undefined && ref.cpe === undefined && ref.id === undefined && ref.hashes === undefined) {
    r.fail('product names no @id, identifiers or hashes', pointer, 'vex.unresolved_ref');
  }
  return ref;
}

function vulnerabilityOf(r: VexReader, raw: unknown, pointer: string): { id: string; aliases: string[] } {
  if (typeof raw === 'string') {
    if (raw.trim() === '') r.fail('must not be empty', pointer);
    return { id: raw, aliases: [] };
  }
  const o = r.object(raw, pointer);
  const name = r.text(o.name, ptr(pointer, 'name'));
  const iri = r.optString(o['@id'], ptr(pointer, '@id'));
  const aliases = r.strings(o.aliases, ptr(pointer, 'aliases'));
  return { id: name, aliases: uniq([...(iri ? [iri] : []), ...aliases]).filter((a) => a !== name) };
}

export function importOpenVex(r: VexReader, root: JsonObject): VexDocument {
  const context = r.string(root['@context'], '/@context');
  const specVersion = /\/v(\d+\.\d+\.\d+)$/.exec(context)?.[1] ?? '0.0.1';
  const docId = r.optString(root['@id'], '/@id');
  const author = r.optString(root.author, '/author');
  const docTime = r.optTimestamp(root.last_updated, '/last_updated') ?? r.optTimestamp(root.timestamp, '/timestamp');
  const version = root.version;
  if (version !== undefined && typeof version !== 'number' && typeof version !== 'string') r.fail('expected a number', '/version');

  const warnings: string[] = [];
  const statements: VexStatement[] = [];
  r.array(root.statements, '/statements').forEach((raw, i) => {
    const p = ptr('/statements', i);
    const s = r.object(raw, p);
    const { id, aliases } = vulnerabilityOf(r, s.vulnerability, ptr(p, 'vulnerability'));
    const state = r.oneOf(s.status, OPENVEX_STATUSES, ptr(p, 'status'));
    const justification = s.justification === undefined ? undefined : r.oneOf(s.justification, CSAF_JUSTIFICATIONS, ptr(p, 'justification'));
    const impact = r.optString(s.impact_statement, ptr(p, 'impact_statement'));
    const action = r.optString(s.action_statement, ptr(p, 'action_statement'));
    const notes = r.optString(s.status_notes, ptr(p, 'status_notes'));
    const timestamp = r.optTimestamp(s.last_updated, ptr(p, 'last_updated')) ?? r.optTimestamp(s.timestamp, ptr(p, 'timestamp')) ?? docTime;
    if (state === 'not_affected' && justification === undefined && !impact) warnings.push(`${p}: not_affected without justification or impact_statement (required by OpenVEX)`);
    if (state === 'affected' && !action) warnings.push(`${p}: affected without action_statement (required by OpenVEX)`);
    // 0.0.x put subcomponents on the statement; they apply to every product
    const shared = r.optArray(s.subcomponents, ptr(p, 'subcomponents')).map((x, k) => componentRef(r, x, ptr(ptr(p, 'subcomponents'), k)));
    const products = r.array(s.products, ptr(p, 'products'));
    if (products.length === 0) r.fail('statement names no products', ptr(p, 'products'), 'vex.unresolved_ref');
    products.forEach((x, k) => {
      const pp = ptr(ptr(p, 'products'), k);
      const product = componentRef(r, x, pp);
      const subs = [
        ...shared,
        ...(typeof x === 'object' && x !== null ? r.optArray((x as JsonObject).subcomponents, ptr(pp, 'subcomponents')).map((c, n) => componentRef(r, c, ptr(ptr(pp, 'subcomponents'), n))) : []),
      ];
      const statement: VexStatement = { vulnerabilityId: id, aliases, products: [product], state, sourceState: state, source: { format: 'openvex', location: r.file, pointer: pp } };
      if (subs.length > 0) statement.subcomponents = subs;
      if (justification !== undefined) statement.justification = justification;
      if (impact !== undefined) statement.impactStatement = impact;
      if (action !== undefined) statement.actionStatement = action;
      if (notes !== undefined) statement.detail = notes;
      if (timestamp !== undefined) statement.timestamp = timestamp;
      if (statements.length >= VEX_LIMITS.maxStatements) r.fail(`more than ${VEX_LIMITS.maxStatements} statements`, pp, 'vex.too_large');
      statements.push(statement);
    });
  });

  const info: VexDocument['info'] = {};
  if (author !== undefined) info.author = author;
  if (docTime !== undefined) info.timestamp = docTime;
  if (docId !== undefined) info.id = docId;
  if (version !== undefined) info.version = String(version);
  return { format: 'openvex', specVersion, info, statements, warnings };
}
