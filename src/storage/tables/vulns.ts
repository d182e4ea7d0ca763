/**
 * @module Kysely table types for vulnerability intelligence (owned by the vulns capability):
 * products, SBOMs and their components, advisories, findings, triage decisions and feed state.
 * Booleans are integers 0/1 in both engines (better-sqlite3 cannot bind JS booleans); lists and
 * nested values are JSON text; match keys and aliases live in side tables so lookups are index
 * seeks. See docs/vulns-storage.md.
 */

export interface VulnProductsTable {
  id: string;
  manufacturer: string;
  name: string;
  version: string;
  normalized_vendor: string;
  normalized_product: string;
  cpe: string | null;
  purl: string | null;
  /** JSON object of rubric answers */
  rubric_json: string | null;
  origin: string;
  created_at: string;
  updated_at: string;
  /** the live SBOM (newest by imported_at, then id); maintained by insertSbom */
  latest_sbom_id: string | null;
  /** lower-cased manufacturer, name and version for ProductFilter.q */
  search_text: string;
}

export interface VulnSbomsTable {
  id: string;
  product_id: string;
  format: string;
  spec_version: string;
  serial_number: string | null;
  name: string | null;
  created: string | null;
  parser: string;
  sha256: string;
  component_count: number;
  imported_at: string;
  imported_by: string;
}

export interface VulnComponentsTable {
  id: string;
  /** null for the product-self component */
  sbom_id: string | null;
  product_id: string;
  /** position in the SBOM document (0-based); -1 for the product-self component */
  ord: number;
  component_key: string;
  /** the Component fields (ref, name, version, purl, cpes, hashes, ...) as JSON */
  component_json: string;
  /** JSON array of this component's match keys, also kept when it is no longer live */
  keys_json: string;
}

/** Match keys of LIVE components only (latest SBOM of each product, plus product-self). */
export interface VulnComponentKeysTable {
  key: string;
  component_id: string;
}

export interface VulnAdvisoriesTable {
  id: string;
  source: string;
  source_id: string;
  published: string | null;
  modified: string | null;
  withdrawn: string | null;
  /** 1 when the advisory carries a CISA KEV listing */
  kev: number;
  epss_percentile: number | null;
  title: string | null;
  /** lower-cased id, source id, aliases and title for AdvisoryFilter.q */
  search_text: string;
  content_hash: string;
  first_ingested_at: string;
  last_changed_at: string;
  advisory_json: string;
  /** JSON array of match keys as stored (sorted, unique) */
  keys_json: string;
}

export interface VulnAdvisoryKeysTable {
  key: string;
  advisory_id: string;
}

/** Every id an advisory is known by, its primary id included. */
export interface VulnAdvisoryAliasesTable {
  alias: string;
  advisory_id: string;
}

export interface VulnFindingsTable {
  id: string;
  product_id: string;
  component_ref: string;
  component_key: string;
  component_name: string;
  vulnerability_id: string;
  advisory_id: string;
  advisory_source: string;
  /** open | closed */
  status: string;
  close_reason: string | null;
  closed_at: string | null;
  /** VEX state of the current triage, null = untriaged */
  triage_state: string | null;
  needs_review: number;
  risk_score: number;
  first_seen: string;
  last_seen: string;
  /** lower-cased vulnerability id + "\n" + component name for FindingFilter.q */
  search_text: string;
  /** the remaining Finding fields (rule, evidence, triage, fixed versions, ...) as JSON */
  detail_json: string;
}

export interface VulnTriageTable {
  product_line: string;
  component_key: string;
  vulnerability_id: string;
  /** the TriageDecision as JSON */
  decision_json: string;
}

export interface VulnFeedStateTable {
  url: string;
  etag: string | null;
  last_modified: string | null;
  sha256: string | null;
  fetched_at: string;
  cursor: string | null;
}

export interface VulnTables {
  vuln_products: VulnProductsTable;
  vuln_sboms: VulnSbomsTable;
  vuln_components: VulnComponentsTable;
  vuln_component_keys: VulnComponentKeysTable;
  vuln_advisories: VulnAdvisoriesTable;
  vuln_advisory_keys: VulnAdvisoryKeysTable;
  vuln_advisory_aliases: VulnAdvisoryAliasesTable;
  vuln_findings: VulnFindingsTable;
  vuln_triage: VulnTriageTable;
  vuln_feed_state: VulnFeedStateTable;
}
