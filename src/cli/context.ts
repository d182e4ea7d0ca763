/**
 * @module What every CLI command receives: output streams and a way to open the composition root.
 * Commands are thin: flags -> options, call one service, render, set the exit code.
 */
// core/errors.js, not core/index.js: the index also brings in the logger (pino), which commands
// that never open the database do not need; this file is loaded by every command
import { isDomainError } from '../core/errors.js';

export const EXIT = { ok: 0, findings: 1, error: 2 } as const;

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** true when stdout is an interactive terminal (progress bars, colours) */
  isTTY: boolean;
  /** true when stdin is an interactive terminal (nothing was piped in) */
  stdinIsTTY?: boolean;
}

/**
 * `S` is the subset of the application container a command needs (structural typing: the real
 * container satisfies it). open() applies migrations and must be paired with close().
 */
export interface CliContext<S> {
  io: CliIO;
  open(): Promise<S & { close(): Promise<void> }>;
}

/**
 * A command's expected failure (a DomainError: its message names what and where) printed once as
 * `error: MESSAGE [CODE]` with exit code 2; anything else is a bug and is rethrown.
 */
export function failWithDomainError(io: CliIO, e: unknown): void {
  if (!isDomainError(e)) throw e;
  io.stderr.write(`error: ${e.message} [${e.code}]\n`);
  process.exitCode = EXIT.error;
}
