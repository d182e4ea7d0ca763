/**
 * @module The ordered list of schema migrations. Each capability owns its migration files;
 * names sort in the order they apply and are never renamed once released. A migration receives
 * the dialect so the few type differences (e.g. bigint vs integer, bytea vs blob) stay explicit.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { inventoryMigration } from './0001-inventory.js';
import { authMigration } from './0002-auth.js';
import { alertsMigration } from './0003-alerts.js';
import { auditMigration } from './0004-audit.js';
import { vulnsMigration } from './0005-vulns.js';
import { netmonMigration } from './0006-netmon.js';
import { netmonCaptureSourceMigration } from './0007-netmon-capture-source.js';
import { netmonObservationsMigration } from './0008-netmon-observations.js';
import { deviceIpsMigration } from './0009-device-ips.js';

export interface DialectMigration {
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

export const MIGRATIONS: ReadonlyArray<readonly [name: string, migration: DialectMigration]> = [
  ['0001-inventory', inventoryMigration],
  ['0002-auth', authMigration],
  ['0003-alerts', alertsMigration],
  ['0004-audit', auditMigration],
  ['0005-vulns', vulnsMigration],
  ['0006-netmon', netmonMigration],
  ['0007-netmon-capture-source', netmonCaptureSourceMigration],
  ['0008-netmon-observations', netmonObservationsMigration],
  ['0009-device-ips', deviceIpsMigration],
];
