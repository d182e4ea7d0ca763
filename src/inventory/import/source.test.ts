/**
 * spoolToFile: an upload refused at its first chunk (over the size limit, or bytes the inspector
 * rejects) leaves no temporary folder and no stray error from the file stream. (Once, under the load
 * of a full CI run, the stream's open was still pending when the refusal removed the folder, and
 * failed later with an uncaught ENOENT; the spool now waits for the open before reading. The race
 * depends on the thread pool's order, so this test exercises the path rather than forcing it.)
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { spoolToFile } from './source.js';

const dir = mkdtempSync(path.join(tmpdir(), 'careguard-spool-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

it('refuses uploads at their first chunk, hundreds of times, without a stray stream error or a folder left behind', async () => {
  const stray: unknown[] = [];
  const onError = (e: unknown) => stray.push(e);
  process.on('uncaughtException', onError);
  try {
    for (let i = 0; i < 300; i++) {
      const tooLarge = i % 2 === 0;
      const refused = spoolToFile(once(new Uint8Array(64)), tooLarge ? 10 : 1024, dir, () => {
        throw new Error('bad bytes');
      });
      await expect(refused).rejects.toThrow(tooLarge ? /larger than the limit/ : /bad bytes/);
    }
    // give a pending open (the old race) time to fail
    await new Promise((r) => setTimeout(r, 200));
  } finally {
    process.off('uncaughtException', onError);
  }
  expect(stray).toEqual([]);
  expect(readdirSync(dir)).toEqual([]);
});

it('spools what it accepts, and the file is removed by remove()', async () => {
  const spool = await spoolToFile(once(new TextEncoder().encode('a,b\n1,2\n')), 1024, dir);
  expect(spool.size).toBe(8);
  expect(readdirSync(dir)).toHaveLength(1);
  await spool.remove();
  expect(readdirSync(dir)).toEqual([]);
});
