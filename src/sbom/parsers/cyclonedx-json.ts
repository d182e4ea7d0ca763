/**
 * @module CycloneDX JSON 1.2–1.6 parser: schema-validated (bundled CycloneDX schemas), then
 * mapped into the internal model — nested components flattened with parentRef (bounded depth),
 * metadata.component as the product, dependencies, hashes, licences, supplier, CPE, purl,
 * properties. bom-ref must be unique and every dependency ref must resolve, or the document is
 * rejected with the JSON pointer of the offending value.
 */
import type { Component, ComponentType, Dependency, Sbom } from '../model.js';
import { SbomError } from '../errors.js';
import { getArray, getObject, getString, isObject, sha256Hex, uniq, type JsonObject } from '../json-access.js';
import { parseJsonDocument, stripBom } from '../json-text.js';
import { finalizeComponent, normalizeHashAlg, type ComponentDraft } from '../normalize.js';
import { SBOM_LIMITS, type ParseOptions, type SbomParser } from './contract.js';
import { CYCLONEDX_SPEC_VERSIONS, validateCycloneDx, type CycloneDxSpecVersion } from './cyclonedx-schema.js';

const ID = 'cyclonedx-json';
const VERSION = '1.0.0';

function licensesOf(c: JsonObject): string[] {
  const out: string[] = [];
  for (const entry of getArray(c, 'licenses')) {
    if (!isObject(entry)) continue;
    const expression = getString(entry, 'expression');
    if (expression !== undefined) out.push(expression);
    const license = getObject(entry, 'license');
    if (license) {
      const v = getString(license, 'id') ?? getString(license, 'name');
      if (v !== undefined) out.push(v);
    }
  }
  return uniq(out);
}

function authorOf(c: JsonObject): string | undefined {
  const author = getString(c, 'author');
  if (author !== undefined) return author;
  // 1.6 replaced author with authors[] (organizationalContact)
  const names = getArray(c, 'authors').flatMap((a) => (isObject(a) && typeof a.name === 'string' ? [a.name] : []));
  return names.length ? names.join(', ') : undefined;
}

function draftOf(c: JsonObject, pointer: string, parentRef: string | undefined): ComponentDraft {
  const draft: ComponentDraft = {
    ref: getString(c, 'bom-ref') ?? `#${pointer}`,
    name: getString(c, 'name') ?? '',
    version: getString(c, 'version'),
    cpes: [],
    type: (getString(c, 'type') ?? 'library') as ComponentType,
    hashes: getArray(c, 'hashes').flatMap((h) =>
      isObject(h) && typeof h.alg === 'string' && typeof h.content === 'string'
        ? [{ alg: normalizeHashAlg(h.alg), value: h.content.toLowerCase() }]
        : [],
    ),
    licenses: licensesOf(c),
    properties: getArray(c, 'properties').flatMap((p) =>
      isObject(p) && typeof p.name === 'string' ? [{ name: p.name, value: typeof p.value === 'string' ? p.value : '' }] : [],
    ),
  };
  const purl = getString(c, 'purl');
  if (purl !== undefined) draft.purlRaw = purl;
  const cpe = getString(c, 'cpe');
  if (cpe !== undefined) draft.cpes.push(cpe);
  const supplier = getObject(c, 'supplier');
  const supplierName = supplier ? getString(supplier, 'name') : undefined;
  if (supplierName !== undefined) draft.supplier = supplierName;
  const author = authorOf(c);
  if (author !== undefined) draft.author = author;
  const group = getString(c, 'group');
  if (group !== undefined && group !== '') draft.group = group;
  if (parentRef !== undefined) draft.parentRef = parentRef;
  return draft;
}

/** Collects components and services (bom-ref uniqueness spans both) in document order. */
class Walker {
  readonly components: Component[] = [];
  readonly refs = new Map<string, string>();

  constructor(private readonly file: string | undefined) {}

  claimRef(ref: string | undefined, pointer: string): void {
    if (ref === undefined) return;
    const first = this.refs.get(ref);
    if (first !== undefined) {
      throw new SbomError('sbom.duplicate_ref', `bom-ref "${ref}" is used more than once (first at ${first})`, { file: this.file, pointer: `${pointer}/bom-ref` }, { ref, firstAt: first });
    }
    this.refs.set(ref, pointer);
  }

  walkComponents(list: unknown[], base: string, parentRef: string | undefined, depth: number): void {
    if (depth > SBOM_LIMITS.maxComponentNesting) {
      throw new SbomError('sbom.too_deep', `components nested deeper than ${SBOM_LIMITS.maxComponentNesting} levels`, { file: this.file, pointer: base });
    }
    for (let i = 0; i < list.length; i++) {
      const c = list[i];
      if (!isObject(c)) continue;
      const pointer = `${base}/${i}`;
      this.claimRef(getString(c, 'bom-ref'), pointer);
      if (this.components.length >= SBOM_LIMITS.maxComponents) {
        throw new SbomError('sbom.too_many_components', `more than ${SBOM_LIMITS.maxComponents} components`, { file: this.file, pointer });
      }
      const component = finalizeComponent(draftOf(c, pointer, parentRef));
      this.components.push(component);
      this.walkComponents(getArray(c, 'components'), `${pointer}/components`, component.ref, depth + 1);
    }
  }

