import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, expect, it } from 'vitest';
import { systemActor } from '../../../src/core/index.js';
import { writeDemoCsv } from '../../../src/inventory/demo/index.js';
import { auditServiceFor } from '../../../src/audit/testing.js';
import { allDevices, deviceSnapshot, importStack, openSqliteFile } from './stack.js';

const dir = mkdtempSync(join(tmpdir(), 'cg-import-kill-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DEVICES = 6000;
const BATCH = 500;
const child = fileURLToPath(new URL('./kill-child.ts', import.meta.url));

/** Runs the child import and SIGKILLs it once it reports `afterRows` stored rows. */
function importAndKill(db: string, csv: string, afterRows: number): Promise<{ killedAt: number; finished: boolean }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, db, csv, String(BATCH)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let killedAt = -1;
    let finished = false;
    let buffered = '';
    p.stdout.on('data', (b: Buffer) => {
      buffered += b.toString();
      for (const line of buffered.split('\n').slice(0, -1)) {
        if (line === 'done') finished = true;
        const m = /^applied (\d+)$/.exec(line);
        if (m && killedAt < 0 && Number(m[1]) >= afterRows) {
          killedAt = Number(m[1]);
          p.kill('SIGKILL');
        }
      }
      buffered = buffered.slice(buffered.lastIndexOf('\n') + 1);
    });
    p.once('error', reject);
    p.once('exit', () => resolve({ killedAt, finished }));
  });
}

it('a SIGKILL mid-import leaves whole batches in a consistent database, and a re-run completes the import', async () => {
  const csv = join(dir, 'hospital.csv');
  await writeDemoCsv(csv, { seed: 77, count: DEVICES });
  const db = join(dir, 'killed.db');
  const run = await importAndKill(db, csv, 2 * BATCH);
  expect(run.finished).toBe(false);
  expect(run.killedAt).toBeGreaterThanOrEqual(2 * BATCH);

  const handle = await openSqliteFile(db);
  try {
    const check = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(handle.db);
    expect(check.rows).toEqual([{ integrity_check: 'ok' }]);
    const stack = importStack(handle);
    const stored = (await allDevices(stack.inventory)).length;
    // one transaction per batch: a batch is stored whole or not at all
    expect(stored % BATCH).toBe(0);
    expect(stored).toBeGreaterThanOrEqual(run.killedAt);
    expect(stored).toBeLessThan(DEVICES);
    expect((await auditServiceFor(handle).verify()).ok).toBe(true);

    const rerun = await stack.imports.importFile(csv, { batchSize: BATCH }, systemActor('test'));
    expect(rerun).toMatchObject({ created: DEVICES - stored, unchanged: stored, rejectedCount: 0 });

    const reference = await openSqliteFile(join(dir, 'reference.db'));
    try {
      const ref = importStack(reference);
      await ref.imports.importFile(csv, {}, systemActor('test'));
      expect(await deviceSnapshot(stack.inventory)).toEqual(await deviceSnapshot(ref.inventory));
    } finally {
      await reference.close();
    }
  } finally {
    await handle.close();
  }
}, 120_000);
