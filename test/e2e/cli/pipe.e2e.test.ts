/**
 * The installed entry point (bin/careguard.js, the compiled CLI) writing into a pipe whose reader stops
 * early, as `careguard netmon report big.pcap --json | head` does: it stops quietly, exit 0, instead
 * of dying on an unhandled EPIPE. Needs the build (`npm test` builds before it runs the tests).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { udpFrame } from '../../../src/netmon/capture/testing/frames.js';
import { writePcap } from '../../../src/netmon/capture/testing/pcap-writer.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const built = existsSync(join(root, 'dist', 'cli', 'main.js'));
if (!built && process.env['CI'] === 'true') throw new Error('the CLI pipe test needs the build (dist/cli/main.js) under CI=true');
if (!built) console.warn('skipping the CLI pipe test: no build (run npm run build)');

const dir = mkdtempSync(join(tmpdir(), 'careguard-pipe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!built)('careguard writing into a pipe closed early', () => {
  it('stops quietly with exit 0 when the reader goes away', async () => {
    // 3,000 hosts: a JSON report far larger than a pipe's buffer
    const records = Array.from({ length: 3000 }, (_, i) => ({
      ts: 1_700_000_000_000_000 + i * 1000,
      data: udpFrame(`10.${(i >> 8) & 255}.${i & 255}.7`, '10.250.0.1', 40000, 514, new TextEncoder().encode(`<13>host-${i}: ok`)),
    }));
    const pcap = join(dir, 'hosts.pcap');
    writeFileSync(pcap, writePcap(records));
    const child = spawn(process.execPath, [join(root, 'bin', 'careguard.js'), 'netmon', 'report', pcap, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    // read the first chunk, then close our end, as `head -c` does
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    expect(stderr).not.toContain('EPIPE');
    expect(stderr).not.toContain("Unhandled 'error' event");
    expect(code).toBe(0);
  }, 60_000);
});
