/**
 * @module VEX import entry point: parse untrusted JSON text (bounded), detect CycloneDX, CSAF or
 * OpenVEX from the document's shape, and hand it to that importer. Everything that goes wrong is
 * a VexParseError naming the file and the JSON pointer (or byte offset).
 */
import { VexParseError } from '../errors.js';
import { VexReader, isObject, parseVexJson } from '../json.js';
import type { VexDocument, VexFormat } from '../model.js';
import { importCsaf } from './csaf.js';
import { importCycloneDx } from './cyclonedx.js';
import { OPENVEX_CONTEXT, importOpenVex } from './openvex.js';

/** The VEX format of a parsed JSON document, from its shape; undefined when it is none of them. */
export function detectVexFormat(doc: unknown): VexFormat | undefined {
  if (!isObject(doc)) return undefined;
  if (doc.bomFormat === 'CycloneDX') return 'cyclonedx';
  if (isObject(doc.document) && typeof doc.document.csaf_version === 'string') return 'csaf';
  if (typeof doc['@context'] === 'string' && doc['@context'].startsWith(OPENVEX_CONTEXT)) return 'openvex';
  return undefined;
}

export interface ParseVexOptions {
  /** skip detection and require this format */
  format?: VexFormat;
  /** maximum characters of JSON text (default VEX_LIMITS.maxBytes) */
  maxBytes?: number;
}

/** Parse a CycloneDX VEX, CSAF 2.0 or OpenVEX document into VEX statements. */
export function parseVex(text: string, location: string, options: ParseVexOptions = {}): VexDocument {
  const doc = parseVexJson(text, location, options.maxBytes);
  const detected = detectVexFormat(doc);
  if (detected === undefined) {
    throw new VexParseError('vex.unknown_format', 'not a CycloneDX (bomFormat), CSAF (document.csaf_version) or OpenVEX (@context) document', { file: location, pointer: '' });
  }
  if (options.format !== undefined && options.format !== detected) {
    throw new VexParseError('vex.unknown_format', `expected a ${options.format} document, found ${detected}`, { file: location, pointer: '' });
  }
  const r = new VexReader(location);
  const root = r.object(doc, '');
  if (detected === 'cyclonedx') return importCycloneDx(r, root);
  if (detected === 'csaf') return importCsaf(r, root, text);
  return importOpenVex(r, root);
}
