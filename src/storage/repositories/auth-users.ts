/** @module The auth capability's user repository over Kysely (SQLite and PostgreSQL alike). */
import type { Kysely, Selectable } from 'kysely';
import type { Role, User, UserPatch, UserRecord, UserRepository } from '../../auth/index.js';
import { conflict } from '../../core/index.js';
import type { DB } from '../schema.js';
import type { AuthUsersTable } from '../tables/auth.js';

const toRecord = (r: Selectable<AuthUsersTable>): UserRecord => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role as Role,
  disabled: Number(r.disabled) === 1,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  passwordChangedAt: r.password_changed_at,
  lastLoginAt: r.last_login_at,
  passwordHash: r.password_hash,
});

/** SQLite reports SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY, PostgreSQL SQLSTATE 23505. */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

export function authUserRepository(db: Kysely<DB>): UserRepository {
  return {
    async insert(u) {
      try {
        await db
          .insertInto('auth_users')
          .values({
            id: u.id,
            username: u.username,
            display_name: u.displayName,
            role: u.role,
            password_hash: u.passwordHash,
            disabled: u.disabled ? 1 : 0,
            created_at: u.createdAt,
            updated_at: u.updatedAt,
            password_changed_at: u.passwordChangedAt,
            last_login_at: u.lastLoginAt,
          })
          .execute();
      } catch (e) {
        if (isUniqueViolation(e)) throw conflict('user.username_taken', `username ${u.username} is already taken`, { username: u.username });
        throw e;
      }
    },

    async findById(id) {
      const row = await db.selectFrom('auth_users').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toRecord(row);
    },

    async findByUsername(username) {
      const row = await db.selectFrom('auth_users').selectAll().where('username', '=', username).executeTakeFirst();
      return row && toRecord(row);
    },

    async list() {
      const rows = await db.selectFrom('auth_users').selectAll().orderBy('username').execute();
      return rows.map((r): User => {
        const { passwordHash: _hash, ...user } = toRecord(r);
        return user;
      });
    },

    async count() {
      const row = await db.selectFrom('auth_users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async countEnabledWithRole(role) {
      const row = await db
        .selectFrom('auth_users')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('role', '=', role)
        .where('disabled', '=', 0)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

    async update(id, patch: UserPatch) {
      await db
        .updateTable('auth_users')
        .set({
          updated_at: patch.updatedAt,
          ...(patch.displayName !== undefined ? { display_name: patch.displayName } : {}),
          ...(patch.role !== undefined ? { role: patch.role } : {}),
          ...(patch.disabled !== undefined ? { disabled: patch.disabled ? 1 : 0 } : {}),
          ...(patch.passwordHash !== undefined ? { password_hash: patch.passwordHash } : {}),
          ...(patch.passwordChangedAt !== undefined ? { password_changed_at: patch.passwordChangedAt } : {}),
          ...(patch.lastLoginAt !== undefined ? { last_login_at: patch.lastLoginAt } : {}),
        })
        .where('id', '=', id)
        .execute();
    },
  };
}
