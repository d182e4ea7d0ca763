/**
 * @module `careguard users add|list|reset-password|unlock`: account administration from the
 * server's shell (which already has database access, so it needs no sign-in). Generated
 * passwords are printed once; `--password-stdin` reads one instead of putting it on the command
 * line (where it would land in shell history and the process list).
 */
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { AuthServices } from '../../auth/index.js';
import { invalidInput } from '../../core/errors.js';
import type { Actor } from '../../core/index.js';
import type { CliContext, CliIO } from '../context.js';
import { renderTable, writeJson } from '../render.js';

export interface UsersCommandOptions {
  /** where --password-stdin reads from (tests pass their own) */
  stdin?: NodeJS.ReadableStream;
}

/** The CLI acts as a system component, named after the operating-system account running it. */
export function cliActor(): Actor {
  let osUser = 'unknown';
  try {
    osUser = userInfo().username;
  } catch {
    // some containers run under a uid without a passwd entry
  }
  return { kind: 'system', id: 'cli', name: `cli:${osUser}` };
}

export async function readPasswordFromStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > 4096) throw invalidInput('cli.password_too_long', 'the password read from stdin is longer than 4096 bytes');
    chunks.push(b);
  }
  // a trailing newline comes from `echo` or a file, never from the password itself
  const password = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (password === '') throw invalidInput('cli.password_empty', 'no password was given on stdin');
  return password;
}

async function withServices<T>(ctx: CliContext<AuthServices>, fn: (s: AuthServices) => Promise<T>): Promise<T> {
  const services = await ctx.open();
  try {
    return await fn(services);
  } finally {
    await services.close();
  }
}

function printPassword(io: CliIO, password: string): void {
  io.stdout.write(`password: ${password}\n`);
  io.stderr.write('(shown only once: hand it over securely; the user should change it after signing in)\n');
}

export function registerUsersCommand(program: Command, ctx: CliContext<AuthServices>, options: UsersCommandOptions = {}): void {
  const stdin = () => options.stdin ?? process.stdin;
  const users = program.command('users').description('user accounts: add, list, reset-password, unlock');

  users
    .command('add <username>')
    .description('create a user; prints a generated password once unless --password-stdin is given')
    .requiredOption('--role <role>', 'admin, security_analyst, biomed_engineer, clinician_viewer or auditor')
    .option('--display-name <name>', 'full name shown in the dashboard')
    .option('--password-stdin', 'read the password from standard input')
    .action(async (username: string, opts: { role: string; displayName?: string; passwordStdin?: boolean }) => {
      const password = opts.passwordStdin ? await readPasswordFromStdin(stdin()) : undefined;
      const result = await withServices(ctx, (s) =>
        s.users.create(cliActor(), { username, role: opts.role, ...(opts.displayName ? { displayName: opts.displayName } : {}), ...(password ? { password } : {}) }),
      );
      ctx.io.stdout.write(`created user ${result.user.username} (${result.user.role}) id ${result.user.id}\n`);
      if (result.generatedPassword) printPassword(ctx.io, result.generatedPassword);
    });

  users
    .command('list')
    .description('list users')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const list = await withServices(ctx, (s) => s.users.list());
      if (opts.json) return writeJson(ctx.io, list);
      ctx.io.stdout.write(
        renderTable(list, [
          { header: 'USERNAME', value: (u) => u.username },
          { header: 'ROLE', value: (u) => u.role },
          { header: 'NAME', value: (u) => u.displayName },
          { header: 'STATUS', value: (u) => (u.disabled ? 'disabled' : 'active') },
          { header: 'LAST LOGIN', value: (u) => u.lastLoginAt ?? 'never' },
        ]),
      );
    });

  users
    .command('reset-password <username>')
    .description("set a new password (generated unless --password-stdin) and end the user's sessions")
    .option('--password-stdin', 'read the password from standard input')
    .action(async (username: string, opts: { passwordStdin?: boolean }) => {
      const password = opts.passwordStdin ? await readPasswordFromStdin(stdin()) : undefined;
      const result = await withServices(ctx, async (s) => {
        const user = await s.users.getByUsername(username);
        return s.users.resetPassword(cliActor(), user.id, password);
      });
      ctx.io.stdout.write(`password of ${username.toLowerCase()} reset; their sessions have ended\n`);
      if (result.generatedPassword) printPassword(ctx.io, result.generatedPassword);
    });

  users
    .command('unlock <username>')
    .description('lift a sign-in lockout')
    .action(async (username: string) => {
      await withServices(ctx, async (s) => s.users.unlock(cliActor(), (await s.users.getByUsername(username)).id));
      ctx.io.stdout.write(`${username.toLowerCase()} unlocked\n`);
    });
}
