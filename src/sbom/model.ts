/**
 * @module The one internal SBOM model. CycloneDX and SPDX documents are mapped into these types
 * at the edge so that storage and vulnerability matching never see a source format.
 */

export type SbomFormat = 'cyclonedx' | 'spdx';

/**
 * CycloneDX component types as given, SPDX `primaryPackagePurpose` lower-cased
 * (source, archive, install, other), and 'unknown' for an SPDX package that states no purpose.
 */
export type ComponentType =
  | 'application'
  | 'framework'
  | 'library'
  | 'container'
  | 'platform'
  | 'operating-system'
  | 'device'
  | 'device-driver'
  | 'firmware'
  | 'file'
  | 'machine-learning-model'
  | 'data'
  | 'cryptographic-asset'
  | 'source'
  | 'archive'
  | 'install'
  | 'other'
  | 'unknown';

/**
 * Quality flags: the component is kept, but matching must know its identity is weak.
 * 'duplicate-ref' is part of the contract for sources that tolerate repeated identifiers; both
 * supported formats require unique bom-ref / SPDXID, so those documents are rejected instead.
 */
export type ComponentFlag =
  | 'empty-version'
  | 'purl-without-version'
  | 'generic-purl'
  | 'hardware-cpe'
  | 'odd-version'
  | 'invalid-purl'
  | 'invalid-cpe'
  | 'duplicate-ref';

export interface ComponentHash {
  /** CycloneDX spelling: MD5, SHA-1, SHA-256, SHA-384, SHA-512, SHA3-256, BLAKE2b-256, ... */
  alg: string;
  /** lower-case hex */
  value: string;
}

export interface ComponentProperty {
  name: string;
  value: string;
}

export interface Component {
  /** bom-ref or SPDXID; a JSON pointer (`#/components/3`) when a CycloneDX component has no bom-ref */
  ref: string;
  name: string;
  version?: string;
  /** canonical purl (packageurl-js) when the text parses */
  purl?: string;
  /** purl exactly as written in the document */
  purlRaw?: string;
  cpes: string[];
  supplier?: string;
  author?: string;
  group?: string;
  type: ComponentType;
  hashes: ComponentHash[];
  /** SPDX expressions, SPDX ids or free licence names, as written */
  licenses: string[];
  /** ref of the enclosing component (CycloneDX nesting, SPDX CONTAINS) */
  parentRef?: string;
  /** purl type (npm, maven, nuget, generic, ...) */
  ecosystem?: string;
  properties: ComponentProperty[];
  flags: ComponentFlag[];
}

export interface Dependency {
  ref: string;
  dependsOn: string[];
}

export interface Sbom {
  format: SbomFormat;
  /** '1.2'..'1.6' for CycloneDX, '2.2' | '2.3' for SPDX */
  specVersion: string;
  /** CycloneDX serialNumber or SPDX documentNamespace */
  serialNumber?: string;
  name?: string;
  /** ISO-8601 as written (CycloneDX metadata.timestamp, SPDX creationInfo.created) */
  created?: string;
  tools: string[];
  /** the product the document describes; never repeated in `components` */
  metadataComponent?: Component;
  components: Component[];
  dependencies: Dependency[];
  /** `id@version` of the parser that produced this, so re-analysis is traceable */
  parser: string;
  /** lower-case hex SHA-256 of the UTF-8 input text */
  sha256: string;
}
