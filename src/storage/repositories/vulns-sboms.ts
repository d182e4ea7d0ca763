/**
 * @module SBOMs and their components in the vulnerability store. An SBOM and all of its components
 * are written in one transaction. Each product has one live SBOM (newest by imported_at, then id),
 * recorded in vuln_products.latest_sbom_id; only live components (that SBOM's, plus the product's
 * own '#product' component) have rows in vuln_component_keys. Superseding an SBOM therefore moves
 * the key rows from the old SBOM's components to the new one's, and componentsByKeys is a plain
 * index join that never sees older SBOM versions.
 */
import type { Kysely } from 'kysely';
import type { StoredComponent, VulnStore } from '../../vulns/ports.js';
import type { Dialect } from '../database.js';
import type { DB } from '../schema.js';
import { atomically, chunks, componentRow, ix, sbomRow, toComponent, toSbom } from './vulns-rows.js';

export type SbomStore = Pick<
  VulnStore,
  'insertSbom' | 'getSbom' | 'listSboms' | 'latestSbom' | 'sbomComponents' | 'putProductComponent' | 'productComponents' | 'componentsByKeys'
>;

// Rows per INSERT: 7 values per component row and 2 per key row stay far below both engines'
// bound-parameter caps (SQLite 32766, PostgreSQL 65535) while keeping round trips few.
const COMPONENT_CHUNK = 500;
const KEY_CHUNK = 2000;
const LOOKUP_CHUNK = 1000;

/** The product-self component's ord: sorts before every SBOM position. */
const SELF_ORD = -1;

const keyRows = (components: readonly StoredComponent[]) =>
  components.flatMap((c) => [...new Set(c.keys.map(ix))].map((key) => ({ key, component_id: ix(c.id) })));

async function insertKeys(db: Kysely<DB>, components: readonly StoredComponent[]): Promise<void> {
  for (const part of chunks(keyRows(components), KEY_CHUNK)) await db.insertInto('vuln_component_keys').values(part).execute();
}

/** Bad input names the component (index and ref) so the caller can point at the document. */
function checkComponents(sbomId: string, productId: string, components: readonly StoredComponent[]): void {
  const seen = new Map<string, number>();
  components.forEach((c, i) => {
    const where = `component ${i} (ref ${JSON.stringify(c.ref)})`;
    if (c.productId !== productId) throw new TypeError(`${where} belongs to product ${c.productId}, not to the SBOM's product ${productId}`);
    if (c.sbomId !== undefined && c.sbomId !== sbomId) throw new TypeError(`${where} names SBOM ${c.sbomId}, not ${sbomId}`);
    const first = seen.get(ix(c.id));
    if (first !== undefined) throw new TypeError(`${where} repeats id ${JSON.stringify(c.id)} of component ${first}`);
    seen.set(ix(c.id), i);
  });
}

export function sbomStore(db: Kysely<DB>, dialect: Dialect): SbomStore {
  return {
    async insertSbom(sbom, components) {
      checkComponents(sbom.id, sbom.productId, components);
      await atomically(db, async (trx) => {
        const productQuery = trx.selectFrom('vuln_products').select(['id', 'latest_sbom_id']).where('id', '=', ix(sbom.productId));
        // Lock the product so two concurrent imports cannot both believe they are the latest.
        const product = await (dialect === 'postgres' ? productQuery.forUpdate() : productQuery).executeTakeFirst();
        if (!product) throw new TypeError(`SBOM ${sbom.id} names product ${sbom.productId}, which does not exist`);
        const row = sbomRow(sbom);
        await trx.insertInto('vuln_sboms').values(row).execute();
        const rows = components.map((c, i) => componentRow(c, sbom.id, i));
        for (const part of chunks(rows, COMPONENT_CHUNK)) await trx.insertInto('vuln_components').values(part).execute();

        const current =
          product.latest_sbom_id === null
            ? undefined
            : await trx.selectFrom('vuln_sboms').select(['id', 'imported_at']).where('id', '=', product.latest_sbom_id).executeTakeFirst();
        const newer = !current || row.imported_at > current.imported_at || (row.imported_at === current.imported_at && row.id > current.id);
        // An SBOM imported with an older timestamp is kept for history but does not go live.
        if (!newer) return;
        if (current) {
          await trx
            .deleteFrom('vuln_component_keys')
            .where('component_id', 'in', (eb) => eb.selectFrom('vuln_components').select('id').where('sbom_id', '=', current.id))
            .execute();
        }
        await insertKeys(trx, components);
        await trx.updateTable('vuln_products').set({ latest_sbom_id: row.id }).where('id', '=', product.id).execute();
      });
    },
    async getSbom(id) {
      const row = await db.selectFrom('vuln_sboms').selectAll().where('id', '=', ix(id)).executeTakeFirst();
      return row ? toSbom(row) : undefined;
    },
    async listSboms(productId) {
      const rows = await db.selectFrom('vuln_sboms').selectAll().where('product_id', '=', ix(productId)).orderBy('imported_at', 'desc').orderBy('id', 'desc').execute();
      return rows.map(toSbom);
    },
    async latestSbom(productId) {
      const row = await db
        .selectFrom('vuln_products as p')
        .innerJoin('vuln_sboms as s', 's.id', 'p.latest_sbom_id')
        .selectAll('s')
        .where('p.id', '=', ix(productId))
        .executeTakeFirst();
      return row ? toSbom(row) : undefined;
    },
    async sbomComponents(sbomId) {
      const rows = await db.selectFrom('vuln_components').select(['component_json', 'keys_json']).where('sbom_id', '=', ix(sbomId)).orderBy('ord').execute();
      return rows.map(toComponent);
    },
    async putProductComponent(c) {
      await atomically(db, async (trx) => {
        // Same lock as insertSbom: concurrent replacements of one product's self component queue up.
        if (dialect === 'postgres') await trx.selectFrom('vuln_products').select('id').where('id', '=', ix(c.productId)).forUpdate().execute();
        const old = (eb: Kysely<DB>) => eb.selectFrom('vuln_components').select('id').where('product_id', '=', ix(c.productId)).where('sbom_id', 'is', null);
        await trx.deleteFrom('vuln_component_keys').where('component_id', 'in', old(trx)).execute();
        await trx.deleteFrom('vuln_components').where('product_id', '=', ix(c.productId)).where('sbom_id', 'is', null).execute();
        await trx.insertInto('vuln_components').values(componentRow(c, null, SELF_ORD)).execute();
        await insertKeys(trx, [c]);
      });
    },
    async productComponents(productId) {
      const latest = db.selectFrom('vuln_products').select('latest_sbom_id').where('id', '=', ix(productId));
      const fromSbom = await db.selectFrom('vuln_components').select(['component_json', 'keys_json']).where('sbom_id', '=', latest).orderBy('ord').execute();
      const self = await db
        .selectFrom('vuln_components')
        .select(['component_json', 'keys_json'])
        .where('product_id', '=', ix(productId))
        .where('sbom_id', 'is', null)
        .execute();
      return [...fromSbom, ...self].map(toComponent);
    },
    async componentsByKeys(keys) {
      const found = new Map<string, StoredComponent>();
      for (const part of chunks([...new Set(keys.map(ix))], LOOKUP_CHUNK)) {
        const rows = await db
          .selectFrom('vuln_components as c')
          .select(['c.id', 'c.component_json', 'c.keys_json'])
          .where('c.id', 'in', (eb) => eb.selectFrom('vuln_component_keys').select('component_id').where('key', 'in', part))
          .execute();
        for (const r of rows) found.set(r.id, toComponent(r));
      }
      return [...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c);
    },
  };
}
