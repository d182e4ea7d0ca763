/** @module Kysely table types for passive network monitoring (owned by the netmon capability). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface NetmonTables {}
