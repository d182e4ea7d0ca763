/**
 * @module Failed-login bookkeeping over Kysely: per-name counters (lockout) and per-address rows
 * (sliding window). The counter update is one atomic upsert, so concurrent failures on several
 * API servers all count.
 */
import type { Kysely } from 'kysely';
import type { LoginThrottleRepository } from '../../auth/index.js';
import { newId } from '../../core/index.js';
import type { DB } from '../schema.js';

export function authThrottleRepository(db: Kysely<DB>): LoginThrottleRepository {
  return {
    async getLockout(username) {
      const row = await db.selectFrom('auth_account_lockouts').selectAll().where('username', '=', username).executeTakeFirst();
      return row && { username: row.username, failures: Number(row.failures), lastFailureAt: row.last_failure_at, lockedUntil: row.locked_until };
    },

    async addFailure(username, at, resetBefore) {
      const row = await db
        .insertInto('auth_account_lockouts')
        .values({ username, failures: 1, last_failure_at: at, locked_until: null })
        .onConflict((oc) =>
          oc.column('username').doUpdateSet((eb) => ({
            failures: eb
              .case()
              .when('auth_account_lockouts.last_failure_at', '<', resetBefore)
              .then(1)
              .else(eb('auth_account_lockouts.failures', '+', 1))
              .end(),
            last_failure_at: at,
          })),
        )
        .returning('failures')
        .executeTakeFirstOrThrow();
      return Number(row.failures);
    },

    async lock(username, until) {
      await db.updateTable('auth_account_lockouts').set({ locked_until: until }).where('username', '=', username).execute();
    },

    async clearLockout(username) {
      await db.deleteFrom('auth_account_lockouts').where('username', '=', username).execute();
    },

    async addIpFailure(ip, at) {
      await db.insertInto('auth_ip_failures').values({ id: newId(), ip, at }).execute();
    },

    async ipFailuresSince(ip, since) {
      const row = await db
        .selectFrom('auth_ip_failures')
        .select((eb) => [eb.fn.countAll().as('n'), eb.fn.min('at').as('oldest')])
        .where('ip', '=', ip)
        .where('at', '>', since)
        .executeTakeFirstOrThrow();
      return { count: Number(row.n), oldest: row.oldest ?? null };
    },

    async prune(before) {
      const a = await db.deleteFrom('auth_ip_failures').where('at', '<', before).executeTakeFirst();
      const b = await db
        .deleteFrom('auth_account_lockouts')
        .where('last_failure_at', '<', before)
        .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', before)]))
        .executeTakeFirst();
      return Number(a.numDeletedRows) + Number(b.numDeletedRows);
    },
  };
}
