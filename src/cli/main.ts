/**
 * @module The `careguard` command line. Global options pick the database; each command module
 * adds its verbs. Exit codes: 0 clean, 1 findings/violations, 2 error. Startup loads only
 * commander and the command definitions: each command loads its implementation when it runs
 * (commands/index.ts), so `--help` or `netmon report` do not pay for the database or the
 * vulnerability stack.
 */
import { Command, CommanderError } from 'commander';
// core/errors.js rather than core/index.js, which also loads the logger (pino)
import { describeLocation, isDomainError } from '../core/errors.js';
import type { ConfigOverrides } from '../main/config.js';
import type { Container } from '../main/container.js';
import { EXIT, type CliContext, type CliIO } from './context.js';
import { registerCommands } from './commands/index.js';

export function buildProgram(io: CliIO): Command {
  const program = new Command('careguard')
    .description('CareGuard: medical device security platform')
    .version('0.1.0')
    .option('--db <url>', 'SQLite file or postgres:// URL (env CAREGUARD_DB; default ./data/careguard.db)')
    .option('--data-dir <dir>', 'data directory (env CAREGUARD_DATA_DIR; default ./data)')
    .option('--log-level <level>', 'log level (env CAREGUARD_LOG_LEVEL; default info, CLI commands warn)')
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride();

  const overrides = (): ConfigOverrides => {
    const o = program.opts<{ db?: string; dataDir?: string; logLevel?: string }>();
    return {
      ...(o.db ? { dbUrl: o.db } : {}),
      ...(o.dataDir ? { dataDir: o.dataDir } : {}),
      logLevel: o.logLevel ?? process.env.CAREGUARD_LOG_LEVEL ?? 'warn',
    };
  };
  const ctx: CliContext<Container> = {
    io,
    // loaded on first use: the container brings in the API server, both database drivers and every
    // service, which commands that never open the database (netmon report, --help) need not pay for
    open: async () => {
      const [{ createContainer }, { loadConfig }] = await Promise.all([import('../main/container.js'), import('../main/config.js')]);
      return createContainer(loadConfig(process.env, overrides()));
    },
  };
  registerCommands(program, ctx, overrides);
  return program;
}

export async function runCli(argv: string[], io: CliIO = defaultIO()): Promise<number> {
  const program = buildProgram(io);
  // commands signal findings (exit 1) through process.exitCode; start each run clean
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv);
    const code = process.exitCode;
    process.exitCode = undefined;
    return typeof code === 'number' ? code : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit through here with code 0
      return e.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    if (isDomainError(e)) {
      const where = describeLocation(e.location);
      io.stderr.write(`error: ${e.message}${where && !e.message.includes(where) ? ` (${where})` : ''} [${e.code}]\n`);
      return EXIT.error;
    }
    io.stderr.write(`error: ${(e as Error).message ?? String(e)}\n`);
    return EXIT.error;
  }
}

function defaultIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, isTTY: Boolean(process.stdout.isTTY), stdinIsTTY: Boolean(process.stdin.isTTY) };
}
