/** @module Schema for vulnerability intelligence: products, SBOMs, components, advisories, findings, triage, feed state. */
import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import type { DialectMigration } from './index.js';

export const vulnsMigration: DialectMigration = {
  async up(_db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
    // filled in by the vulns storage work
  },
};
