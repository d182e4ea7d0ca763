/**
 * @module CycloneDX 1.4–1.6 VEX import: every `vulnerabilities[]` entry with an `analysis.state`
 * becomes one statement per `affects[]` entry. Refs resolve to the BOM's metadata.component,
 * components (nested) or services by bom-ref, or to a BOM-Link (`urn:cdx:serial/version#ref`):
 * a link into this BOM resolves locally, a link into another BOM is kept as `bomLink`. A ref to a
 * component of the BOM's product becomes that product with the component as subcomponent.
 */
import type { VexJustification } from '../../findings/model.js';
import type { ProductHash } from '../../model.js';
import { VEX_LIMITS, ptr, uniq, type JsonObject, type VexReader } from '../json.js';
import {
  CDX_JUSTIFICATIONS,
  CDX_RESPONSES,
  CDX_STATES,
  CDX_STATE_TO_VEX,
  VEX_JUSTIFICATION_PROPERTY,
  isCsafJustification,
  toCdxJustification,
} from '../mappings.js';
import type { VexAffectedVersion, VexDocument, VexProductRef, VexStatement } from '../model.js';

export const CYCLONEDX_VEX_VERSIONS = ['1.4', '1.5', '1.6'] as const;

const BOM_LINK = /^urn:cdx:([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/([1-9]\d*)(?:#(.+))?$/i;

interface Indexed {
  ref: VexProductRef;
  pointer: string;
}

function entityName(r: VexReader, v: unknown, pointer: string): string | undefined {
  const o = r.optObject(v, pointer);
  return o ? r.optString(o.name, ptr(pointer, 'name')) : undefined;
}

function productRefOf(r: VexReader, c: JsonObject, pointer: string, bomRef: string | undefined): VexProductRef {
  const ref: VexProductRef = { name: r.string(c.name, ptr(pointer, 'name')) };
  const version = r.optString(c.version, ptr(pointer, 'version'));
  const purl = r.optString(c.purl, ptr(pointer, 'purl'));
  const cpe = r.optString(c.cpe, ptr(pointer, 'cpe'));
  const vendor =
    entityName(r, c.supplier, ptr(pointer, 'supplier')) ??
    entityName(r, c.manufacturer, ptr(pointer, 'manufacturer')) ??
    r.optString(c.publisher, ptr(pointer, 'publisher')) ??
    (typeof c.author === 'string' ? c.author : undefined);
  if (version !== undefined) ref.version = version;
  if (purl) ref.purl = purl;
  if (cpe) ref.cpe = cpe;
  if (vendor) ref.vendor = vendor;
  if (bomRef !== undefined) ref.bomRef = bomRef;
  const hashes: ProductHash[] = r.optArray(c.hashes, ptr(pointer, 'hashes')).map((h, i) => {
    const hp = ptr(ptr(pointer, 'hashes'), i);
    const o = r.object(h, hp);
    return { algorithm: r.string(o.alg, ptr(hp, 'alg')), value: r.string(o.content, ptr(hp, 'content')) };
  });
  if (hashes.length > 0) ref.hashes = hashes;
  return ref;
}

class RefIndex {
  readonly byRef = new Map<string, Indexed>();
  count = 0;
  constructor(private readonly r: VexReader) {}

  add(raw: unknown, pointer: string): VexProductRef {
    const c = this.r.object(raw, pointer);
    if (++this.count > VEX_LIMITS.maxProducts) this.r.fail(`more than ${VEX_LIMITS.maxProducts} components and services`, pointer, 'vex.too_large');
    const bomRef = this.r.optString(c['bom-ref'], ptr(pointer, 'bom-ref'));
    const ref = productRefOf(this.r, c, pointer, bomRef);
    if (bomRef !== undefined) {
      const first = this.byRef.get(bomRef);
      if (first) this.r.fail(`bom-ref "${bomRef.slice(0, 120)}" is defined twice (first at ${first.pointer})`, ptr(pointer, 'bom-ref'));
      this.byRef.set(bomRef, { ref, pointer });
    }
    return ref;
  }

  /** components and services, nested components included */
  walk(list: unknown, pointer: string, depth: number, key: 'components' | 'services'): void {
    if (depth > VEX_LIMITS.maxDepth) this.r.fail(`${key} nested deeper than ${VEX_LIMITS.maxDepth}`, pointer, 'vex.too_deep');
    this.r.optArray(list, pointer).forEach((raw, i) => {
      const p = ptr(pointer, i);
      this.add(raw, p);
      const o = raw as JsonObject;
      if (o[key] !== undefined) this.walk(o[key], ptr(p, key), depth + 1, key);
    });
  }
}

function affectedVersions(r: VexReader, raw: unknown, pointer: string): VexAffectedVersion[] {
  return r.optArray(raw, pointer).map((x, i) => {
    const p = ptr(pointer, i);
    const o = r.object(x, p);
    const out: VexAffectedVersion = { status: o.status === undefined ? 'affected' : r.oneOf(o.status, ['affected', 'unaffected', 'unknown'] as const, ptr(p, 'status')) };
    const version = r.optString(o.version, ptr(p, 'version'));
    const range = r.optString(o.range, ptr(p, 'range'));
    if (version !== undefined) out.version = version;
    if (range !== undefined) out.range = range;
    return out;
  });
}

/** A CareGuard export keeps a CSAF/OpenVEX label here so a re-import restores it exactly. */
function exactJustification(r: VexReader, v: JsonObject, pointer: string, cdx: string | undefined): VexJustification | undefined {
  for (const [i, raw] of r.optArray(v.properties, ptr(pointer, 'properties')).entries()) {
    const o = r.object(raw, ptr(ptr(pointer, 'properties'), i));
    if (o.name !== VEX_JUSTIFICATION_PROPERTY || typeof o.value !== 'string') continue;
    // only when it agrees with the standard field, so a stale property cannot override the analysis
    if (isCsafJustification(o.value) && cdx !== undefined && toCdxJustification(o.value) === cdx) return o.value;
  }
  return undefined;
}

export function importCycloneDx(r: VexReader, root: JsonObject): VexDocument {
  const specVersion = r.string(root.specVersion, '/specVersion');
  if (!(CYCLONEDX_VEX_VERSIONS as readonly string[]).includes(specVersion)) {
    r.fail(`CycloneDX ${specVersion.slice(0, 20)} is not supported for VEX (expected ${CYCLONEDX_VEX_VERSIONS.join(', ')})`, '/specVersion', 'vex.unsupported_version');
  }
  const serialNumber = r.optString(root.serialNumber, '/serialNumber');
  const bomVersion = root.version === undefined ? undefined : root.version;
  if (bomVersion !== undefined && (typeof bomVersion !== 'number' || !Number.isInteger(bomVersion))) r.fail('expected an integer', '/version');
  const metadata = r.optObject(root.metadata, '/metadata') ?? {};
  const index = new RefIndex(r);
  const meta = metadata.component === undefined ? undefined : index.add(metadata.component, '/metadata/component');
  // the product's own sub-assemblies (1.5+) can be affects targets too
  if (meta) index.walk((metadata.component as JsonObject).components, '/metadata/component/components', 2, 'components');
  index.walk(root.components, '/components', 1, 'components');
  index.walk(root.services, '/services', 1, 'services');
  const docTime = r.optTimestamp(metadata.timestamp, '/metadata/timestamp');
  const authors = r.optArray(metadata.authors, '/metadata/authors').map((a, i) => entityName(r, a, ptr('/metadata/authors', i)));
  const author =
    authors.find((a) => a !== undefined) ?? entityName(r, metadata.supplier, '/metadata/supplier') ?? entityName(r, metadata.manufacturer, '/metadata/manufacturer') ?? entityName(r, metadata.manufacture, '/metadata/manufacture');

  const resolve = (ref: string, pointer: string): VexProductRef => {
    const link = BOM_LINK.exec(ref);
    if (ref.toLowerCase().startsWith('urn:cdx:') && !link) r.fail(`"${ref.slice(0, 120)}" is not a valid BOM-Link (urn:cdx:<uuid>/<version>#<bom-ref>)`, pointer, 'vex.unresolved_ref');
    if (link) {
      const [, serial, version, fragment] = link as unknown as [string, string, string, string | undefined];
      const local = serialNumber !== undefined && serialNumber.toLowerCase() === `urn:uuid:${serial.toLowerCase()}` && (bomVersion === undefined || String(bomVersion) === version);
      let target: string | undefined;
      try {
        target = fragment === undefined ? undefined : decodeURIComponent(fragment);
      } catch {
        r.fail(`BOM-Link fragment "${fragment?.slice(0, 120)}" is not valid percent-encoding`, pointer, 'vex.unresolved_ref');
      }
      if (local && target !== undefined) {
        const hit = index.byRef.get(target);
        if (!hit) r.fail(`BOM-Link into this BOM names no bom-ref "${target.slice(0, 120)}"`, pointer, 'vex.unresolved_ref');
        return hit.ref;
      }
      const external: VexProductRef = { bomLink: ref };
      if (target?.startsWith('pkg:')) external.purl = target;
      else if (target !== undefined) external.bomRef = target;
      return external;
    }
    const hit = index.byRef.get(ref);
    if (!hit) r.fail(`affects ref "${ref.slice(0, 120)}" names no component, service or metadata.component bom-ref in this BOM`, pointer, 'vex.unresolved_ref');
    return hit.ref;
  };

  const statements: VexStatement[] = [];
  const warnings: string[] = [];
  r.optArray(root.vulnerabilities, '/vulnerabilities').forEach((raw, i) => {
    const p = ptr('/vulnerabilities', i);
    const v = r.object(raw, p);
    const id = r.text(v.id, ptr(p, 'id'));
    const aliases = uniq(
      r.optArray(v.references, ptr(p, 'references')).flatMap((x, k) => {
        const o = r.object(x, ptr(ptr(p, 'references'), k));
        const alias = r.optString(o.id, ptr(ptr(ptr(p, 'references'), k), 'id'));
        return alias && alias !== id ? [alias] : [];
      }),
    );
    const ap = ptr(p, 'analysis');
    const analysis = r.optObject(v.analysis, ap);
    if (!analysis || analysis.state === undefined) {
      warnings.push(`${p}: ${id} has no analysis.state (a vulnerability report entry, not a VEX statement); skipped`);
      return;
    }
    const sourceState = r.oneOf(analysis.state, CDX_STATES, ptr(ap, 'state'));
    const cdxJustification = analysis.justification === undefined ? undefined : r.oneOf(analysis.justification, CDX_JUSTIFICATIONS, ptr(ap, 'justification'));
    const justification = exactJustification(r, v, p, cdxJustification) ?? cdxJustification;
    const responses = r.strings(analysis.response, ptr(ap, 'response')).map((x, k) => r.oneOf(x, CDX_RESPONSES, ptr(ptr(ap, 'response'), k)));
    const detail = r.optString(analysis.detail, ptr(ap, 'detail'));
    const timestamp = r.optTimestamp(analysis.lastUpdated, ptr(ap, 'lastUpdated')) ?? r.optTimestamp(analysis.firstIssued, ptr(ap, 'firstIssued')) ?? docTime;
    const actions = [r.optString(v.recommendation, ptr(p, 'recommendation')), r.optString(v.workaround, ptr(p, 'workaround'))].filter((x): x is string => !!x && x.trim() !== '');
    const affects = r.optArray(v.affects, ptr(p, 'affects'));
    if (affects.length === 0) warnings.push(`${p}: ${id} has an analysis but no affects[]; skipped`);
    affects.forEach((a, k) => {
      const sp = ptr(ptr(p, 'affects'), k);
      const o = r.object(a, sp);
      const target = { ...resolve(r.text(o.ref, ptr(sp, 'ref')), ptr(sp, 'ref')) };
      const versions = affectedVersions(r, o.versions, ptr(sp, 'versions'));
      if (versions.length > 0) target.versions = versions;
      // a ref to the BOM's own product is the product; a ref to anything else is a part of it
      const isProduct = meta !== undefined && meta.bomRef !== undefined && target.bomLink === undefined && target.bomRef === meta.bomRef;
      const statement: VexStatement = {
        vulnerabilityId: id,
        aliases,
        products: meta && !isProduct ? [meta] : [target],
        state: CDX_STATE_TO_VEX[sourceState],
        sourceState,
        source: { format: 'cyclonedx', location: r.file, pointer: sp },
      };
      if (statement.products[0] !== target) statement.subcomponents = [target];
      if (justification !== undefined) statement.justification = justification;
      if (detail !== undefined) statement.detail = detail;
      if (responses.length > 0) statement.responses = responses;
      if (actions.length > 0) statement.actionStatement = actions.join('\n');
      if (timestamp !== undefined) statement.timestamp = timestamp;
      if (statements.length >= VEX_LIMITS.maxStatements) r.fail(`more than ${VEX_LIMITS.maxStatements} statements`, sp, 'vex.too_large');
      statements.push(statement);
    });
  });

  const info: VexDocument['info'] = {};
  if (author !== undefined) info.author = author;
  if (docTime !== undefined) info.timestamp = docTime;
  if (serialNumber !== undefined) info.id = serialNumber;
  if (bomVersion !== undefined) info.version = String(bomVersion);
  return { format: 'cyclonedx', specVersion, info, statements, warnings };
}
