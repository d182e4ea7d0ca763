/** @module Kysely table types for vulnerability intelligence (owned by the vulns capability). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface VulnTables {}
