/**
 * @module What every CLI command receives: output streams and a way to open the composition root.
 * Commands are thin: flags -> options, call one service, render, set the exit code.
 */

export const EXIT = { ok: 0, findings: 1, error: 2 } as const;

export interface CliIO {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** true when stdout is an interactive terminal (progress bars, colours) */
  isTTY: boolean;
}

/**
 * `S` is the subset of the application container a command needs (structural typing: the real
 * container satisfies it). open() applies migrations and must be paired with close().
 */
export interface CliContext<S> {
  io: CliIO;
  open(): Promise<S & { close(): Promise<void> }>;
}
