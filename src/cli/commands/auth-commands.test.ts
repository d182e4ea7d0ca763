/** @module Tests of `careguard users ...` and `careguard tokens ...` against a real SQLite database. */
import { PassThrough, Readable } from 'node:stream';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEventInput } from '../../audit/index.js';
import { createAuthServices, parseToken, PasswordHasher, type AuthServices } from '../../auth/index.js';
import type { DatabaseHandle } from '../../storage/index.js';
import { createAuthStore } from '../../storage/repositories/auth.js';
import { openTestDatabase } from '../../storage/testing/engines.js';
import type { CliContext } from '../context.js';
import { parseExpiry, registerTokensCommand } from './tokens.js';
import { registerUsersCommand } from './users.js';

let db: DatabaseHandle;
let services: AuthServices;
let events: AuditEventInput[];

beforeEach(async () => {
  db = await openTestDatabase('sqlite');
  events = [];
  services = createAuthServices({
    store: createAuthStore(db.db),
    audit: { record: async (e) => void events.push(e) },
    hasher: new PasswordHasher({ log2N: 10, r: 8, p: 1 }),
  });
});
afterEach(async () => {
  await db.close();
});

async function run(args: string[], stdin?: string): Promise<{ out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c: Buffer) => (out += c.toString()));
  stderr.on('data', (c: Buffer) => (err += c.toString()));
  const ctx: CliContext<AuthServices> = {
    io: { stdout, stderr, isTTY: false },
    // the database outlives each command here; close() is what the real container would do
    open: async () => ({ ...services, close: async () => undefined }),
  };
  const program = new Command('careguard').exitOverride();
  registerUsersCommand(program, ctx, stdin === undefined ? {} : { stdin: Readable.from([stdin]) });
  registerTokensCommand(program, ctx);
  await program.parseAsync(['node', 'careguard', ...args]);
  return { out, err };
}

describe('careguard users', () => {
  it('adds a user with a generated password printed once, which signs in', async () => {
    const { out, err } = await run(['users', 'add', 'Alice', '--role', 'security_analyst', '--display-name', 'Alice A.']);
    expect(out).toMatch(/^created user alice \(security_analyst\) id usr_\w+\npassword: (\S+)\n$/);
    expect(err).toContain('shown only once');
    const password = /password: (\S+)/.exec(out)![1]!;
    const login = await services.auth.login({ username: 'alice', password });
    expect(login.user.displayName).toBe('Alice A.');
    expect(events[0]).toMatchObject({ action: 'user.create', actor: { kind: 'system', id: 'cli' } });
  });

  it('reads the password from stdin without echoing it', async () => {
    const { out } = await run(['users', 'add', 'bob', '--role', 'auditor', '--password-stdin'], 'a-long-enough-passphrase\n');
    expect(out).not.toContain('a-long-enough-passphrase');
    expect(out).not.toContain('password:');
    expect((await services.auth.login({ username: 'bob', password: 'a-long-enough-passphrase' })).user.username).toBe('bob');
  });

  it('refuses an unknown role and a weak password with the field named', async () => {
    await expect(run(['users', 'add', 'carol', '--role', 'superuser'])).rejects.toMatchObject({ code: 'user.invalid_role' });
    await expect(run(['users', 'add', 'carol', '--role', 'auditor', '--password-stdin'], 'short\n')).rejects.toMatchObject({
      code: 'user.weak_password',
      location: { pointer: '/password' },
    });
    expect(await services.users.list()).toEqual([]);
  });

  it('lists users as a table and as JSON', async () => {
    await run(['users', 'add', 'zed', '--role', 'admin']);
    await run(['users', 'add', 'amy', '--role', 'clinician_viewer']);
    const table = (await run(['users', 'list'])).out.split('\n');
    expect(table[0]).toMatch(/^USERNAME\s+ROLE\s+NAME\s+STATUS\s+LAST LOGIN$/);
    expect(table[2]).toMatch(/^amy\s+clinician_viewer\s+amy\s+active\s+never$/);
    const json = JSON.parse((await run(['users', 'list', '--json'])).out) as Array<Record<string, unknown>>;
    expect(json.map((u) => u.username)).toEqual(['amy', 'zed']);
    expect(JSON.stringify(json)).not.toContain('scrypt');
  });

  it('resets a password and lifts a lockout', async () => {
    await run(['users', 'add', 'dan', '--role', 'auditor', '--password-stdin'], 'first-passphrase-123');
    for (let i = 0; i < 5; i++) await services.auth.login({ username: 'dan', password: `wrong-${i}-passphrase` }).catch(() => undefined);
    await expect(services.auth.login({ username: 'dan', password: 'first-passphrase-123' })).rejects.toMatchObject({ code: 'auth.account_locked' });
    await run(['users', 'unlock', 'DAN']);
    expect((await services.auth.login({ username: 'dan', password: 'first-passphrase-123' })).user.username).toBe('dan');
    const { out } = await run(['users', 'reset-password', 'dan']);
    const password = /password: (\S+)/.exec(out)![1]!;
    expect((await services.auth.login({ username: 'dan', password })).user.username).toBe('dan');
    await expect(run(['users', 'unlock', 'nobody'])).rejects.toMatchObject({ code: 'user.not_found' });
  });
});

