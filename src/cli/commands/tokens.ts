/**
 * @module `careguard tokens create|list|revoke`: API tokens from the server's shell, for
 * provisioning integrations and devices. The secret is printed once and never again.
 */
import type { Command } from 'commander';
import type { ApiTokenView, AuthServices, TokenOwner } from '../../auth/index.js';
import { invalidInput } from '../../core/errors.js';
import type { CliContext } from '../context.js';
import { renderTable, writeJson } from '../render.js';
import { cliActor } from './users.js';

const DAYS_PER_UNIT: Record<string, number> = { d: 1, w: 7, y: 365 };

/** "90d", "12w", "1y" or a bare number of days. */
export function parseExpiry(raw: string): number {
  const m = /^(\d{1,4})([dwy]?)$/.exec(raw.trim());
  if (!m) throw invalidInput('cli.invalid_expiry', `--expires must look like 90d, 12w or 1y, got "${raw}"`);
  return Number(m[1]) * DAYS_PER_UNIT[m[2] || 'd']!;
}

export const parseScopes = (raw: string): string[] =>
  raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

async function withServices<T>(ctx: CliContext<AuthServices>, fn: (s: AuthServices) => Promise<T>): Promise<T> {
  const services = await ctx.open();
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}

async function ownerFrom(s: AuthServices, opts: { user?: string; machine?: boolean }): Promise<TokenOwner | undefined> {
  if (opts.user && opts.machine) throw invalidInput('cli.conflicting_options', 'give either --user or --machine, not both');
  if (opts.machine) return { kind: 'machine' };
  if (opts.user) return { kind: 'user', userId: (await s.users.getByUsername(opts.user)).id };
  return undefined;
}

export function registerTokensCommand(program: Command, ctx: CliContext<AuthServices>): void {
  const tokens = program.command('tokens').description('API tokens: create, list, revoke');

  tokens
    .command('create')
    .description('create an API token for a user (--user) or an integration/device (--machine); prints it once')
    .requiredOption('--name <name>', 'what the token is for, e.g. "CMMS sync"')
    .requiredOption('--scopes <list>', 'comma-separated permissions, e.g. devices:read,devices:import')
    .requiredOption('--expires <duration>', 'lifetime: 90d, 12w or 1y (at most 365 days)')
    .option('--user <username>', 'owner (scopes must be within their role)')
    .option('--machine', 'no owner: an integration or device token')
    .option('--json', 'print {token, secret} as JSON')
    .action(async (opts: { name: string; scopes: string; expires: string; user?: string; machine?: boolean; json?: boolean }) => {
      const expiresInDays = parseExpiry(opts.expires);
      const created = await withServices(ctx, async (s) => {
        const owner = await ownerFrom(s, opts);
        if (!owner) throw invalidInput('cli.missing_owner', 'say who the token is for: --user <username> or --machine');
        return s.tokens.create(cliActor(), owner, { name: opts.name, scopes: parseScopes(opts.scopes), expiresInDays });
      });
      if (opts.json) return writeJson(ctx.io, created);
      const t = created.token;
      ctx.io.stdout.write(`created token ${t.id} "${t.name}" for ${t.username ?? 'machine use'}; scopes ${t.scopes.join(',')}; expires ${t.expiresAt}\n`);
      ctx.io.stdout.write(`${created.secret}\n`);
      ctx.io.stderr.write('(the token is shown only once: store it in the integration now)\n');
    });

  tokens
    .command('list')
    .description('list tokens (never their secrets)')
    .option('--user <username>', "only this user's tokens")
    .option('--machine', 'only machine tokens')
    .option('--json', 'machine-readable output')
    .action(async (opts: { user?: string; machine?: boolean; json?: boolean }) => {
      const list = await withServices(ctx, async (s) => s.tokens.list(await ownerFrom(s, opts)));
      if (opts.json) return writeJson(ctx.io, list);
      ctx.io.stdout.write(
        renderTable<ApiTokenView>(list, [
          { header: 'ID', value: (t) => t.id, maxWidth: 26 },
          { header: 'NAME', value: (t) => t.name },
          { header: 'OWNER', value: (t) => t.username ?? '(machine)' },
          { header: 'SCOPES', value: (t) => t.scopes.join(','), maxWidth: 60 },
          { header: 'STATUS', value: (t) => t.status },
          { header: 'EXPIRES', value: (t) => t.expiresAt },
          { header: 'LAST USED', value: (t) => t.lastUsedAt ?? 'never' },
        ]),
      );
    });

  tokens
    .command('revoke <id>')
    .description('revoke a token at once')
    .action(async (id: string) => {
      const token = await withServices(ctx, (s) => s.tokens.revoke(cliActor(), id));
      ctx.io.stdout.write(`revoked token ${token.id} "${token.name}"\n`);
    });
}
