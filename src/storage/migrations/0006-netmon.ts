/** @module Schema for passive network monitoring: observations, flow summaries, baselines, detections state. */
import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import type { DialectMigration } from './index.js';

export const netmonMigration: DialectMigration = {
  async up(_db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
    // filled in by the netmon storage work
  },
};
