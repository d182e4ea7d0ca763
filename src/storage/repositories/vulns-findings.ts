/**
 * @module Findings, triage decisions and feed fetch state in the vulnerability store. Findings are
 * filtered and sorted on real columns (status, product, vulnerability, advisory, triage state,
 * review flag, risk, last seen) with keyset pages over (sort value desc, id desc); everything else
 * is JSON. The partial unique index admits one open finding per (product, component key,
 * vulnerability, source): inserting a second is a no-op, so concurrent reconcilers converge.
 */
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { TriageDecision } from '../../vulns/findings/model.js';
import { triageKeyString, type FeedState, type FindingCursor, type FindingFilter, type FindingSort, type TriageKey, type VulnStore } from '../../vulns/ports.js';
import type { Dialect } from '../database.js';
import type { DB } from '../schema.js';
import type { VulnFeedStateTable } from '../tables/vulns.js';
import { atomically, chunks, containsText, findingRow, ix, toFinding } from './vulns-rows.js';

export type FindingStore = Pick<
  VulnStore,
  | 'findingsOfProduct'
  | 'findingsOfAdvisory'
  | 'getFinding'
  | 'insertFindings'
  | 'updateFindings'
  | 'closeFindings'
  | 'listFindings'
  | 'countFindings'
  | 'putTriage'
  | 'getTriage'
  | 'getTriages'
  | 'getFeedState'
  | 'putFeedState'
>;

// 18 values per finding row, 3 per triage key: far below both engines' parameter caps.
const FINDING_CHUNK = 200;
const LOOKUP_CHUNK = 1000;
const TRIAGE_CHUNK = 300;

const SORT_COLUMN = { risk: 'risk_score', lastSeen: 'last_seen' } as const;

/** The cursor's sort value in the column's type (API layers may hand either as text). */
function cursorValue(sort: FindingSort, after: FindingCursor): number | string {
  if (sort === 'lastSeen') return String(after.sortValue);
  const n = typeof after.sortValue === 'number' ? after.sortValue : Number(after.sortValue);
  if (!Number.isFinite(n)) throw new RangeError(`finding cursor for sort 'risk' needs a numeric sortValue, got ${JSON.stringify(after.sortValue)}`);
  return n;
}

const ixKey = (k: TriageKey): TriageKey => ({ productLine: ix(k.productLine), componentKey: ix(k.componentKey), vulnerabilityId: ix(k.vulnerabilityId) });

function toFeedState(r: VulnFeedStateTable): FeedState {
  const s: FeedState = { url: r.url, fetchedAt: r.fetched_at };
  if (r.etag !== null) s.etag = r.etag;
  if (r.last_modified !== null) s.lastModified = r.last_modified;
  if (r.sha256 !== null) s.sha256 = r.sha256;
  if (r.cursor !== null) s.cursor = r.cursor;
  return s;
}

