/**
 * @module The Kysely table types of the whole database, one file per capability's tables.
 * Timestamps are ISO-8601 UTC text in both engines (sortable, identical across dialects, see
 * docs/adr/0002-storage.md); structured values are JSON text.
 */
import type { InventoryTables } from './tables/inventory.js';
import type { AuthTables } from './tables/auth.js';
import type { AlertTables } from './tables/alerts.js';
import type { AuditTables } from './tables/audit.js';
import type { VulnTables } from './tables/vulns.js';
import type { NetmonTables } from './tables/netmon.js';

export type DB = InventoryTables & AuthTables & AlertTables & AuditTables & VulnTables & NetmonTables;
