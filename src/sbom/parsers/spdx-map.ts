/**
 * @module SPDX 2.2/2.3 document (in its JSON shape) → internal model. Both the JSON parser and
 * the tag-value parser (which builds the same shape) go through here, so required-field checks
 * and the mapping exist once; `locate` turns a JSON pointer into the caller's kind of location
 * (pointer for JSON, line for tag-value).
 */
import type { ErrorLocation } from '../../core/index.js';
import type { Component, ComponentType, Dependency, Sbom } from '../model.js';
import { SbomError, type SbomErrorCode } from '../errors.js';
import { getArray, isObject, uniq, type JsonObject } from '../json-access.js';
import { finalizeComponent, normalizeHashAlg, presentVersion, type ComponentDraft } from '../normalize.js';
import { SBOM_LIMITS } from './contract.js';

export type Locate = (pointer: string) => ErrorLocation;

export const SPDX_VERSIONS = ['SPDX-2.2', 'SPDX-2.3'] as const;
const SPDX_ID = /^SPDXRef-[A-Za-z0-9.-]+$/;

/** relationship types meaning "A needs B" (forward) or "A is needed by B" (reverse) */
const DEPENDS_FORWARD = new Set(['DEPENDS_ON', 'STATIC_LINK', 'DYNAMIC_LINK']);
const DEPENDS_REVERSE = new Set([
  'DEPENDENCY_OF',
  'BUILD_DEPENDENCY_OF',
  'DEV_DEPENDENCY_OF',
  'OPTIONAL_DEPENDENCY_OF',
  'PROVIDED_DEPENDENCY_OF',
  'TEST_DEPENDENCY_OF',
  'RUNTIME_DEPENDENCY_OF',
]);

const PURPOSES: Record<string, ComponentType> = {
  APPLICATION: 'application',
  FRAMEWORK: 'framework',
  LIBRARY: 'library',
  CONTAINER: 'container',
  'OPERATING-SYSTEM': 'operating-system',
  DEVICE: 'device',
  FIRMWARE: 'firmware',
  SOURCE: 'source',
  ARCHIVE: 'archive',
  FILE: 'file',
  INSTALL: 'install',
  OTHER: 'other',
};

/** "Organization: Acme (x@y)" / "Person: Jane (jane@x)" → "Acme" / "Jane"; NOASSERTION → undefined */
export function spdxActorName(actor: string | undefined): string | undefined {
  if (actor === undefined) return undefined;
  const v = actor.trim();
  if (v === '' || v === 'NOASSERTION') return undefined;
  const m = /^(?:Organization|Person|Tool)\s*:\s*(.*)$/s.exec(v);
  const name = (m ? (m[1] as string) : v).replace(/\s*\([^()]*\)\s*$/, '').trim();
  return name === '' ? undefined : name;
}

class Checker {
  constructor(
    private readonly locate: Locate,
    private readonly file: string | undefined,
  ) {}

  fail(code: SbomErrorCode, message: string, pointer: string, details?: Record<string, unknown>): never {
    throw new SbomError(code, message, { ...this.locate(pointer), ...(this.file === undefined ? {} : { file: this.file }) }, details);
  }

  string(o: JsonObject, key: string, pointer: string, required: boolean): string | undefined {
    const v = o[key];
    if (v === undefined && !required) return undefined;
    if (typeof v !== 'string') this.fail('sbom.invalid_document', `${key} ${v === undefined ? 'is required' : 'must be a string'}`, `${pointer}/${key}`);
    return v;
  }

  array(o: JsonObject, key: string, pointer: string): unknown[] {
    const v = o[key];
    if (v === undefined) return [];
    if (!Array.isArray(v)) this.fail('sbom.invalid_document', `${key} must be an array`, `${pointer}/${key}`);
    return v;
  }

  object(v: unknown, what: string, pointer: string): JsonObject {
    if (!isObject(v)) this.fail('sbom.invalid_document', `${what} must be an object`, pointer);
    return v;
  }
}

