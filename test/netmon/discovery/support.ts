/** @module Locates the shared public captures (../shared/data/pcap) and runs tshark on them for the discovery tests. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const sharedDataDir = path.resolve(repoRoot, '../shared/data');
export const pcap = (name: string): string => path.join(sharedDataDir, 'pcap', name);
export const inCi = process.env.CI === 'true';
export const hasTool = (tool: string): boolean => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

/** What is missing for tests over the shared captures (empty when they can run). */
export function missingSharedCaptures(names: readonly string[], tools: readonly string[] = []): string[] {
  return [...names.filter((n) => !existsSync(pcap(n))).map((n) => `shared capture ${pcap(n)}`), ...tools.filter((t) => !hasTool(t))];
}

export function tsharkFields(file: string, args: string[]): string[][] {
  const r = spawnSync('tshark', ['-n', '-r', file, ...args, '-T', 'fields'], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`tshark failed (${r.status}): ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l.length > 0).map((l) => l.split('\t'));
}
