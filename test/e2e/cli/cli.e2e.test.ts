/**
 * End-to-end tests of the `careguard` command line, run in-process through runCli with a fresh
 * SQLite database per test: every command answers --help, listings offer --json, exit codes are
 * 0 (clean), 1 (findings/rejections) and 2 (errors).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildProgram, runCli } from '../../../src/cli/main.js';
import type { CliIO } from '../../../src/cli/context.js';

interface Captured {
  code: number;
  out: string;
  err: string;
}

function capture(): { io: CliIO; text: () => { out: string; err: string } } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (b: Buffer) => (out += b.toString()));
  stderr.on('data', (b: Buffer) => (err += b.toString()));
  return { io: { stdout, stderr, isTTY: false }, text: () => ({ out, err }) };
}

let dir: string;

async function cli(...args: string[]): Promise<Captured> {
  const c = capture();
  const code = await runCli(['node', 'careguard', '--db', join(dir, 'cg.db'), '--data-dir', dir, ...args], c.io);
  await new Promise((r) => setImmediate(r));
  return { code, ...c.text() };
}

function allCommands(cmd: Command, path: string[] = []): string[][] {
  const out: string[][] = [];
  for (const sub of cmd.commands) {
    const p = [...path, sub.name()];
    out.push(p);
    out.push(...allCommands(sub, p));
  }
  return out;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cg-cli-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('careguard CLI', () => {
  it('answers --help with exit 0 for every command and subcommand', async () => {
    const paths = allCommands(buildProgram(capture().io));
    const names = paths.map((p) => p.join(' '));
    for (const required of ['serve', 'devices import', 'devices list', 'devices show', 'users add', 'users list', 'tokens create', 'tokens revoke', 'audit verify', 'audit proof', 'demo seed']) {
      expect(names).toContain(required);
    }
    for (const p of paths) {
      const r = await cli(...p, '--help');
      expect(r.code, `careguard ${p.join(' ')} --help`).toBe(0);
      expect(r.out, `careguard ${p.join(' ')} --help`).toMatch(/Usage:/);
    }
  });

  it('exits 2 with a message on an unknown command or option', async () => {
    expect((await cli('no-such-command')).code).toBe(2);
    const r = await cli('devices', 'list', '--no-such-flag');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown option/);
  });

  it('seeds the demo hospital, lists devices as JSON and shows one device', async () => {
    const seeded = await cli('demo', 'seed', '--devices', '300', '--seed', '3');
    expect(seeded.code).toBe(0);
    const list = await cli('devices', 'list', '--limit', '5', '--json');
    expect(list.code).toBe(0);
    const page = JSON.parse(list.out) as { items: Array<{ id: string; serialNumber?: string }>; total: number };
    expect(page.total).toBe(300);
    expect(page.items).toHaveLength(5);
    const shown = await cli('devices', 'show', page.items[0]!.id, '--json');
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.out)).toMatchObject({ id: page.items[0]!.id });
    const missing = await cli('devices', 'show', 'dev_00000000000000000000000000');
    expect(missing.code).toBe(2);
  });

  it('imports a CSV, exits 1 when some rows are rejected, and re-import changes nothing', async () => {
    const csv = join(dir, 'assets.csv');
    writeFileSync(
      csv,
      [
        'name,category,manufacturer,model,serial_number,mac,criticality',
        'Pump 1,infusion-pump,BD,Alaris 8015,SN-1,00:11:22:33:44:01,life-sustaining',
        'Monitor 2,patient-monitor,Philips,IntelliVue MX800,SN-2,00:11:22:33:44:02,life-supporting',
        'Bad 3,infusion-pump,BD,Alaris 8015,SN-3,not-a-mac,life-sustaining',
      ].join('\n'),
    );
    const first = await cli('devices', 'import', csv, '--json');
    expect(first.code).toBe(1);
    const report = JSON.parse(first.out) as { imported: number; rejected: Array<{ row: number; column?: string }> };
    expect(report.imported).toBe(2);
    // rows are numbered as a spreadsheet shows them: the header is row 1
    expect(report.rejected[0]).toMatchObject({ row: 4, line: 4, column: 'mac' });
    const again = await cli('devices', 'import', csv, '--json');
    const second = JSON.parse(again.out) as { created: number; updated: number; unchanged: number };
    expect(second.created).toBe(0);
    expect(second.updated).toBe(0);
    expect(second.unchanged).toBe(2);
  });

  it('adds and lists users, creates and revokes a token, and verifies the audit log', async () => {
    const added = await cli('users', 'add', 'alice', '--role', 'security_analyst');
    expect(added.code).toBe(0);
    const users = await cli('users', 'list', '--json');
    expect(users.code).toBe(0);
    expect(JSON.stringify(JSON.parse(users.out))).toContain('alice');
    const created = await cli('tokens', 'create', '--name', 'siem', '--scopes', 'alerts:read', '--expires', '30d', '--machine', '--json');
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/cg_/);
    const tokens = await cli('tokens', 'list', '--json');
    const listed = JSON.parse(tokens.out) as Array<{ id: string }> | { items: Array<{ id: string }> };
    const items = Array.isArray(listed) ? listed : listed.items;
    expect(items.length).toBe(1);
    expect((await cli('tokens', 'revoke', items[0]!.id)).code).toBe(0);
    const verify = await cli('audit', 'verify', '--json');
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.out)).toMatchObject({ ok: true });
  });
});
