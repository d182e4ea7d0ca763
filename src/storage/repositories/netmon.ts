/** @module The netmon storage port over Kysely, one implementation for SQLite and PostgreSQL. */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Conversation } from '../../netmon/conversations/index.js';
import type { CaptureRecord, ConversationFilter, NetmonStore } from '../../netmon/ports.js';
import type { Dialect } from '../database.js';
import type { DB } from '../schema.js';
import type { NetmonCapturesTable } from '../tables/netmon.js';
import { insertRows } from './devices-sql.js';
import { insertObservations, selectObservations } from './netmon-observations.js';

const CONVERSATION_COLUMNS = ['capture_id', 'client', 'server', 'port', 'transport', 'protocol', 'flows', 'packets', 'bytes', 'first_seen', 'last_seen', 'first_frame'] as const;
/** fixed-size multi-row statements (devices-sql.ts): a capture can carry 20,000 conversations */
const CONVERSATION_INSERT = `insert into netmon_conversations (${CONVERSATION_COLUMNS.join(', ')})`;

function toCapture(r: Selectable<NetmonCapturesTable>): CaptureRecord {
  const c: CaptureRecord = {
    id: r.id,
    name: r.name,
    kind: r.kind,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    bytes: Number(r.bytes),
    packets: Number(r.packets),
    flows: Number(r.flows),
    devices: Number(r.devices),
    detections: Number(r.detections),
    summary: JSON.parse(r.summary_json) as Record<string, unknown>,
    ingestedBy: r.ingested_by,
  };
  if (r.first_seen !== null) c.firstSeen = r.first_seen;
  if (r.last_seen !== null) c.lastSeen = r.last_seen;
  if (r.source_path !== null && r.source_bytes !== null && r.source_modified_at !== null) c.source = { path: r.source_path, bytes: Number(r.source_bytes), modifiedAt: r.source_modified_at };
  return c;
}

export function createNetmonRepository(db: Kysely<DB>, dialect: Dialect): NetmonStore {
  return {
    async insertCapture(c, conversations, observations = []) {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('netmon_captures')
          .values({
            id: c.id,
            name: c.name,
            kind: c.kind,
            started_at: c.startedAt,
            finished_at: c.finishedAt,
            first_seen: c.firstSeen ?? null,
            last_seen: c.lastSeen ?? null,
            bytes: c.bytes,
            packets: c.packets,
            flows: c.flows,
            devices: c.devices,
            detections: c.detections,
            summary_json: JSON.stringify(c.summary),
            ingested_by: c.ingestedBy,
            source_path: c.source?.path ?? null,
            source_bytes: c.source?.bytes ?? null,
            source_modified_at: c.source?.modifiedAt ?? null,
          })
          .execute();
        await insertRows(trx, dialect, CONVERSATION_INSERT, '', CONVERSATION_COLUMNS.length, conversations.length, (out, i) => {
          const v = conversations[i]!;
          out.push(c.id, v.client, v.server, v.port, v.transport, v.protocol, v.flows, v.packets, v.bytes, v.firstSeen, v.lastSeen, v.firstFrame);
        });
        await insertObservations(trx, dialect, c.id, observations);
      });
    },

    async observations(filter, limit) {
      return selectObservations(db, filter, limit);
    },

    async getCapture(id) {
      const r = await db.selectFrom('netmon_captures').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toCapture(r) : undefined;
    },

    async findCaptureBySource(source) {
      const r = await db
        .selectFrom('netmon_captures')
        .selectAll()
        .where('source_path', '=', source.path)
        .where('source_bytes', '=', source.bytes)
        .where('source_modified_at', '=', source.modifiedAt)
        .orderBy('finished_at', 'desc')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      return r ? toCapture(r) : undefined;
    },

    async listCaptures(limit, beforeId) {
      let q = db.selectFrom('netmon_captures').selectAll();
      if (beforeId !== undefined) {
        const before = await db.selectFrom('netmon_captures').select(['finished_at', 'id']).where('id', '=', beforeId).executeTakeFirst();
        if (before) q = q.where((eb) => eb.or([eb('finished_at', '<', before.finished_at), eb.and([eb('finished_at', '=', before.finished_at), eb('id', '<', before.id)])]));
      }
      const rows = await q.orderBy('finished_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map(toCapture);
    },

    async conversations(filter: ConversationFilter, limit) {
      let q = db
        .selectFrom('netmon_conversations')
        .select([
          'client',
          'server',
          'port',
          'transport',
          'protocol',
          sql<number>`sum(flows)`.as('flows'),
          sql<number>`sum(packets)`.as('packets'),
          sql<number>`sum(bytes)`.as('bytes'),
          sql<string>`min(first_seen)`.as('first_seen'),
          sql<string>`max(last_seen)`.as('last_seen'),
          sql<number>`min(first_frame)`.as('first_frame'),
        ]);
      if (filter.ips && filter.ips.length > 0) {
        const ips = [...filter.ips];
        q = q.where((eb) => eb.or([eb('client', 'in', ips), eb('server', 'in', ips)]));
      }
      if (filter.from !== undefined) q = q.where('last_seen', '>=', filter.from);
      if (filter.to !== undefined) q = q.where('first_seen', '<', filter.to);
      const rows = await q
        .groupBy(['client', 'server', 'port', 'transport', 'protocol'])
        .orderBy(sql`sum(bytes)`, 'desc')
        .orderBy('client')
        .orderBy('server')
        .orderBy('port')
        .limit(limit)
        .execute();
      return rows.map(
        (r): Conversation => ({
          client: r.client,
          server: r.server,
          port: Number(r.port),
          transport: r.transport as Conversation['transport'],
          protocol: r.protocol,
          flows: Number(r.flows),
          packets: Number(r.packets),
          bytes: Number(r.bytes),
          firstSeen: r.first_seen,
          lastSeen: r.last_seen,
          firstFrame: Number(r.first_frame),
        }),
      );
    },

    async getBaseline(name) {
      const r = await db.selectFrom('netmon_baselines').selectAll().where('name', '=', name).executeTakeFirst();
      return r ? { json: JSON.parse(r.json) as unknown, updatedAt: r.updated_at } : undefined;
    },

    async putBaseline(name, json, at) {
      const text = JSON.stringify(json);
      await db
        .insertInto('netmon_baselines')
        .values({ name, json: text, updated_at: at })
        .onConflict((oc) => oc.column('name').doUpdateSet({ json: text, updated_at: at }))
        .execute();
    },
  };
}