export function findingStore(db: Kysely<DB>, dialect: Dialect): FindingStore {
  const filtered = (f: FindingFilter) => {
    let q = db.selectFrom('vuln_findings');
    if (f.productId !== undefined) q = q.where('product_id', '=', ix(f.productId));
    if (f.productIds !== undefined) q = f.productIds.length === 0 ? q.where(sql<SqlBool>`1 = 0`) : q.where('product_id', 'in', [...new Set(f.productIds.map(ix))]);
    if (f.status !== undefined) q = q.where('status', '=', f.status);
    if (f.vulnerabilityId !== undefined) q = q.where('vulnerability_id', '=', ix(f.vulnerabilityId));
    if (f.advisoryId !== undefined) q = q.where('advisory_id', '=', ix(f.advisoryId));
    if (f.triage !== undefined) q = f.triage === 'untriaged' ? q.where('triage_state', 'is', null) : q.where('triage_state', '=', f.triage);
    if (f.needsReview !== undefined) q = q.where('needs_review', '=', f.needsReview ? 1 : 0);
    if (f.minRisk !== undefined) q = q.where('risk_score', '>=', f.minRisk);
    if (f.q !== undefined && f.q !== '') q = q.where(containsText(dialect, 'search_text', f.q));
    return q;
  };
  const triageRow = (k: TriageKey) => ({ product_line: ix(k.productLine), component_key: ix(k.componentKey), vulnerability_id: ix(k.vulnerabilityId) });

  return {
    async findingsOfProduct(productId) {
      const rows = await db.selectFrom('vuln_findings').selectAll().where('product_id', '=', ix(productId)).where('status', '=', 'open').orderBy('id').execute();
      return rows.map(toFinding);
    },
    async findingsOfAdvisory(advisoryId) {
      const rows = await db.selectFrom('vuln_findings').selectAll().where('advisory_id', '=', ix(advisoryId)).where('status', '=', 'open').orderBy('id').execute();
      return rows.map(toFinding);
    },
    async getFinding(id) {
      const row = await db.selectFrom('vuln_findings').selectAll().where('id', '=', ix(id)).executeTakeFirst();
      return row ? toFinding(row) : undefined;
    },
    async insertFindings(findings) {
      // DO NOTHING on the open-identity index: a concurrent reconciler opened the same finding.
      await atomically(db, async (trx) => {
        for (const part of chunks(findings.map(findingRow), FINDING_CHUNK)) await trx.insertInto('vuln_findings').values(part).onConflict((oc) => oc.doNothing()).execute();
      });
    },
    async updateFindings(findings) {
      await atomically(db, async (trx) => {
        for (const f of findings) {
          const { id, ...columns } = findingRow(f);
          await trx.updateTable('vuln_findings').set(columns).where('id', '=', id).execute();
        }
      });
    },
    async closeFindings(ids, reason, at) {
      // Only open findings close: a finding closed earlier keeps its original reason and time.
      await atomically(db, async (trx) => {
        for (const part of chunks([...new Set(ids.map(ix))], LOOKUP_CHUNK)) {
          await trx.updateTable('vuln_findings').set({ status: 'closed', close_reason: reason, closed_at: at }).where('id', 'in', part).where('status', '=', 'open').execute();
        }
      });
    },
    async listFindings(f, sort, after, limit) {
      const col = SORT_COLUMN[sort];
      let q = filtered(f).selectAll();
      if (after) {
        const v = cursorValue(sort, after);
        const id = ix(after.id);
        q = q.where((eb) => eb.or([eb(col, '<', v), eb.and([eb(col, '=', v), eb('id', '<', id)])]));
      }
      const rows = await q.orderBy(col, 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toFinding);
    },
    async countFindings(f) {
      const row = await filtered(f).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async putTriage(key, decision) {
      await db
        .insertInto('vuln_triage')
        .values({ ...triageRow(key), decision_json: JSON.stringify(decision) })
        .onConflict((oc) => oc.columns(['product_line', 'component_key', 'vulnerability_id']).doUpdateSet((eb) => ({ decision_json: eb.ref('excluded.decision_json') })))
        .execute();
    },
    async getTriage(key) {
      const k = triageRow(key);
      const row = await db
        .selectFrom('vuln_triage')
        .select('decision_json')
        .where('product_line', '=', k.product_line)
        .where('component_key', '=', k.component_key)
        .where('vulnerability_id', '=', k.vulnerability_id)
        .executeTakeFirst();
      return row ? (JSON.parse(row.decision_json) as TriageDecision) : undefined;
    },
    async getTriages(keys) {
      // Answer under the caller's own key strings, even where ix() changed the stored text.
      const wanted = new Map<string, string[]>();
      for (const k of keys) {
        const stored = triageKeyString(ixKey(k));
        wanted.set(stored, [...new Set([...(wanted.get(stored) ?? []), triageKeyString(k)])]);
      }
      const out = new Map<string, TriageDecision>();
      const unique = [...new Map(keys.map((k) => [triageKeyString(ixKey(k)), ixKey(k)] as const)).values()];
      for (const part of chunks(unique, TRIAGE_CHUNK)) {
        const rows = await db
          .selectFrom('vuln_triage')
          .selectAll()
          .where((eb) =>
            eb(
              eb.refTuple('product_line', 'component_key', 'vulnerability_id'),
              'in',
              part.map((k) => eb.tuple(k.productLine, k.componentKey, k.vulnerabilityId)),
            ),
          )
          .execute();
        for (const r of rows) {
          const decision = JSON.parse(r.decision_json) as TriageDecision;
          const stored = triageKeyString({ productLine: r.product_line, componentKey: r.component_key, vulnerabilityId: r.vulnerability_id });
          for (const asked of wanted.get(stored) ?? []) out.set(asked, decision);
        }
      }
      return out;
    },

    async getFeedState(url) {
      const row = await db.selectFrom('vuln_feed_state').selectAll().where('url', '=', ix(url)).executeTakeFirst();
      return row ? toFeedState(row) : undefined;
    },
    async putFeedState(s) {
      const row: VulnFeedStateTable = {
        url: ix(s.url),
        etag: s.etag === undefined ? null : ix(s.etag),
        last_modified: s.lastModified === undefined ? null : ix(s.lastModified),
        sha256: s.sha256 === undefined ? null : ix(s.sha256),
        fetched_at: s.fetchedAt,
        cursor: s.cursor === undefined ? null : ix(s.cursor),
      };
      await db
        .insertInto('vuln_feed_state')
        .values(row)
        .onConflict((oc) =>
          oc.column('url').doUpdateSet((eb) => ({
            etag: eb.ref('excluded.etag'),
            last_modified: eb.ref('excluded.last_modified'),
            sha256: eb.ref('excluded.sha256'),
            fetched_at: eb.ref('excluded.fetched_at'),
            cursor: eb.ref('excluded.cursor'),
          })),
        )
        .execute();
    },
  };
}
