/**
 * @module Advisories in the vulnerability store. A feed run upserts thousands at once, so
 * upsertAdvisories reads the stored content hashes in chunks, then writes only new and changed
 * advisories with multi-row INSERT ... ON CONFLICT statements, all in one transaction. A changed
 * advisory has its match keys and aliases replaced; an unchanged one is not written, except that
 * its key rows are refreshed when the caller's keys differ (key derivation got a new version).
 */
import { sql, type Kysely } from 'kysely';
import type { AdvisoryFilter, AdvisoryUpsertOutcome, StoredAdvisory, VulnStore } from '../../vulns/ports.js';
import type { Dialect } from '../database.js';
import type { DB } from '../schema.js';
import { ADVISORY_READ_COLUMNS, advisoryRow, atomically, chunks, containsText, ix, keysOf, toStoredAdvisory, type AdvisoryInput } from './vulns-rows.js';

export type AdvisoryStore = Pick<
  VulnStore,
  'upsertAdvisories' | 'getAdvisory' | 'getAdvisories' | 'advisoriesByKeys' | 'advisoriesForVulnerability' | 'advisoriesForVulnerabilities' | 'listAdvisories' | 'countAdvisories' | 'scanAdvisories'
>;

// 15 values per advisory row, 2 per key/alias row: well under both engines' parameter caps.
const ADVISORY_CHUNK = 200;
const PAIR_CHUNK = 2000;
const LOOKUP_CHUNK = 1000;

/** Every id the advisory is known by (primary id included), for advisoriesForVulnerability. */
const aliasesOf = (i: AdvisoryInput): string[] => [...new Set([i.advisory.id, i.advisory.sourceId, ...i.advisory.aliases].map(ix))];

const byId = (a: StoredAdvisory, b: StoredAdvisory) => (a.advisory.id < b.advisory.id ? -1 : a.advisory.id > b.advisory.id ? 1 : 0);

