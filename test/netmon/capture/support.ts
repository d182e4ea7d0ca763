/**
 * @module Test support for real-capture tests: where the shared public captures live, whether
 * tshark/tcpdump are installed, and the CI rule (missing data or tools fail under CI=true, skip otherwise).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const pcapDir = path.resolve(repoRoot, '../shared/data/pcap');
export const isCI = process.env.CI === 'true';

export function hasTool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** True when the suite should run; prints why it is skipped otherwise. Under CI nothing is skipped. */
export function prerequisites(suite: string, needs: { data?: boolean; tools?: string[] }): boolean {
  if (isCI) return true;
  const missing: string[] = [];
  if (needs.data && !existsSync(pcapDir)) missing.push(`shared data at ${pcapDir}`);
  for (const t of needs.tools ?? []) if (!hasTool(t)) missing.push(`${t} (apt-get install ${t === 'tshark' ? 'tshark' : t})`);
  if (missing.length === 0) return true;
  console.warn(`skipping "${suite}": missing ${missing.join(', ')}`);
  return false;
}

/** Under CI, fails with a clear message when a prerequisite is absent. */
export function assertPrerequisites(needs: { data?: boolean; tools?: string[] }): void {
  if (needs.data && !existsSync(pcapDir)) throw new Error(`shared test data missing at ${pcapDir}`);
  for (const t of needs.tools ?? []) if (!hasTool(t)) throw new Error(`${t} is not installed`);
}

export function tshark(args: string[]): string {
  return execFileSync('tshark', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
}
