/**
 * @module SPDX 2.2/2.3 tag-value parser. Lines are `Tag: Value`; `<text>…</text>` values may span
 * lines; PackageName opens a package, FileName a file, SnippetSPDXID a snippet and LicenseID an
 * extracted licence, and the tags that follow belong to it. The result is built in the SPDX JSON
 * shape and mapped by the shared SPDX mapper, with every pointer traced back to its line.
 */
import type { Sbom } from '../model.js';
import { SbomError } from '../errors.js';
import { sha256Hex, type JsonObject } from '../json-access.js';
import { checkSize, stripBom } from '../json-text.js';
import { SBOM_LIMITS, type ParseOptions, type SbomParser } from './contract.js';
import { mapSpdxDocument } from './spdx-map.js';

const ID = 'spdx-tag-value';
const VERSION = '1.0.0';

const TAG_LINE = /^([A-Za-z][A-Za-z0-9]*):[ \t]*(.*)$/;

/** tags of a package and the JSON field each fills */
const PACKAGE_FIELDS: Record<string, string> = {
  SPDXID: 'SPDXID',
  PackageVersion: 'versionInfo',
  PackageSupplier: 'supplier',
  PackageOriginator: 'originator',
  PackageDownloadLocation: 'downloadLocation',
  PackageLicenseConcluded: 'licenseConcluded',
  PackageLicenseDeclared: 'licenseDeclared',
  PrimaryPackagePurpose: 'primaryPackagePurpose',
};

const DOCUMENT_FIELDS: Record<string, string> = {
  SPDXVersion: 'spdxVersion',
  DataLicense: 'dataLicense',
  SPDXID: 'SPDXID',
  DocumentName: 'name',
  DocumentNamespace: 'documentNamespace',
};

interface Entry {
  tag: string;
  value: string;
  line: number;
}

/** Splits the text into tag/value entries, joining multi-line <text> values. */
function* entries(text: string, file: string | undefined): Generator<Entry> {
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = TAG_LINE.exec(line);
    if (!m) throw new SbomError('sbom.invalid_tag_value', `expected "Tag: Value", found ${JSON.stringify(line.slice(0, 60))}`, { file, line: i + 1 });
    const tag = m[1] as string;
    let value = (m[2] as string).trim();
    const start = i + 1;
    if (value.startsWith('<text>')) {
      let body = raw.slice(raw.indexOf('<text>') + 6);
      while (!body.includes('</text>')) {
        i++;
        if (i >= lines.length) throw new SbomError('sbom.invalid_tag_value', `<text> value of ${tag} is never closed by </text>`, { file, line: start });
        body += `\n${lines[i] as string}`;
      }
      value = body.slice(0, body.indexOf('</text>'));
    }
    yield { tag, value, line: start };
  }
}

type Context = 'document' | 'package' | 'file' | 'snippet' | 'license';

