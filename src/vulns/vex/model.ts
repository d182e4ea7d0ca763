/**
 * @module The one VEX statement model CycloneDX VEX, CSAF 2.0 (csaf_vex and advisories carrying
 * product_status) and OpenVEX 0.2.0 import into: a vulnerability, the products (with optional
 * subcomponents) it speaks about, a VEX state with its justification and statements, and where in
 * which file it came from. Justifications are kept in the vocabulary the document used
 * (CSAF/OpenVEX labels or CycloneDX values); exporters map between vocabularies (docs/vex.md).
 */
import type { VexJustification, VexState } from '../findings/model.js';
import type { ProductHash } from '../model.js';

export type VexFormat = 'cyclonedx' | 'csaf' | 'openvex';
export const VEX_FORMATS: readonly VexFormat[] = ['cyclonedx', 'csaf', 'openvex'];

/** Version bounds of one CycloneDX `affects[].versions[]` entry. */
export interface VexAffectedVersion {
  version?: string;
  range?: string;
  /** CycloneDX: affected | unaffected | unknown */
  status: string;
}

/** A product or component a statement speaks about, with every identifier the document gave. */
export interface VexProductRef {
  purl?: string;
  cpe?: string;
  name?: string;
  version?: string;
  /** CSAF product_version_range branch name (free text or `vers:`) */
  versionRange?: string;
  vendor?: string;
  csafProductId?: string;
  /** CycloneDX bom-ref the statement's `affects[].ref` resolved to */
  bomRef?: string;
  /** CycloneDX BOM-Link (`urn:cdx:serial/version#ref`) into another BOM, kept unresolved */
  bomLink?: string;
  /** OpenVEX `@id` when it is neither a purl nor a CPE */
  id?: string;
  hashes?: ProductHash[];
  /** CycloneDX `affects[].versions[]` */
  versions?: VexAffectedVersion[];
}

export interface VexStatementSource {
  format: VexFormat;
  /** file name or URL the statement was read from */
  location: string;
  /** RFC 6901 JSON pointer of the statement inside that file */
  pointer: string;
}

export interface VexStatement {
  /** CVE when the document names one, otherwise the document's id for the vulnerability */
  vulnerabilityId: string;
  /** other ids of the same vulnerability (GHSA, vendor ids, OpenVEX @id) */
  aliases: string[];
  /** the products the statement is about (a CycloneDX BOM's metadata.component, a CSAF product, an OpenVEX product) */
  products: VexProductRef[];
  /** the components inside those products the statement narrows to */
  subcomponents?: VexProductRef[];
  state: VexState;
  /** the state as the document wrote it (`resolved_with_pedigree`, `known_affected`, `false_positive`, ...) */
  sourceState: string;
  justification?: VexJustification;
  /** why the product is (not) affected: CSAF impact threat, OpenVEX impact_statement */
  impactStatement?: string;
  /** what to do: CSAF remediations, OpenVEX action_statement, CycloneDX recommendation/workaround */
  actionStatement?: string;
  /** CycloneDX analysis.detail, OpenVEX status_notes */
  detail?: string;
  /** CycloneDX analysis.response values */
  responses?: string[];
  /** ISO-8601 UTC: when the statement was made or last updated */
  timestamp?: string;
  source: VexStatementSource;
}

export interface VexDocumentInfo {
  author?: string;
  /** ISO-8601 UTC */
  timestamp?: string;
  /** CycloneDX serialNumber, CSAF tracking id, OpenVEX @id */
  id?: string;
  /** CycloneDX version, CSAF tracking version, OpenVEX version */
  version?: string;
}

export interface VexDocument {
  format: VexFormat;
  /** '1.4'..'1.6' (CycloneDX), '2.0' (CSAF), '0.2.0' (OpenVEX) */
  specVersion: string;
  info: VexDocumentInfo;
  statements: VexStatement[];
  /** things the importer noticed but did not reject, each naming its JSON pointer */
  warnings: string[];
}