export function advisoryStore(db: Kysely<DB>, dialect: Dialect): AdvisoryStore {
  const filtered = (f: AdvisoryFilter) => {
    let q = db.selectFrom('vuln_advisories as a');
    if (f.source !== undefined) q = q.where('a.source', '=', f.source);
    if (f.kev !== undefined) q = q.where('a.kev', '=', f.kev ? 1 : 0);
    if (f.q !== undefined && f.q !== '') q = q.where(containsText(dialect, 'a.search_text', f.q));
    if (f.withFindings !== undefined) {
      q = q.where((eb) => {
        const open = eb.selectFrom('vuln_findings as f').select(sql.lit(1).as('one')).whereRef('f.advisory_id', '=', 'a.id').where('f.status', '=', 'open');
        return f.withFindings ? eb.exists(open) : eb.not(eb.exists(open));
      });
    }
    return q;
  };

  /** Advisories whose id is produced by `ids` (a subquery per chunk of lookup values). */
  const byIdSubquery = async (values: readonly string[], table: 'vuln_advisory_keys' | 'vuln_advisory_aliases' | null): Promise<StoredAdvisory[]> => {
    const found = new Map<string, StoredAdvisory>();
    for (const part of chunks([...new Set(values.map(ix))], LOOKUP_CHUNK)) {
      let q = db.selectFrom('vuln_advisories').select(['id', ...ADVISORY_READ_COLUMNS]);
      if (table === null) q = q.where('id', 'in', part);
      else if (table === 'vuln_advisory_keys') q = q.where('id', 'in', (eb) => eb.selectFrom('vuln_advisory_keys').select('advisory_id').where('key', 'in', part));
      else q = q.where('id', 'in', (eb) => eb.selectFrom('vuln_advisory_aliases').select('advisory_id').where('alias', 'in', part));
      for (const r of await q.execute()) found.set(r.id, toStoredAdvisory(r));
    }
    return [...found.values()].sort(byId);
  };

  return {
    async upsertAdvisories(items, at): Promise<AdvisoryUpsertOutcome> {
      // The last of repeated ids wins, as if they had been upserted one after the other.
      const latest = new Map<string, AdvisoryInput>();
      for (const item of items) latest.set(ix(item.advisory.id), item);
      return atomically(db, async (trx) => {
        const stored = new Map<string, { hash: string; first: string; keys: string }>();
        for (const part of chunks([...latest.keys()], LOOKUP_CHUNK)) {
          const rows = await trx.selectFrom('vuln_advisories').select(['id', 'content_hash', 'first_ingested_at', 'keys_json']).where('id', 'in', part).execute();
          for (const r of rows) stored.set(r.id, { hash: r.content_hash, first: r.first_ingested_at, keys: r.keys_json });
        }
        const outcome: AdvisoryUpsertOutcome = { inserted: [], changed: [], unchanged: 0 };
        const rows: ReturnType<typeof advisoryRow>[] = [];
        const rewritten: AdvisoryInput[] = [];
        const rekeyed: AdvisoryInput[] = [];
        for (const [id, item] of latest) {
          const old = stored.get(id);
          if (!old) {
            outcome.inserted.push(item.advisory.id);
            rows.push(advisoryRow(item, at, at));
          } else if (old.hash !== ix(item.contentHash)) {
            outcome.changed.push(item.advisory.id);
            rows.push(advisoryRow(item, old.first, at));
            rewritten.push(item);
          } else {
            outcome.unchanged++;
            if (old.keys !== JSON.stringify(keysOf(item.keys))) rekeyed.push(item);
          }
        }

        for (const part of chunks(rows, ADVISORY_CHUNK)) {
          await trx
            .insertInto('vuln_advisories')
            .values(part)
            .onConflict((oc) =>
              oc.column('id').doUpdateSet((eb) => ({
                source: eb.ref('excluded.source'),
                source_id: eb.ref('excluded.source_id'),
                published: eb.ref('excluded.published'),
                modified: eb.ref('excluded.modified'),
                withdrawn: eb.ref('excluded.withdrawn'),
                kev: eb.ref('excluded.kev'),
                epss_percentile: eb.ref('excluded.epss_percentile'),
                title: eb.ref('excluded.title'),
                search_text: eb.ref('excluded.search_text'),
                content_hash: eb.ref('excluded.content_hash'),
                last_changed_at: eb.ref('excluded.last_changed_at'),
                advisory_json: eb.ref('excluded.advisory_json'),
                keys_json: eb.ref('excluded.keys_json'),
              })),
            )
            .execute();
        }
        for (const part of chunks([...rewritten, ...rekeyed].map((i) => ix(i.advisory.id)), LOOKUP_CHUNK)) {
          await trx.deleteFrom('vuln_advisory_keys').where('advisory_id', 'in', part).execute();
        }
        for (const part of chunks(rewritten.map((i) => ix(i.advisory.id)), LOOKUP_CHUNK)) {
          await trx.deleteFrom('vuln_advisory_aliases').where('advisory_id', 'in', part).execute();
        }
        for (const item of rekeyed) {
          await trx.updateTable('vuln_advisories').set({ keys_json: JSON.stringify(keysOf(item.keys)) }).where('id', '=', ix(item.advisory.id)).execute();
        }

        const newOrChanged = [...rows.map((r) => r.id)];
        const inputs = newOrChanged.map((id) => latest.get(id) as AdvisoryInput);
        const keyRows = [...inputs, ...rekeyed].flatMap((i) => keysOf(i.keys.map(ix)).map((key) => ({ key, advisory_id: ix(i.advisory.id) })));
        const aliasRows = inputs.flatMap((i) => aliasesOf(i).map((alias) => ({ alias, advisory_id: ix(i.advisory.id) })));
        // DO NOTHING: a concurrent upsert of the same advisory may have written the same pairs.
        for (const part of chunks(keyRows, PAIR_CHUNK)) await trx.insertInto('vuln_advisory_keys').values(part).onConflict((oc) => oc.doNothing()).execute();
        for (const part of chunks(aliasRows, PAIR_CHUNK)) await trx.insertInto('vuln_advisory_aliases').values(part).onConflict((oc) => oc.doNothing()).execute();
        return outcome;
      });
    },
    async getAdvisory(id) {
      const row = await db.selectFrom('vuln_advisories').select(ADVISORY_READ_COLUMNS).where('id', '=', ix(id)).executeTakeFirst();
      return row ? toStoredAdvisory(row) : undefined;
    },
    getAdvisories: (ids) => byIdSubquery(ids, null),
    advisoriesByKeys: (keys) => byIdSubquery(keys, 'vuln_advisory_keys'),
    advisoriesForVulnerability: (vulnId) => byIdSubquery([vulnId], 'vuln_advisory_aliases'),
    advisoriesForVulnerabilities: (vulnIds) => byIdSubquery(vulnIds, 'vuln_advisory_aliases'),
    async listAdvisories(f, afterId, limit) {
      let q = filtered(f).select(ADVISORY_READ_COLUMNS.map((c) => `a.${c}` as const));
      if (afterId !== undefined) q = q.where('a.id', '>', ix(afterId));
      const rows = await q.orderBy('a.id').limit(limit).execute();
      return rows.map(toStoredAdvisory);
    },
    async countAdvisories(f) {
      const row = await filtered(f).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async *scanAdvisories(batchSize) {
      if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`scanAdvisories batchSize must be a positive integer, got ${batchSize}`);
      let after: string | undefined;
      for (;;) {
        let q = db.selectFrom('vuln_advisories').select(['id', ...ADVISORY_READ_COLUMNS]);
        if (after !== undefined) q = q.where('id', '>', after);
        const rows = await q.orderBy('id').limit(batchSize).execute();
        if (rows.length === 0) return;
        yield rows.map(toStoredAdvisory);
        if (rows.length < batchSize) return;
        after = (rows[rows.length - 1] as { id: string }).id;
      }
    },
  };
}
