import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Command } from 'commander';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditService } from '../../audit/index.js';
import { auditServiceFor, sampleEvent } from '../../audit/testing.js';
import { verifyInclusion } from '../../audit/merkle.js';
import type { DatabaseHandle } from '../../storage/index.js';
import { openTestDatabase } from '../../storage/testing/engines.js';
import { EXIT, type CliIO } from '../context.js';
import { registerAuditCommand } from './audit.js';

interface Run {
  code: number;
  out: string;
}

describe('careguard audit', () => {
  let h: DatabaseHandle;
  let audit: AuditService;
  let dir: string;

  beforeEach(async () => {
    h = await openTestDatabase('sqlite');
    audit = auditServiceFor(h, { treeHeadInterval: 8 });
    for (let i = 0; i < 20; i++) await audit.record(sampleEvent(i));
    dir = mkdtempSync(join(tmpdir(), 'cg-cli-audit-'));
  });
  afterEach(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(...args: string[]): Promise<Run> {
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    const io: CliIO = { stdout, stderr: new PassThrough(), isTTY: false };
    const program = new Command('careguard').exitOverride();
    // the database outlives each command here; the real container closes its own
    registerAuditCommand(program, { io, open: async () => ({ audit, close: async () => undefined }) });
    process.exitCode = undefined;
    await program.parseAsync(['node', 'careguard', ...args]);
    const code = typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
    process.exitCode = undefined;
    return { code, out };
  }

  it('verify exits 0 on an intact log and reports what it checked', async () => {
    const r = await run('audit', 'verify');
    expect(r.code).toBe(EXIT.ok);
    expect(r.out).toContain('audit log intact: 20 entries, 2 signed tree heads checked');
  });

  it('verify exits 1 naming the first bad index when an entry was edited in the database', async () => {
    await sql.raw('DROP TRIGGER audit_entries_no_update').execute(h.db);
    await sql`update audit_entries set entry_json = replace(entry_json, 'target-6', 'target-x') where seq = 6`.execute(h.db);
    const text = await run('audit', 'verify');
    expect(text.code).toBe(EXIT.findings);
    expect(text.out).toContain('TAMPERING DETECTED at entry 6 [content_mismatch]');
    const json = await run('audit', 'verify', '--json');
    expect(json.code).toBe(EXIT.findings);
    expect(JSON.parse(json.out)).toMatchObject({ ok: false, firstBadIndex: 6, problem: 'content_mismatch' });
  });

  it('verify checks a tree head kept in a file and catches truncation it reveals', async () => {
    const saved = await run('audit', 'tree-head', '--fresh', '--json');
    const file = join(dir, 'sth.json');
    writeFileSync(file, saved.out);
    for (const t of ['audit_entries_no_delete', 'audit_tree_heads_no_delete']) await sql.raw(`DROP TRIGGER ${t}`).execute(h.db);
    await sql`delete from audit_tree_heads`.execute(h.db);
    await sql`delete from audit_entries where seq >= 17`.execute(h.db);
    expect((await run('audit', 'verify')).code).toBe(EXIT.ok);
    const r = await run('audit', 'verify', '--tree-head', file);
    expect(r.code).toBe(EXIT.findings);
    expect(r.out).toContain('at entry 17 [truncated]');
  });

  it('rejects a tree head file that is not one, naming the field', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ treeSize: '20' }));
    await expect(run('audit', 'verify', '--tree-head', file)).rejects.toMatchObject({ code: 'cli.invalid_tree_head', location: { file, pointer: '/treeSize' } });
  });

  it('prints an inclusion proof as JSON that verifies, and as text', async () => {
    const r = await run('audit', 'proof', '--seq', '5', '--json');
    const p = JSON.parse(r.out) as { leafHash: string; treeSize: number; auditPath: string[]; rootHash: string; treeHead: { rootHash: string } };
    expect(p.treeSize).toBe(16);
    expect(p.treeHead.rootHash).toBe(p.rootHash);
    const hex = (s: string) => Buffer.from(s, 'hex');
    expect(verifyInclusion(hex(p.leafHash), 5, 16, p.auditPath.map(hex), hex(p.rootHash))).toBe(true);
    const text = await run('audit', 'proof', '--seq', '5', '--tree-size', '20');
    expect(text.out).toContain('inclusion proof of entry 5 in tree size 20');
  });

  it('prints a consistency proof between two sizes', async () => {
    const r = await run('audit', 'proof', '--consistency', '8', '16', '--json');
    expect(JSON.parse(r.out)).toMatchObject({ firstSize: 8, secondSize: 16 });
    const text = await run('audit', 'proof', '--consistency', '3');
    expect(text.out).toContain('consistency proof from tree size 3 to 16');
  });

  it('refuses ambiguous or malformed proof options', async () => {
    await expect(run('audit', 'proof')).rejects.toThrow(/exactly one of --seq N or --consistency/);
    await expect(run('audit', 'proof', '--seq', 'x')).rejects.toThrow(/--seq must be a non-negative integer, got "x"/);
    await expect(run('audit', 'proof', '--consistency', '1', '2', '3')).rejects.toThrow(/one or two tree sizes/);
    await expect(run('audit', 'proof', '--seq', '25')).rejects.toMatchObject({ code: 'audit.entry.not_found' });
  });

  it('prints the signed tree head with the public key', async () => {
    const r = await run('audit', 'tree-head');
    expect(r.out).toMatch(/tree size: 16\nroot hash: [0-9a-f]{64}/);
    expect(r.out).toContain('BEGIN PUBLIC KEY');
  });
});
