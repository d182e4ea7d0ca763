/** @module The alerts storage port over Kysely, one implementation for SQLite and PostgreSQL. */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Alert, AlertChanges, AlertFilter, AlertRepository, AlertSeverity, AlertStatus, AlertStore, EvidenceItem } from '../../alerts/index.js';
import type { Dialect } from '../database.js';
import type { DB } from '../schema.js';
import type { AlertsTable } from '../tables/alerts.js';
import { inParam, listParam, run } from './devices-sql.js';

type Row = Selectable<AlertsTable>;

/** dedup keys per active-alert lookup statement */
const ACTIVE_LOOKUP_KEYS = 5000;

function toAlert(r: Row): Alert {
  const a: Alert = {
    id: r.id,
    title: r.title,
    description: r.description,
    severity: r.severity as AlertSeverity,
    status: r.status as AlertStatus,
    source: r.source,
    category: r.category,
    dedupKey: r.dedup_key,
    evidence: JSON.parse(r.evidence_json) as EvidenceItem[],
    count: Number(r.count),
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
  if (r.device_id !== null) a.deviceId = r.device_id;
  if (r.acknowledged_at !== null) a.acknowledgedAt = r.acknowledged_at;
  if (r.acknowledged_by_id !== null) a.acknowledgedBy = { id: r.acknowledged_by_id, name: r.acknowledged_by_name ?? r.acknowledged_by_id };
  if (r.acknowledge_note !== null) a.acknowledgeNote = r.acknowledge_note;
  if (r.resolved_at !== null) a.resolvedAt = r.resolved_at;
  if (r.resolved_by_id !== null) a.resolvedBy = { id: r.resolved_by_id, name: r.resolved_by_name ?? r.resolved_by_id };
  if (r.resolution_note !== null) a.resolutionNote = r.resolution_note;
  return a;
}

function toColumns(c: AlertChanges): Partial<AlertsTable> {
  const out: Partial<AlertsTable> = {};
  if (c.title !== undefined) out.title = c.title;
  if (c.description !== undefined) out.description = c.description;
  if (c.severity !== undefined) out.severity = c.severity;
  if (c.status !== undefined) out.status = c.status;
  if (c.deviceId !== undefined) out.device_id = c.deviceId;
  if (c.category !== undefined) out.category = c.category;
  if (c.evidence !== undefined) out.evidence_json = JSON.stringify(c.evidence);
  if (c.count !== undefined) out.count = c.count;
  if (c.firstSeen !== undefined) out.first_seen = c.firstSeen;
  if (c.lastSeen !== undefined) out.last_seen = c.lastSeen;
  if (c.updatedAt !== undefined) out.updated_at = c.updatedAt;
  if (c.acknowledgedAt !== undefined) out.acknowledged_at = c.acknowledgedAt;
  if (c.acknowledgedBy !== undefined) {
    out.acknowledged_by_id = c.acknowledgedBy.id;
    out.acknowledged_by_name = c.acknowledgedBy.name;
  }
  if (c.acknowledgeNote !== undefined) out.acknowledge_note = c.acknowledgeNote;
  if (c.resolvedAt !== undefined) out.resolved_at = c.resolvedAt;
  if (c.resolvedBy !== undefined) {
    out.resolved_by_id = c.resolvedBy.id;
    out.resolved_by_name = c.resolvedBy.name;
  }
  if (c.resolutionNote !== undefined) out.resolution_note = c.resolutionNote;
  return out;
}

function toRow(a: Alert): AlertsTable {
  return {
    id: a.id,
    title: a.title,
    description: a.description,
    severity: a.severity,
    status: a.status,
    device_id: a.deviceId ?? null,
    source: a.source,
    category: a.category,
    dedup_key: a.dedupKey,
    evidence_json: JSON.stringify(a.evidence),
    count: a.count,
    first_seen: a.firstSeen,
    last_seen: a.lastSeen,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
    acknowledged_at: a.acknowledgedAt ?? null,
    acknowledged_by_id: a.acknowledgedBy?.id ?? null,
    acknowledged_by_name: a.acknowledgedBy?.name ?? null,
    acknowledge_note: a.acknowledgeNote ?? null,
    resolved_at: a.resolvedAt ?? null,
    resolved_by_id: a.resolvedBy?.id ?? null,
    resolved_by_name: a.resolvedBy?.name ?? null,
    resolution_note: a.resolutionNote ?? null,
  };
}

const likePattern = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function store(db: Kysely<DB>, dialect: Dialect): AlertStore {
  const filtered = (f: AlertFilter) => {
    let q = db.selectFrom('alerts');
    if (f.status && f.status.length > 0) q = q.where('status', 'in', [...f.status]);
    if (f.severity && f.severity.length > 0) q = q.where('severity', 'in', [...f.severity]);
    if (f.deviceId !== undefined) q = q.where('device_id', '=', f.deviceId);
    if (f.source !== undefined) q = q.where('source', '=', f.source);
    if (f.q !== undefined) {
      const p = likePattern(f.q);
      q = q.where((eb) =>
        eb.or(['title', 'description', 'category', 'dedup_key'].map((col) => eb(sql<string>`lower(${sql.ref(col)})`, 'like', sql<string>`${p} escape '\\'`))),
      );
    }
    return q;
  };
  return {
    async get(id) {
      const row = await db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toAlert(row) : undefined;
    },
    async findActive(dedupKey) {
      const q = db.selectFrom('alerts').selectAll().where('dedup_key', '=', dedupKey).where('status', '<>', 'resolved');
      // The fold that follows is read-modify-write: lock the row so concurrent folds queue up
      // instead of losing counts. SQLite has one writer and no FOR UPDATE.
      const row = await (dialect === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
      return row ? toAlert(row) : undefined;
    },
    async findActiveMany(dedupKeys) {
      const found = new Map<string, Alert>();
      const unique = [...new Set(dedupKeys)];
      // one statement text whatever the number of keys (the list travels as one parameter)
      for (let i = 0; i < unique.length; i += ACTIVE_LOOKUP_KEYS) {
        const keys = unique.slice(i, i + ACTIVE_LOOKUP_KEYS);
        const text = `select * from alerts where ${inParam(dialect, 'dedup_key', 1)} and status <> 'resolved'${dialect === 'postgres' ? ' for update' : ''}`;
        const rows = await run<Row>(db, text, [listParam(dialect, keys)]);
        for (const row of rows) found.set(row.dedup_key, toAlert(row));
      }
      return found;
    },
    async insert(alert) {
      // DO NOTHING on the partial unique index: a concurrent raiser won, and PostgreSQL would
      // otherwise abort the whole transaction on the violation.
      const result = await db.insertInto('alerts').values(toRow(alert)).onConflict((oc) => oc.doNothing()).executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async update(id, changes, fromStatus) {
      const result = await db.updateTable('alerts').set(toColumns(changes)).where('id', '=', id).where('status', 'in', [...fromStatus]).executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async list(f, after, limit) {
      let q = filtered(f).selectAll();
      if (after) q = q.where((eb) => eb.or([eb('created_at', '<', after.createdAt), eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)])]));
      const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toAlert);
    },
    async count(f) {
      const row = await filtered(f).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async countBy() {
      const rows = await db.selectFrom('alerts').select(['status', 'severity', (eb) => eb.fn.countAll().as('n')]).groupBy(['status', 'severity']).execute();
      return rows.map((r) => ({ status: r.status as AlertStatus, severity: r.severity as AlertSeverity, n: Number(r.n) }));
    },
  };
}

export function createAlertRepository(db: Kysely<DB>, dialect: Dialect): AlertRepository {
  return {
    ...store(db, dialect),
    transaction: (fn) => db.transaction().execute((trx) => fn(store(trx, dialect), trx)),
  };
}
