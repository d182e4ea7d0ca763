/**
 * @module Schema for vulnerability intelligence: products, SBOMs, components, advisories, findings,
 * triage, feed state (docs/vulns-storage.md). Match keys and aliases are side tables whose primary
 * key leads with the key, so incremental matching is an index seek per key. Only LIVE components
 * (latest SBOM of each product, plus its product-self component) have rows in
 * vuln_component_keys, so a key lookup never wades through superseded SBOM versions. A partial
 * unique index allows one open finding per (product, component, vulnerability, source); closed
 * findings fall outside it and a recurrence opens a new one. Identifier columns use the "C"
 * collation on PostgreSQL so both engines order keyset pages by code point.
 */
import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import type { DialectMigration } from './index.js';

export const vulnsMigration: DialectMigration = {
  async up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
    const pg = dialect === 'postgres';
    // Identifier/sort text: bytewise order on both engines.
    const ident = (c: ColumnDefinitionBuilder) => (pg ? c.modifyFront(sql`collate "C"`) : c).notNull();
    const required = (c: ColumnDefinitionBuilder) => c.notNull();
    // Key tables are all index: SQLite stores them as the primary-key b-tree alone.
    const clustered = <T extends string, C extends string>(t: CreateTableBuilder<T, C>) => (pg ? t : t.modifyEnd(sql`without rowid`));

    await db.schema
      .createTable('vuln_products')
      .addColumn('id', 'text', (c) => ident(c).primaryKey())
      .addColumn('manufacturer', 'text', ident)
      .addColumn('name', 'text', required)
      .addColumn('version', 'text', ident)
      .addColumn('normalized_vendor', 'text', ident)
      .addColumn('normalized_product', 'text', ident)
      .addColumn('cpe', 'text')
      .addColumn('purl', 'text')
      .addColumn('rubric_json', 'text')
      .addColumn('origin', 'text', required)
      .addColumn('created_at', 'text', required)
      .addColumn('updated_at', 'text', required)
      .addColumn('latest_sbom_id', 'text')
      .addColumn('search_text', 'text', required)
      .addUniqueConstraint('vuln_products_identity', ['normalized_vendor', 'normalized_product', 'version'])
      .execute();
    await db.schema.createIndex('vuln_products_manufacturer').on('vuln_products').columns(['manufacturer', 'id']).execute();

    await db.schema
      .createTable('vuln_sboms')
      .addColumn('id', 'text', (c) => ident(c).primaryKey())
      .addColumn('product_id', 'text', (c) => ident(c).references('vuln_products.id'))
      .addColumn('format', 'text', required)
      .addColumn('spec_version', 'text', required)
      .addColumn('serial_number', 'text')
      .addColumn('name', 'text')
      .addColumn('created', 'text')
      .addColumn('parser', 'text', required)
      .addColumn('sha256', 'text', required)
      .addColumn('component_count', 'integer', required)
      .addColumn('imported_at', 'text', ident)
      .addColumn('imported_by', 'text', required)
      .execute();
    await db.schema.createIndex('vuln_sboms_product').on('vuln_sboms').columns(['product_id', 'imported_at', 'id']).execute();

    await db.schema
      .createTable('vuln_components')
      .addColumn('id', 'text', (c) => ident(c).primaryKey())
      .addColumn('sbom_id', 'text', (c) => (pg ? c.modifyFront(sql`collate "C"`) : c).references('vuln_sboms.id'))
      .addColumn('product_id', 'text', (c) => ident(c).references('vuln_products.id'))
      .addColumn('ord', 'integer', required)
      .addColumn('component_key', 'text', ident)
      .addColumn('component_json', 'text', required)
      .addColumn('keys_json', 'text', required)
      .execute();
    await db.schema.createIndex('vuln_components_sbom').on('vuln_components').columns(['sbom_id', 'ord']).execute();
    // One product-self component per product.
    await db.schema.createIndex('vuln_components_self').on('vuln_components').column('product_id').unique().where(sql.ref('sbom_id'), 'is', null).execute();

    await clustered(
      db.schema
        .createTable('vuln_component_keys')
        .addColumn('key', 'text', ident)
        .addColumn('component_id', 'text', (c) => ident(c).references('vuln_components.id'))
        .addPrimaryKeyConstraint('vuln_component_keys_pk', ['key', 'component_id']),
    ).execute();
    await db.schema.createIndex('vuln_component_keys_component').on('vuln_component_keys').column('component_id').execute();

    await db.schema
      .createTable('vuln_advisories')
      .addColumn('id', 'text', (c) => ident(c).primaryKey())
      .addColumn('source', 'text', ident)
      .addColumn('source_id', 'text', required)
      .addColumn('published', 'text')
      .addColumn('modified', 'text')
      .addColumn('withdrawn', 'text')
      .addColumn('kev', 'integer', required)
      .addColumn('epss_percentile', 'double precision')
      .addColumn('title', 'text')
      .addColumn('search_text', 'text', required)
      .addColumn('content_hash', 'text', required)
      .addColumn('first_ingested_at', 'text', required)
      .addColumn('last_changed_at', 'text', required)
      .addColumn('advisory_json', 'text', required)
      .addColumn('keys_json', 'text', required)
      .execute();
    await db.schema.createIndex('vuln_advisories_source').on('vuln_advisories').columns(['source', 'id']).execute();
    await db.schema.createIndex('vuln_advisories_kev').on('vuln_advisories').columns(['kev', 'id']).execute();

    for (const [table, col] of [
      ['vuln_advisory_keys', 'key'],
      ['vuln_advisory_aliases', 'alias'],
    ] as const) {
      await clustered(
        db.schema
          .createTable(table)
          .addColumn(col, 'text', ident)
          .addColumn('advisory_id', 'text', (c) => ident(c).references('vuln_advisories.id'))
          .addPrimaryKeyConstraint(`${table}_pk`, [col, 'advisory_id']),
      ).execute();
      await db.schema.createIndex(`${table}_advisory`).on(table).column('advisory_id').execute();
    }

    await db.schema
      .createTable('vuln_findings')
      .addColumn('id', 'text', (c) => ident(c).primaryKey())
      .addColumn('product_id', 'text', ident)
      .addColumn('component_ref', 'text', required)
      .addColumn('component_key', 'text', ident)
      .addColumn('component_name', 'text', required)
      .addColumn('vulnerability_id', 'text', ident)
      .addColumn('advisory_id', 'text', ident)
      .addColumn('advisory_source', 'text', ident)
      .addColumn('status', 'text', ident)
      .addColumn('close_reason', 'text')
      .addColumn('closed_at', 'text')
      .addColumn('triage_state', 'text')
      .addColumn('needs_review', 'integer', required)
      .addColumn('risk_score', 'double precision', required)
      .addColumn('first_seen', 'text', required)
      .addColumn('last_seen', 'text', ident)
      .addColumn('search_text', 'text', required)
      .addColumn('detail_json', 'text', required)
      .execute();
    await db.schema
      .createIndex('vuln_findings_open_identity')
      .on('vuln_findings')
      .columns(['product_id', 'component_key', 'vulnerability_id', 'advisory_source'])
      .unique()
      .where(sql.ref('status'), '=', 'open')
      .execute();
    // Each list index ends with the keyset order of the sort it serves.
    const findingIndexes: ReadonlyArray<readonly [string, readonly string[]]> = [
      ['vuln_findings_status_risk', ['status', 'risk_score', 'id']],
      ['vuln_findings_status_seen', ['status', 'last_seen', 'id']],
      ['vuln_findings_product_risk', ['product_id', 'status', 'risk_score', 'id']],
      ['vuln_findings_advisory', ['advisory_id', 'status']],
      ['vuln_findings_vulnerability', ['vulnerability_id', 'status']],
    ];
    for (const [name, cols] of findingIndexes) await db.schema.createIndex(name).on('vuln_findings').columns([...cols]).execute();

    await clustered(
      db.schema
        .createTable('vuln_triage')
        .addColumn('product_line', 'text', ident)
        .addColumn('component_key', 'text', ident)
        .addColumn('vulnerability_id', 'text', ident)
        .addColumn('decision_json', 'text', required)
        .addPrimaryKeyConstraint('vuln_triage_pk', ['product_line', 'component_key', 'vulnerability_id']),
    ).execute();

    await db.schema
      .createTable('vuln_feed_state')
      .addColumn('url', 'text', (c) => ident(c).primaryKey())
      .addColumn('etag', 'text')
      .addColumn('last_modified', 'text')
      .addColumn('sha256', 'text')
      .addColumn('fetched_at', 'text', required)
      .addColumn('cursor', 'text')
      .execute();
  },
};
