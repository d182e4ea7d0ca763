/**
 * @module The vulnerability-intelligence storage port (src/vulns/ports.ts) over Kysely, one
 * implementation for SQLite and PostgreSQL, assembled from one file per concern: products,
 * SBOMs with their components, advisories, and findings with triage and feed state. Tables and
 * indexes are described in docs/vulns-storage.md.
 */
import type { Kysely } from 'kysely';
import type { VulnRepository, VulnStore } from '../../vulns/ports.js';
import type { Dialect } from '../database.js';
import type { DB } from '../schema.js';
import { advisoryStore } from './vulns-advisories.js';
import { findingStore } from './vulns-findings.js';
import { productStore } from './vulns-products.js';
import { sbomStore } from './vulns-sboms.js';

function store(db: Kysely<DB>, dialect: Dialect): VulnStore {
  return { ...productStore(db, dialect), ...sbomStore(db, dialect), ...advisoryStore(db, dialect), ...findingStore(db, dialect) };
}

export function createVulnRepository(db: Kysely<DB>, dialect: Dialect): VulnRepository {
  return {
    ...store(db, dialect),
    transaction: (fn) => db.transaction().execute((trx) => fn(store(trx, dialect), trx)),
  };
}