function packageDraft(pkg: JsonObject, pointer: string, check: Checker): ComponentDraft {
  const ref = check.string(pkg, 'SPDXID', pointer, true) as string;
  if (!SPDX_ID.test(ref)) check.fail('sbom.invalid_document', `SPDXID "${ref}" must look like SPDXRef-<letters, digits, . or ->`, `${pointer}/SPDXID`);
  const name = check.string(pkg, 'name', pointer, true) as string;
  check.string(pkg, 'downloadLocation', pointer, true);
  const version = check.string(pkg, 'versionInfo', pointer, false);
  const draft: ComponentDraft = { ref, name, version, cpes: [], type: 'unknown', hashes: [], licenses: [], properties: [] };

  check.array(pkg, 'externalRefs', pointer).forEach((r, j) => {
    const at = `${pointer}/externalRefs/${j}`;
    const ext = check.object(r, 'an external reference', at);
    const category = (check.string(ext, 'referenceCategory', at, true) as string).replace('_', '-');
    const type = check.string(ext, 'referenceType', at, true) as string;
    const locator = check.string(ext, 'referenceLocator', at, true) as string;
    if (category === 'PACKAGE-MANAGER' && type === 'purl' && draft.purlRaw === undefined) draft.purlRaw = locator;
    else if (category === 'PACKAGE-MANAGER' && type === 'purl') draft.properties.push({ name: 'spdx:purl', value: locator });
    else if (category === 'SECURITY' && (type === 'cpe23Type' || type === 'cpe22Type')) draft.cpes.push(locator);
  });
  check.array(pkg, 'checksums', pointer).forEach((c, j) => {
    const at = `${pointer}/checksums/${j}`;
    const sum = check.object(c, 'a checksum', at);
    const alg = check.string(sum, 'algorithm', at, true) as string;
    const value = check.string(sum, 'checksumValue', at, true) as string;
    draft.hashes.push({ alg: normalizeHashAlg(alg), value: value.trim().toLowerCase() });
  });
  const licenses = ['licenseConcluded', 'licenseDeclared'].flatMap((k) => {
    const v = check.string(pkg, k, pointer, false);
    return v !== undefined && presentVersion(v) !== undefined ? [v.trim()] : [];
  });
  draft.licenses = uniq(licenses);
  const supplier = spdxActorName(check.string(pkg, 'supplier', pointer, false));
  if (supplier !== undefined) draft.supplier = supplier;
  const author = spdxActorName(check.string(pkg, 'originator', pointer, false));
  if (author !== undefined) draft.author = author;
  const purpose = check.string(pkg, 'primaryPackagePurpose', pointer, false);
  if (purpose !== undefined) draft.type = PURPOSES[purpose.toUpperCase()] ?? 'other';
  return draft;
}

interface Relationship {
  from: string;
  type: string;
  to: string;
}

