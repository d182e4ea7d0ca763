/**
 * @module User administration: create, list, change role or name, disable, unlock, reset a
 * password, and bootstrap the first admin. Every change is audited in the same transaction.
 */
import { conflict, newId, notFound, systemActor, type Actor } from '../core/index.js';
import { addMinutes, resolveDeps, userSnapshot, type AuthDeps, type ResolvedAuthDeps } from './deps.js';
import type { User, UserRecord } from './model.js';
import { generatePassword } from './passwords.js';
import type { Role } from './permissions.js';
import type { UserPatch } from './ports.js';
import { normalizeUsername, validateDisplayName, validatePassword, validateRole, validateUsername } from './validation.js';

export interface CreateUserInput {
  username: string;
  role: string;
  displayName?: string;
  /** omitted: a random password is generated and returned once */
  password?: string;
}

export interface UpdateUserInput {
  role?: string;
  displayName?: string;
  disabled?: boolean;
}

const toUser = ({ passwordHash: _secret, ...user }: UserRecord): User => user;

export class UserService {
  private readonly d: ResolvedAuthDeps;

  constructor(deps: AuthDeps) {
    this.d = resolveDeps(deps);
  }

  list(): Promise<User[]> {
    return this.d.store.users.list();
  }

  async get(id: string): Promise<User> {
    const found = await this.d.store.users.findById(id);
    if (!found) throw notFound('user', id);
    return toUser(found);
  }

  /** by login name (case-insensitive); 404 `user.not_found` when there is none */
  async getByUsername(username: string): Promise<User> {
    const found = await this.d.store.users.findByUsername(normalizeUsername(username));
    if (!found) throw notFound('user', username);
    return toUser(found);
  }

  async create(actor: Actor, input: CreateUserInput): Promise<{ user: User; generatedPassword?: string }> {
    const username = validateUsername(input.username);
    const role = validateRole(input.role);
    const displayName = validateDisplayName(input.displayName ?? username);
    const generated = input.password === undefined ? generatePassword() : undefined;
    const password = input.password ?? generated!;
    validatePassword(password, username, this.d.policy);
    const passwordHash = await this.d.hasher.hash(password);
    const now = this.d.clock.now().toISOString();
    const record: UserRecord = {
      id: newId('usr'),
      username,
      displayName,
      role,
      disabled: false,
      createdAt: now,
      updatedAt: now,
      passwordChangedAt: now,
      lastLoginAt: null,
      passwordHash,
    };
    await this.d.store.transaction(async (tx) => {
      await tx.users.insert(record);
      await this.d.audit.record({ actor, action: 'user.create', targetType: 'user', targetId: record.id, after: userSnapshot(record) }, tx.executor);
    });
    const user = toUser(record);
    return generated === undefined ? { user } : { user, generatedPassword: generated };
  }

  async update(actor: Actor, id: string, input: UpdateUserInput): Promise<User> {
    const role = input.role === undefined ? undefined : validateRole(input.role);
    const displayName = input.displayName === undefined ? undefined : validateDisplayName(input.displayName);
    return this.d.store.transaction(async (tx) => {
      const before = await tx.users.findById(id);
      if (!before) throw notFound('user', id);
      const losesAdmin = before.role === 'admin' && !before.disabled && ((role !== undefined && role !== 'admin') || input.disabled === true);
      if (losesAdmin && (await tx.users.countEnabledWithRole('admin')) <= 1) {
        throw conflict('user.last_admin', 'the last enabled admin cannot be demoted or disabled', { id });
      }
      const patch: UserPatch = { updatedAt: this.d.clock.now().toISOString() };
      if (role !== undefined) patch.role = role;
      if (displayName !== undefined) patch.displayName = displayName;
      if (input.disabled !== undefined) patch.disabled = input.disabled;
      await tx.users.update(id, patch);
      // a disabled user is signed out everywhere; their tokens stop working while disabled
      if (input.disabled === true) await tx.sessions.deleteForUser(id);
      const after = { ...before, ...patch };
      await this.d.audit.record(
        { actor, action: 'user.update', targetType: 'user', targetId: id, before: userSnapshot(before), after: userSnapshot(after) },
        tx.executor,
      );
      return toUser(after);
    });
  }

  /** Lifts a lockout early (after the owner proved who they are some other way). */
  async unlock(actor: Actor, id: string): Promise<void> {
    await this.d.store.transaction(async (tx) => {
      const user = await tx.users.findById(id);
      if (!user) throw notFound('user', id);
      const lockout = await tx.throttle.getLockout(user.username);
      await tx.throttle.clearLockout(user.username);
      await this.d.audit.record(
        { actor, action: 'user.unlock', targetType: 'user', targetId: id, details: { failures: lockout?.failures ?? 0, lockedUntil: lockout?.lockedUntil ?? null } },
        tx.executor,
      );
    });
  }

  /** Sets a new password (generated when omitted, returned once) and ends the user's sessions. */
  async resetPassword(actor: Actor, id: string, password?: string): Promise<{ generatedPassword?: string }> {
    const user = await this.get(id);
    const generated = password === undefined ? generatePassword() : undefined;
    const next = password ?? generated!;
    validatePassword(next, user.username, this.d.policy);
    const passwordHash = await this.d.hasher.hash(next);
    await this.d.store.transaction(async (tx) => {
      const now = this.d.clock.now().toISOString();
      await tx.users.update(id, { passwordHash, passwordChangedAt: now, updatedAt: now });
      const ended = await tx.sessions.deleteForUser(id);
      await tx.throttle.clearLockout(user.username);
      await this.d.audit.record(
        { actor, action: 'user.password_reset', targetType: 'user', targetId: id, details: { sessionsEnded: ended, generated: generated !== undefined } },
        tx.executor,
      );
    });
    return generated === undefined ? {} : { generatedPassword: generated };
  }

  /**
   * On an empty database, creates `admin` with a random password and returns it once (the
   * server prints it on first start). Returns null when any user exists, including when another
   * server created the admin a moment earlier.
   */
  async ensureInitialAdmin(): Promise<{ username: string; password: string } | null> {
    if ((await this.d.store.users.count()) > 0) return null;
    try {
      const { generatedPassword } = await this.create(systemActor('bootstrap'), { username: 'admin', role: 'admin' satisfies Role, displayName: 'Administrator' });
      return { username: 'admin', password: generatedPassword! };
    } catch (e) {
      if ((e as { code?: string }).code === 'user.username_taken') return null;
      throw e;
    }
  }

  /** Current lockout state of a user, for the admin view. */
  async lockoutOf(id: string): Promise<{ failures: number; lockedUntil: string | null }> {
    const user = await this.get(id);
    const lockout = await this.d.store.throttle.getLockout(user.username);
    const now = this.d.clock.now();
    const stale = !lockout || addMinutes(new Date(lockout.lastFailureAt), this.d.policy.lockoutMinutes) < now;
    if (stale) return { failures: 0, lockedUntil: null };
    const locked = lockout.lockedUntil !== null && new Date(lockout.lockedUntil) > now;
    return { failures: lockout.failures, lockedUntil: locked ? lockout.lockedUntil : null };
  }
}
