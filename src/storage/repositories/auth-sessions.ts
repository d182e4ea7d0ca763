/** @module The auth capability's session repository over Kysely (rows keyed by the sha256 of the cookie). */
import type { Kysely, Selectable } from 'kysely';
import type { SessionRecord, SessionRepository } from '../../auth/index.js';
import type { DB } from '../schema.js';
import type { AuthSessionsTable } from '../tables/auth.js';

const toRecord = (r: Selectable<AuthSessionsTable>): SessionRecord => ({
  idHash: r.id_hash,
  userId: r.user_id,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
  ip: r.ip,
  userAgent: r.user_agent,
});

export function authSessionRepository(db: Kysely<DB>): SessionRepository {
  return {
    async insert(s) {
      await db
        .insertInto('auth_sessions')
        .values({
          id_hash: s.idHash,
          user_id: s.userId,
          created_at: s.createdAt,
          last_seen_at: s.lastSeenAt,
          expires_at: s.expiresAt,
          ip: s.ip,
          user_agent: s.userAgent,
        })
        .execute();
    },

    async find(idHash) {
      const row = await db.selectFrom('auth_sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
      return row && toRecord(row);
    },

    async touch(idHash, lastSeenAt) {
      await db.updateTable('auth_sessions').set({ last_seen_at: lastSeenAt }).where('id_hash', '=', idHash).execute();
    },

    async delete(idHash) {
      const r = await db.deleteFrom('auth_sessions').where('id_hash', '=', idHash).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },

    async deleteForUser(userId, keepIdHash) {
      let q = db.deleteFrom('auth_sessions').where('user_id', '=', userId);
      if (keepIdHash !== undefined) q = q.where('id_hash', '<>', keepIdHash);
      const r = await q.executeTakeFirst();
      return Number(r.numDeletedRows);
    },

    async deleteExpired(now, idleBefore) {
      const r = await db
        .deleteFrom('auth_sessions')
        .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', idleBefore)]))
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