describe('careguard tokens', () => {
  it('creates a machine token printed once, lists it without the secret, and revokes it', async () => {
    const { out } = await run(['tokens', 'create', '--name', 'pump gateway', '--scopes', 'alerts:create, devices:read', '--expires', '90d', '--machine']);
    const secret = /^(cg_\S+)$/m.exec(out)![1]!;
    const principal = await services.auth.authenticateBearer(secret);
    expect([...principal.permissions].sort()).toEqual(['alerts:create', 'devices:read']);
    const list = (await run(['tokens', 'list'])).out;
    expect(list).toContain('pump gateway');
    expect(list).toContain('(machine)');
    expect(list).not.toContain(parseToken(secret)!.secret);
    const id = /created token (\w+)/.exec(out)![1]!;
    expect((await run(['tokens', 'revoke', id])).out).toBe(`revoked token ${id} "pump gateway"\n`);
    await expect(services.auth.authenticateBearer(secret)).rejects.toMatchObject({ code: 'auth.token_revoked' });
  });

  it('creates a user token only within the user\'s role, and needs an owner', async () => {
    await run(['users', 'add', 'eve', '--role', 'biomed_engineer']);
    await expect(run(['tokens', 'create', '--name', 'x', '--scopes', 'users:write', '--expires', '30d', '--user', 'eve'])).rejects.toMatchObject({ code: 'auth.forbidden' });
    await expect(run(['tokens', 'create', '--name', 'x', '--scopes', 'devices:read', '--expires', '30d'])).rejects.toMatchObject({ code: 'cli.missing_owner' });
    const json = JSON.parse((await run(['tokens', 'create', '--name', 'x', '--scopes', 'devices:read', '--expires', '2w', '--user', 'eve', '--json'])).out);
    expect(json.token).toMatchObject({ username: 'eve', kind: 'user', scopes: ['devices:read'] });
    expect(JSON.parse((await run(['tokens', 'list', '--user', 'eve', '--json'])).out)).toHaveLength(1);
  });

  it('parses expiry durations and refuses nonsense', () => {
    expect(parseExpiry('90d')).toBe(90);
    expect(parseExpiry('12w')).toBe(84);
    expect(parseExpiry('1y')).toBe(365);
    expect(parseExpiry('7')).toBe(7);
    for (const bad of ['', '90 days', '-1d', '1.5d', '3m']) expect(() => parseExpiry(bad)).toThrow(/--expires must look like/);
  });

  it('refuses an expiry beyond a year', async () => {
    await expect(run(['tokens', 'create', '--name', 'x', '--scopes', 'devices:read', '--expires', '2y', '--machine'])).rejects.toMatchObject({ code: 'token.invalid_expiry' });
  });
});