function parseSpdxTagValue(text: string, options: ParseOptions = {}): Sbom {
  const file = options.file;
  checkSize(text, file);
  const doc: JsonObject = {};
  const creators: string[] = [];
  const creationInfo: JsonObject = { creators };
  const packages: JsonObject[] = [];
  const files: JsonObject[] = [];
  const snippets: JsonObject[] = [];
  const relationships: JsonObject[] = [];
  const lineOf = new Map<string, number>();
  let context: Context = 'document';
  let current: JsonObject = doc;
  let base = '';
  const bad: (message: string, line: number) => never = (message, line) => {
    throw new SbomError('sbom.invalid_tag_value', message, { file, line });
  };

  for (const { tag, value, line } of entries(stripBom(text), file)) {
    if (tag === 'PackageName') {
      if (packages.length >= SBOM_LIMITS.maxComponents) bad(`more than ${SBOM_LIMITS.maxComponents} packages`, line);
      current = { name: value };
      base = `/packages/${packages.length}`;
      packages.push(current);
      context = 'package';
      lineOf.set(base, line);
      lineOf.set(`${base}/name`, line);
    } else if (tag === 'FileName' || tag === 'SnippetSPDXID') {
      const list = tag === 'FileName' ? files : snippets;
      current = tag === 'FileName' ? { fileName: value } : { SPDXID: value };
      base = `/${tag === 'FileName' ? 'files' : 'snippets'}/${list.length}`;
      list.push(current);
      context = tag === 'FileName' ? 'file' : 'snippet';
      lineOf.set(base, line);
      if (tag === 'SnippetSPDXID') lineOf.set(`${base}/SPDXID`, line);
    } else if (tag === 'LicenseID') {
      context = 'license';
    } else if (tag === 'Relationship') {
      const parts = value.split(/\s+/);
      if (parts.length !== 3) bad(`Relationship must be "<element> <TYPE> <element>", found ${JSON.stringify(value)}`, line);
      const at = `/relationships/${relationships.length}`;
      relationships.push({ spdxElementId: parts[0], relationshipType: parts[1], relatedSpdxElement: parts[2] });
      for (const k of ['', '/spdxElementId', '/relationshipType', '/relatedSpdxElement']) lineOf.set(at + k, line);
    } else if (tag === 'Creator') {
      lineOf.set(`/creationInfo/creators/${creators.length}`, line);
      creators.push(value);
    } else if (tag === 'Created') {
      creationInfo.created = value;
      lineOf.set('/creationInfo/created', line);
    } else if (context === 'document' && DOCUMENT_FIELDS[tag] !== undefined) {
      doc[DOCUMENT_FIELDS[tag]] = value;
      lineOf.set(`/${DOCUMENT_FIELDS[tag]}`, line);
    } else if (context === 'package') {
      const field = PACKAGE_FIELDS[tag];
      if (field !== undefined) {
        current[field] = value;
        lineOf.set(`${base}/${field}`, line);
      } else if (tag === 'PackageChecksum') {
        const m = /^([A-Za-z0-9-]+):\s*(\S+)$/.exec(value);
        if (!m) bad(`PackageChecksum must be "<ALGORITHM>: <hex>", found ${JSON.stringify(value)}`, line);
        const list = (current.checksums ??= []) as JsonObject[];
        lineOf.set(`${base}/checksums/${list.length}`, line);
        list.push({ algorithm: m[1], checksumValue: m[2] });
      } else if (tag === 'ExternalRef') {
        const parts = value.split(/\s+/);
        if (parts.length !== 3) bad(`ExternalRef must be "<CATEGORY> <type> <locator>", found ${JSON.stringify(value)}`, line);
        const list = (current.externalRefs ??= []) as JsonObject[];
        lineOf.set(`${base}/externalRefs/${list.length}`, line);
        list.push({ referenceCategory: parts[0], referenceType: parts[1], referenceLocator: parts[2] });
      }
    } else if ((context === 'file' || context === 'snippet') && tag === 'SPDXID') {
      current.SPDXID = value;
      lineOf.set(`${base}/SPDXID`, line);
    }
  }
  if (creators.length || creationInfo.created !== undefined) doc.creationInfo = creationInfo;
  if (packages.length) doc.packages = packages;
  if (files.length) doc.files = files;
  if (snippets.length) doc.snippets = snippets;
  if (relationships.length) doc.relationships = relationships;

  // a pointer to a missing field resolves to the line that opened its package (or line 1)
  const locate = (pointer: string) => {
    for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
      const line = lineOf.get(p);
      if (line !== undefined) return { line };
      if (p === '') return { line: 1 };
    }
  };
  return mapSpdxDocument(doc, locate, file, { parser: `${ID}@${VERSION}`, sha256: sha256Hex(text) });
}

export const spdxTagValueParser: SbomParser = {
  id: ID,
  version: VERSION,
  detect: (head, filename) => /^\s*SPDXVersion:/m.test(head) || /\.spdx$/i.test(filename ?? ''),
  parse: parseSpdxTagValue,
};
