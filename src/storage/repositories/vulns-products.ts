/**
 * @module Products (versions of a device's firmware/software) in the vulnerability store. One row
 * per (normalized vendor, normalized product, version); upserting the same identity keeps the
 * first row's id and creation time and updates the rest, except that optional values the caller
 * leaves out (cpe, purl, rubric) keep what is stored, so an inventory refresh never erases an
 * analyst's rubric or CPE.
 */
import { sql, type Kysely } from 'kysely';
import type { ProductFilter, VulnStore } from '../../vulns/ports.js';
import type { Dialect } from '../database.js';
import type { DB } from '../schema.js';
import { containsText, ix, productRow, toProduct } from './vulns-rows.js';

export type ProductStore = Pick<VulnStore, 'upsertProduct' | 'getProduct' | 'findProduct' | 'listProducts' | 'countProducts' | 'setRubric'>;

export function productStore(db: Kysely<DB>, dialect: Dialect): ProductStore {
  const filtered = (f: ProductFilter) => {
    let q = db.selectFrom('vuln_products');
    if (f.manufacturer !== undefined) q = q.where('manufacturer', '=', ix(f.manufacturer));
    if (f.q !== undefined && f.q !== '') q = q.where(containsText(dialect, 'search_text', f.q));
    return q;
  };
  return {
    async upsertProduct(p) {
      const row = await db
        .insertInto('vuln_products')
        .values(productRow(p))
        .onConflict((oc) =>
          oc.columns(['normalized_vendor', 'normalized_product', 'version']).doUpdateSet((eb) => ({
            manufacturer: eb.ref('excluded.manufacturer'),
            name: eb.ref('excluded.name'),
            cpe: sql<string | null>`coalesce(excluded.cpe, vuln_products.cpe)`,
            purl: sql<string | null>`coalesce(excluded.purl, vuln_products.purl)`,
            rubric_json: sql<string | null>`coalesce(excluded.rubric_json, vuln_products.rubric_json)`,
            origin: eb.ref('excluded.origin'),
            updated_at: eb.ref('excluded.updated_at'),
            search_text: eb.ref('excluded.search_text'),
          })),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toProduct(row);
    },
    async getProduct(id) {
      const row = await db.selectFrom('vuln_products').selectAll().where('id', '=', ix(id)).executeTakeFirst();
      return row ? toProduct(row) : undefined;
    },
    async findProduct(vendor, product, version) {
      const row = await db
        .selectFrom('vuln_products')
        .selectAll()
        .where('normalized_vendor', '=', ix(vendor))
        .where('normalized_product', '=', ix(product))
        .where('version', '=', ix(version))
        .executeTakeFirst();
      return row ? toProduct(row) : undefined;
    },
    async listProducts(f, afterId, limit) {
      let q = filtered(f).selectAll();
      if (afterId !== undefined) q = q.where('id', '>', ix(afterId));
      const rows = await q.orderBy('id').limit(limit).execute();
      return rows.map(toProduct);
    },
    async countProducts(f) {
      const row = await filtered(f).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async setRubric(productId, rubric, at) {
      const result = await db
        .updateTable('vuln_products')
        .set({ rubric_json: rubric === undefined ? null : JSON.stringify(rubric), updated_at: at })
        .where('id', '=', ix(productId))
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