/** Maps a SPDX 2.2/2.3 document object. `sha256` and `parser` describe the original text. */
export function mapSpdxDocument(doc: unknown, locate: Locate, file: string | undefined, meta: { parser: string; sha256: string }): Sbom {
  const check: Checker = new Checker(locate, file);
  const root = check.object(doc, 'an SPDX document', '');
  const version = root.spdxVersion;
  if (typeof version !== 'string') check.fail('sbom.invalid_document', 'spdxVersion is required', '/spdxVersion');
  if (!(SPDX_VERSIONS as readonly string[]).includes(version)) {
    check.fail('sbom.unsupported_version', `${JSON.stringify(version)} is not supported (SPDX-2.2 or SPDX-2.3)`, '/spdxVersion');
  }
  const docId = check.string(root, 'SPDXID', '', true);
  if (docId !== 'SPDXRef-DOCUMENT') check.fail('sbom.invalid_document', 'the document SPDXID must be SPDXRef-DOCUMENT', '/SPDXID');
  const name = check.string(root, 'name', '', true) as string;
  const namespace = check.string(root, 'documentNamespace', '', true) as string;
  check.string(root, 'dataLicense', '', true);
  const creation = check.object(root.creationInfo, 'creationInfo', '/creationInfo');
  const created = check.string(creation, 'created', '/creationInfo', true) as string;
  const creators = check.array(creation, 'creators', '/creationInfo');
  if (creators.length === 0) check.fail('sbom.invalid_document', 'creationInfo.creators must name at least one creator', '/creationInfo/creators');
  const tools: string[] = [];
  creators.forEach((c, i) => {
    if (typeof c !== 'string') check.fail('sbom.invalid_document', 'a creator must be a string', `/creationInfo/creators/${i}`);
    if (/^Tool\s*:/.test(c)) tools.push(spdxActorName(c) as string);
  });

  const ids = new Map<string, string>([['SPDXRef-DOCUMENT', '/SPDXID']]);
  const claim = (id: string, pointer: string) => {
    const first = ids.get(id);
    if (first !== undefined) check.fail('sbom.duplicate_ref', `SPDXID "${id}" is used more than once`, pointer, { ref: id, firstAt: first });
    ids.set(id, pointer);
  };
  const packages = check.array(root, 'packages', '');
  if (packages.length > SBOM_LIMITS.maxComponents) check.fail('sbom.too_many_components', `more than ${SBOM_LIMITS.maxComponents} packages`, '/packages');
  const drafts = packages.map((p, i) => {
    const pointer = `/packages/${i}`;
    const draft = packageDraft(check.object(p, 'a package', pointer), pointer, check);
    claim(draft.ref, `${pointer}/SPDXID`);
    return draft;
  });
  for (const key of ['files', 'snippets']) {
    check.array(root, key, '').forEach((f, i) => {
      const at = `/${key}/${i}`;
      const id = check.string(check.object(f, `an entry of ${key}`, at), 'SPDXID', at, true) as string;
      claim(id, `${at}/SPDXID`);
    });
  }

  const isLocal = (id: string) => !id.startsWith('DocumentRef-') && id !== 'NONE' && id !== 'NOASSERTION';
  const relationships: Relationship[] = check.array(root, 'relationships', '').map((r, i) => {
    const at = `/relationships/${i}`;
    const rel = check.object(r, 'a relationship', at);
    const from = check.string(rel, 'spdxElementId', at, true) as string;
    const type = check.string(rel, 'relationshipType', at, true) as string;
    const to = check.string(rel, 'relatedSpdxElement', at, true) as string;
    if (isLocal(from) && !ids.has(from)) check.fail('sbom.dangling_ref', `relationship refers to unknown element "${from}"`, `${at}/spdxElementId`, { ref: from });
    if (isLocal(to) && !ids.has(to)) check.fail('sbom.dangling_ref', `relationship refers to unknown element "${to}"`, `${at}/relatedSpdxElement`, { ref: to });
    return { from, type, to };
  });
  getArray(root, 'documentDescribes').forEach((d, i) => {
    if (typeof d !== 'string') return;
    if (isLocal(d) && !ids.has(d)) check.fail('sbom.dangling_ref', `documentDescribes refers to unknown element "${d}"`, `/documentDescribes/${i}`, { ref: d });
    relationships.push({ from: 'SPDXRef-DOCUMENT', type: 'DESCRIBES', to: d });
  });

  return assemble(drafts, relationships, {
    format: 'spdx',
    specVersion: version.slice('SPDX-'.length),
    serialNumber: namespace,
    name,
    created,
    tools,
    parser: meta.parser,
    sha256: meta.sha256,
  });
}

type Header = Omit<Sbom, 'components' | 'dependencies' | 'metadataComponent'>;

function assemble(drafts: ComponentDraft[], relationships: Relationship[], header: Header): Sbom {
  const byRef = new Map(drafts.map((d) => [d.ref, d]));
  const described = new Set<string>();
  const edges = new Map<string, string[]>();
  const addEdge = (from: string, to: string) => {
    if (!byRef.has(from) || !byRef.has(to)) return; // files and other documents are not components
    const list = edges.get(from);
    if (list) list.push(to);
    else edges.set(from, [to]);
  };
  for (const r of relationships) {
    if (r.type === 'DESCRIBES' && r.from === 'SPDXRef-DOCUMENT') described.add(r.to);
    else if (r.type === 'DESCRIBED_BY' && r.to === 'SPDXRef-DOCUMENT') described.add(r.from);
    else if (r.type === 'CONTAINS' || r.type === 'CONTAINED_BY') {
      const [parent, child] = r.type === 'CONTAINS' ? [r.from, r.to] : [r.to, r.from];
      const c = byRef.get(child);
      if (c && byRef.has(parent) && c.parentRef === undefined && parent !== child) c.parentRef = parent;
    } else if (DEPENDS_FORWARD.has(r.type)) addEdge(r.from, r.to);
    else if (DEPENDS_REVERSE.has(r.type)) addEdge(r.to, r.from);
  }
  // the product is the one package the document describes; with several there is no single product
  const describedPackages = [...described].filter((id) => byRef.has(id));
  const productRef = describedPackages.length === 1 ? describedPackages[0] : undefined;
  const components: Component[] = [];
  let metadataComponent: Component | undefined;
  for (const d of drafts) {
    const c = finalizeComponent(d);
    if (d.ref === productRef) metadataComponent = c;
    else components.push(c);
  }
  const dependencies: Dependency[] = [...edges].map(([ref, to]) => ({ ref, dependsOn: uniq(to) }));
  const sbom: Sbom = { ...header, components, dependencies };
  if (metadataComponent) sbom.metadataComponent = metadataComponent;
  return sbom;
}

