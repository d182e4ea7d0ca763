/**
 * @module API tokens: created with an expiry and a list of scopes, shown once, stored as a hash,
 * listed without secrets, revoked at will. A user's token can only carry permissions its owner
 * holds; machine tokens (integrations, devices) belong to no user and carry only their scopes.
 */
import { forbidden, notFound, type Actor } from '../core/index.js';
import { resolveDeps, type AuthDeps, type ResolvedAuthDeps } from './deps.js';
import type { ApiToken, ApiTokenRecord, ApiTokenView, CreatedToken, User } from './model.js';
import { ROLE_PERMISSIONS } from './permissions.js';
import { newTokenParts, sha256Hex } from './secrets.js';
import { validateExpiryDays, validateScopes, validateTokenName } from './validation.js';

export interface CreateTokenInput {
  name: string;
  scopes: readonly string[];
  expiresInDays: number;
}

/** A token's owner: a user (by id) or no one (a machine token). */
export type TokenOwner = { kind: 'user'; userId: string } | { kind: 'machine' };

const tokenSnapshot = (t: ApiToken) => ({ id: t.id, name: t.name, userId: t.userId, scopes: t.scopes, expiresAt: t.expiresAt, revokedAt: t.revokedAt });

export class TokenService {
  private readonly d: ResolvedAuthDeps;

  constructor(deps: AuthDeps) {
    this.d = resolveDeps(deps);
  }

  async create(actor: Actor, owner: TokenOwner, input: CreateTokenInput): Promise<CreatedToken> {
    const name = validateTokenName(input.name);
    const scopes = validateScopes(input.scopes);
    const days = validateExpiryDays(input.expiresInDays, this.d.policy);
    let user: User | undefined;
    if (owner.kind === 'user') {
      user = await this.d.store.users.findById(owner.userId);
      if (!user || user.disabled) throw notFound('user', owner.userId);
      const allowed = ROLE_PERMISSIONS[user.role];
      const beyond = scopes.filter((s) => !allowed.includes(s));
      if (beyond.length > 0) {
        throw forbidden(`a token cannot carry permissions its owner lacks: ${beyond.join(', ')}`);
      }
    }
    const now = this.d.clock.now();
    const parts = newTokenParts();
    const record: ApiTokenRecord = {
      id: parts.id,
      name,
      userId: user?.id ?? null,
      scopes,
      createdAt: now.toISOString(),
      createdBy: `${actor.kind}:${actor.id}`,
      expiresAt: new Date(now.getTime() + days * 86_400_000).toISOString(),
      lastUsedAt: null,
      revokedAt: null,
      secretHash: sha256Hex(parts.secret),
    };
    await this.d.store.transaction(async (tx) => {
      await tx.tokens.insert(record);
      await this.d.audit.record({ actor, action: 'token.create', targetType: 'token', targetId: record.id, after: tokenSnapshot(record) }, tx.executor);
    });
    const { secretHash: _hash, ...token } = record;
    return { token: { ...token, username: user?.username ?? null, kind: user ? 'user' : 'machine', status: 'active' }, secret: parts.token };
  }

  /** All tokens (`owner` undefined), one user's, or machine tokens only. */
  async list(owner?: TokenOwner): Promise<ApiTokenView[]> {
    const filter = owner === undefined ? {} : { userId: owner.kind === 'user' ? owner.userId : null };
    const [tokens, users] = await Promise.all([this.d.store.tokens.list(filter), this.d.store.users.list()]);
    const names = new Map(users.map((u) => [u.id, u.username]));
    const now = this.d.clock.now();
    return tokens.map((t) => ({
      ...t,
      username: t.userId === null ? null : (names.get(t.userId) ?? null),
      kind: t.userId === null ? 'machine' : 'user',
      status: t.revokedAt ? 'revoked' : new Date(t.expiresAt) <= now ? 'expired' : 'active',
    }));
  }

  /**
   * Revokes a token. With `ownerId`, only that user's tokens are found (others answer 404, so
   * ids of other people's tokens are not confirmed). Revoking twice is harmless.
   */
  async revoke(actor: Actor, id: string, scope: { ownerId?: string } = {}): Promise<ApiToken> {
    return this.d.store.transaction(async (tx) => {
      const found = await tx.tokens.findById(id);
      if (!found || (scope.ownerId !== undefined && found.userId !== scope.ownerId)) throw notFound('token', id);
      const { secretHash: _hash, ...before } = found;
      if (before.revokedAt) return before;
      const at = this.d.clock.now().toISOString();
      await tx.tokens.revoke(id, at, `${actor.kind}:${actor.id}`);
      const after = { ...before, revokedAt: at };
      await this.d.audit.record({ actor, action: 'token.revoke', targetType: 'token', targetId: id, before: tokenSnapshot(before), after: tokenSnapshot(after) }, tx.executor);
      return after;
    });
  }
}
