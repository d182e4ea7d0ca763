/** @module The auth capability's AuthStore: its four repositories over one database, with transactions. */
import type { Kysely } from 'kysely';
import type { AuthRepositories, AuthStore } from '../../auth/index.js';
import type { DB } from '../schema.js';
import { authSessionRepository } from './auth-sessions.js';
import { authThrottleRepository } from './auth-throttle.js';
import { authTokenRepository } from './auth-tokens.js';
import { authUserRepository } from './auth-users.js';

function repositories(db: Kysely<DB>): AuthRepositories {
  return {
    users: authUserRepository(db),
    sessions: authSessionRepository(db),
    tokens: authTokenRepository(db),
    throttle: authThrottleRepository(db),
  };
}

export function createAuthStore(db: Kysely<DB>): AuthStore {
  return {
    ...repositories(db),
    transaction: (fn) => db.transaction().execute((trx) => fn({ ...repositories(trx), executor: trx })),
  };
}
