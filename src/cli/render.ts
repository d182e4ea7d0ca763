/** @module Output for CLI listings: aligned text tables for people, JSON for machines. */
import type { CliIO } from './context.js';
import { once } from 'node:events';
import { jsonChunks, writeJsonChunks } from './json-chunks.js';

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | undefined | null;
  maxWidth?: number;
}

export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => clip(String(c.value(r) ?? ''), c.maxWidth ?? 40)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i]!.length)));
  const line = (vals: string[]) => vals.map((v, i) => v.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n') + '\n';
}

function clip(s: string, max: number): string {
  const oneLine = s.replace(/[\r\n\t]+/g, ' ');
  return oneLine.length > max ? oneLine.slice(0, max - 1) + '…' : oneLine;
}

/**
 * JSON.stringify(value, null, 2) and a newline, written in chunks (json-chunks.ts): a capture
 * report is tens of MB of text, never built as one string. Output of less than a chunk is one write.
 */
export function writeJson(io: CliIO, value: unknown): void {
  let pending: string | undefined;
  const wrote = writeJsonChunks(value, (chunk) => {
    if (pending !== undefined) io.stdout.write(pending);
    pending = chunk;
  });
  // the last chunk carries the newline; JSON.stringify(undefined) printed "undefined" before, and still does
  io.stdout.write(wrote ? `${pending ?? ''}\n` : 'undefined\n');
}

/**
 * writeJson for large values, waiting for stdout to drain between chunks: piped into a slow reader,
 * a 34 MB report would otherwise sit in the stream's queue whole. Same text as writeJson.
 */
export async function writeJsonDrained(io: CliIO, value: unknown): Promise<void> {
  const chunks = jsonChunks(value);
  let pending: string | undefined;
  for (;;) {
    const next = chunks.next();
    if (next.done) {
      io.stdout.write(next.value ? `${pending ?? ''}\n` : 'undefined\n');
      return;
    }
    if (pending !== undefined && !io.stdout.write(pending)) await once(io.stdout, 'drain');
    pending = next.value;
  }
}
