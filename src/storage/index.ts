/** @module Storage: engines, migrations, and repository implementations of every capability's ports. */
export * from './database.js';
export * from './migrate.js';
export type { DB } from './schema.js';