  walkServices(list: unknown[], base: string, depth: number): void {
    if (depth > SBOM_LIMITS.maxComponentNesting) {
      throw new SbomError('sbom.too_deep', `services nested deeper than ${SBOM_LIMITS.maxComponentNesting} levels`, { file: this.file, pointer: base });
    }
    list.forEach((s, i) => {
      if (!isObject(s)) return;
      this.claimRef(getString(s, 'bom-ref'), `${base}/${i}`);
      this.walkServices(getArray(s, 'services'), `${base}/${i}/services`, depth + 1);
    });
  }
}

function toolsOf(metadata: JsonObject | undefined): string[] {
  if (!metadata) return [];
  const raw = metadata.tools;
  // 1.5+ allows {components, services}; earlier versions (and the deprecated form) an array
  const list = Array.isArray(raw) ? raw : isObject(raw) ? [...getArray(raw, 'components'), ...getArray(raw, 'services')] : [];
  return list.flatMap((t) => {
    if (!isObject(t)) return [];
    const vendor = getString(t, 'vendor') ?? getString(t, 'group');
    const name = getString(t, 'name');
    const version = getString(t, 'version');
    const label = [vendor, name].filter((x) => x !== undefined && x !== '').join(' ');
    return label ? [version ? `${label}@${version}` : label] : [];
  });
}

function dependenciesOf(doc: JsonObject, refs: Map<string, string>, file: string | undefined): Dependency[] {
  const check = (ref: string, pointer: string) => {
    if (!refs.has(ref)) throw new SbomError('sbom.dangling_ref', `dependency refers to unknown bom-ref "${ref}"`, { file, pointer }, { ref });
  };
  return getArray(doc, 'dependencies').flatMap((d, i) => {
    if (!isObject(d) || typeof d.ref !== 'string') return [];
    check(d.ref, `/dependencies/${i}/ref`);
    const dependsOn = getArray(d, 'dependsOn').filter((r): r is string => typeof r === 'string');
    dependsOn.forEach((r, j) => check(r, `/dependencies/${i}/dependsOn/${j}`));
    return [{ ref: d.ref, dependsOn: uniq(dependsOn) }];
  });
}

function parseCycloneDx(text: string, options: ParseOptions = {}): Sbom {
  const file = options.file;
  const doc = parseJsonDocument(stripBom(text), file);
  if (!isObject(doc)) throw new SbomError('sbom.unknown_format', 'a CycloneDX document must be a JSON object', { file, pointer: '' });
  if (doc.bomFormat !== 'CycloneDX') {
    throw new SbomError('sbom.unknown_format', 'bomFormat must be "CycloneDX"', { file, pointer: '/bomFormat' });
  }
  const specVersion = doc.specVersion;
  if (typeof specVersion !== 'string' || !(CYCLONEDX_SPEC_VERSIONS as readonly string[]).includes(specVersion)) {
    throw new SbomError('sbom.unsupported_version', `CycloneDX specVersion ${JSON.stringify(specVersion)} is not supported (1.2–1.6 JSON)`, { file, pointer: '/specVersion' });
  }
  const violation = validateCycloneDx(specVersion as CycloneDxSpecVersion, doc);
  if (violation) {
    throw new SbomError('sbom.schema_violation', `CycloneDX ${specVersion} schema: ${violation.message}`, { file, pointer: violation.pointer });
  }

  const walker = new Walker(file);
  const metadata = getObject(doc, 'metadata');
  const product = metadata ? getObject(metadata, 'component') : undefined;
  let metadataComponent: Component | undefined;
  if (product) {
    walker.claimRef(getString(product, 'bom-ref'), '/metadata/component');
    metadataComponent = finalizeComponent(draftOf(product, '/metadata/component', undefined));
    walker.walkComponents(getArray(product, 'components'), '/metadata/component/components', metadataComponent.ref, 1);
  }
  walker.walkComponents(getArray(doc, 'components'), '/components', undefined, 0);
  walker.walkServices(getArray(doc, 'services'), '/services', 0);

  const sbom: Sbom = {
    format: 'cyclonedx',
    specVersion,
    tools: toolsOf(metadata),
    components: walker.components,
    dependencies: dependenciesOf(doc, walker.refs, file),
    parser: `${ID}@${VERSION}`,
    sha256: sha256Hex(text),
  };
  const serial = getString(doc, 'serialNumber');
  if (serial !== undefined) sbom.serialNumber = serial;
  if (metadataComponent) {
    sbom.metadataComponent = metadataComponent;
    sbom.name = metadataComponent.name;
  }
  const created = metadata ? getString(metadata, 'timestamp') : undefined;
  if (created !== undefined) sbom.created = created;
  return sbom;
}

export const cycloneDxJsonParser: SbomParser = {
  id: ID,
  version: VERSION,
  detect: (head, filename) =>
    /"bomFormat"\s*:\s*"CycloneDX"/.test(head) || (/\.(cdx|bom)\.json$/i.test(filename ?? '') && head.trimStart().startsWith('{')),
  parse: parseCycloneDx,
};

