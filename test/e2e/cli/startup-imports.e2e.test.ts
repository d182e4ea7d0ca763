/**
 * What the `careguard` command line loads: registering the commands loads commander and nothing else
 * from node_modules, and a command loads only what it needs (src/cli/commands/index.ts), so a heavy
 * package imported at the top of a command module fails here. The CLI runs from the sources under
 * tsx (support/run-source.ts), so this checks the code as it is rather than a possibly stale build,
 * and every module the process loads is recorded (support/trace-imports.mjs).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { udpFrame } from '../../../src/netmon/capture/testing/frames.js';
import { writePcap } from '../../../src/netmon/capture/testing/pcap-writer.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'careguard-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** tsx and the esbuild it transpiles with: loaded only because the test runs the sources */
const TOOLCHAIN = new Set(['tsx', 'esbuild']);
const VULNERABILITY_STACK = ['ajv', 'ajv-formats', 'semver', 'packageurl-js', 'ae-cvss-calculator', '@renovatebot/pep440', '@secvisogram/csaf-validator-lib', '@cyclonedx/cyclonedx-library', 'yauzl'];
const STORAGE_STACK = ['kysely', 'better-sqlite3', 'pg'];
const SERVER_STACK = ['fastify', '@fastify/static', '@fastify/swagger', '@fastify/cookie', 'typebox'];

/** Runs `careguard ARGS` from the sources; returns its exit code, stdout and the packages it loaded. */
function careguard(name: string, args: string[]): { code: number | null; stdout: string; stderr: string; packages: string[] } {
  const trace = join(dir, `${name}.trace`);
  writeFileSync(trace, '');
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--import', join(here, 'support', 'trace-imports.mjs'), join(here, 'support', 'run-source.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, CAREGUARD_TRACE_IMPORTS: trace, CAREGUARD_DATA_DIR: join(dir, 'data') },
  });
  const packages = new Set<string>();
  for (const url of readFileSync(trace, 'utf8').split('\n')) {
    // the package is what follows the last node_modules/ (a nested dependency is its own package)
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(url);
    if (m && !TOOLCHAIN.has(m[1]!)) packages.add(m[1]!);
  }
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, packages: [...packages].sort() };
}

describe('careguard startup', () => {
  it('loads commander and no other package for --help', () => {
    const r = careguard('help', ['--help']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Usage: careguard [options] [command]');
    expect(r.packages).toEqual(['commander']);
  });

  it('reports a small capture without loading the vulnerability, storage or server stacks', () => {
    const pcap = join(dir, 'small.pcap');
    const syslog = (i: number) => ({ ts: 1_700_000_000_000_000 + i * 1000, data: udpFrame(`10.0.0.${i + 1}`, '10.0.0.200', 40000 + i, 514, new TextEncoder().encode(`<13>host-${i}: ok`)) });
    writeFileSync(pcap, writePcap([0, 1, 2].map(syslog)));
    const r = careguard('netmon-report', ['netmon', 'report', pcap, '--json', '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { capture: { packets: number } }).capture.packets).toBe(3);
    // the trace saw the command's own dependencies, so an empty list below is not a broken trace
    expect(r.packages).toContain('commander');
    expect(r.packages.filter((p) => [...VULNERABILITY_STACK, ...STORAGE_STACK, ...SERVER_STACK].includes(p))).toEqual([]);
  });

  it('extracts packets without loading the vulnerability, storage or server stacks', () => {
    const pcap = join(dir, 'evidence.pcap');
    writeFileSync(pcap, writePcap([0, 1, 2].map((i) => ({ ts: 1_700_000_000_000_000 + i * 1000, data: udpFrame('10.0.0.1', '10.0.0.200', 40000, 514, new TextEncoder().encode(`<13>host: ${i}`)) }))));
    const r = careguard('netmon-extract', ['netmon', 'extract', pcap, '--frames', '2', '--out', join(dir, 'frame-2.pcap')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('wrote 1 packet ');
    expect(r.packages).toContain('commander');
    expect(r.packages.filter((p) => [...VULNERABILITY_STACK, ...STORAGE_STACK, ...SERVER_STACK].includes(p))).toEqual([]);
  });
});
