/** @module The auth capability's API token repository over Kysely (secrets stored as sha256 only). */
import type { Kysely, Selectable } from 'kysely';
import type { ApiTokenRecord, Permission, TokenRepository } from '../../auth/index.js';
import { parseJsonColumn } from '../../core/index.js';
import type { DB } from '../schema.js';
import type { AuthTokensTable } from '../tables/auth.js';

const toRecord = (r: Selectable<AuthTokensTable>): ApiTokenRecord => ({
  id: r.id,
  name: r.name,
  userId: r.user_id,
  scopes: parseJsonColumn<Permission[]>(r.scopes, []),
  createdAt: r.created_at,
  createdBy: r.created_by,
  expiresAt: r.expires_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
  secretHash: r.secret_hash,
});

export function authTokenRepository(db: Kysely<DB>): TokenRepository {
  return {
    async insert(t) {
      await db
        .insertInto('auth_tokens')
        .values({
          id: t.id,
          name: t.name,
          user_id: t.userId,
          secret_hash: t.secretHash,
          scopes: JSON.stringify(t.scopes),
          created_at: t.createdAt,
          created_by: t.createdBy,
          expires_at: t.expiresAt,
          last_used_at: t.lastUsedAt,
          revoked_at: t.revokedAt,
          revoked_by: null,
        })
        .execute();
    },

    async findById(id) {
      const row = await db.selectFrom('auth_tokens').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toRecord(row);
    },

    async list(filter = {}) {
      let q = db.selectFrom('auth_tokens').selectAll();
      if (filter.userId === null) q = q.where('user_id', 'is', null);
      else if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId);
      const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').execute();
      return rows.map((r) => {
        const { secretHash: _hash, ...token } = toRecord(r);
        return token;
      });
    },

    async revoke(id, at, by) {
      const r = await db.updateTable('auth_tokens').set({ revoked_at: at, revoked_by: by }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },

    async touchLastUsed(id, at) {
      await db.updateTable('auth_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
    },
  };
}
