/** @module Output for CLI listings: aligned text tables for people, JSON for machines. */
import type { CliIO } from './context.js';

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

export function writeJson(io: CliIO, value: unknown): void {
  io.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
