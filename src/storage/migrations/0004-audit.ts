/**
 * @module Schema for the audit log: entries (Merkle leaves), persisted subtree roots and signed
 * tree heads. All three refuse UPDATE and DELETE through triggers where the engine has them; this
 * stops mistakes and casual edits, not an attacker with DDL rights, which is why verification
 * recomputes every hash from content instead of trusting the database.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import type { DialectMigration } from './index.js';

export const AUDIT_APPEND_ONLY_TABLES = ['audit_entries', 'audit_nodes', 'audit_tree_heads'] as const;

type AuditField = 'actorId' | 'action' | 'targetType' | 'targetId' | 'time';

/**
 * SQL expressions for entry fields, per engine. Queries must use exactly these so the planner
 * matches them to the expression indexes.
 */
export const AUDIT_FIELD_SQL: Record<Dialect, Record<AuditField, string>> = {
  sqlite: {
    actorId: `json_extract(entry_json, '$.actor.id')`,
    action: `json_extract(entry_json, '$.action')`,
    targetType: `json_extract(entry_json, '$.targetType')`,
    targetId: `json_extract(entry_json, '$.targetId')`,
    time: `json_extract(entry_json, '$.time')`,
  },
  postgres: {
    actorId: `((entry_json::jsonb) -> 'actor' ->> 'id')`,
    action: `((entry_json::jsonb) ->> 'action')`,
    targetType: `((entry_json::jsonb) ->> 'targetType')`,
    targetId: `((entry_json::jsonb) ->> 'targetId')`,
    time: `((entry_json::jsonb) ->> 'time')`,
  },
};

export const auditMigration: DialectMigration = {
  async up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
    const int8 = dialect === 'postgres' ? 'bigint' : 'integer';
    await db.schema
      .createTable('audit_entries')
      .addColumn('seq', int8, (c) => c.primaryKey())
      .addColumn('entry_json', 'text', (c) => c.notNull())
      .addColumn('leaf_hash', 'text', (c) => c.notNull())
      .execute();
    // Filters read fields out of the entry text itself (the same expressions as the repository's).
    const field = AUDIT_FIELD_SQL[dialect];
    const index = (name: string, exprs: string[]) => sql.raw(`CREATE INDEX ${name} ON audit_entries (${exprs.join(', ')})`).execute(db);
    await index('audit_entries_actor', [field.actorId, 'seq']);
    await index('audit_entries_action', [field.action, 'seq']);
    await index('audit_entries_target', [field.targetType, field.targetId, 'seq']);
    await index('audit_entries_time', [field.time]);

    await db.schema
      .createTable('audit_nodes')
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('idx', int8, (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('audit_nodes_pk', ['level', 'idx'])
      .execute();

    await db.schema
      .createTable('audit_tree_heads')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tree_size', int8, (c) => c.notNull())
      .addColumn('root_hash', 'text', (c) => c.notNull())
      .addColumn('timestamp', 'text', (c) => c.notNull())
      .addColumn('key_id', 'text', (c) => c.notNull())
      .addColumn('signature', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_tree_heads_size').on('audit_tree_heads').columns(['tree_size', 'timestamp']).execute();

    if (dialect === 'sqlite') {
      for (const table of AUDIT_APPEND_ONLY_TABLES) {
        for (const op of ['UPDATE', 'DELETE'] as const) {
          await sql
            .raw(`CREATE TRIGGER ${table}_no_${op.toLowerCase()} BEFORE ${op} ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END`)
            .execute(db);
        }
      }
      return;
    }
    await sql
      .raw(
        `CREATE FUNCTION careguard_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege'; END $$`,
      )
      .execute(db);
    for (const table of AUDIT_APPEND_ONLY_TABLES) {
      await sql.raw(`CREATE TRIGGER ${table}_no_change BEFORE UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION careguard_audit_append_only()`).execute(db);
      await sql.raw(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION careguard_audit_append_only()`).execute(db);
    }
  },
};
