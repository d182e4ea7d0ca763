/**
 * The server follows CAREGUARD_NETMON_CAPTURE_DIR itself (startServer, real SQLite file): the
 * complete files of a rotating directory become captures listed by the API while the newest waits,
 * GET /api/v1/netmon/capture-watch reports them (netmon:read; 401 without credentials, 403 without
 * the permission), a restart on the same directory and database skips them, a server without the
 * setting answers { enabled: false }, and a setting naming a missing directory stops the start.
 */
import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Permission } from '../../src/auth/index.js';
import { systemActor } from '../../src/core/index.js';
import { startServer, type RunningServer } from '../../src/main/server.js';
import { syntheticRecords, tempDir, waitFor, writeCapture } from '../netmon/follow/support.js';

const records = syntheticRecords(1500);
const parts = [records.slice(0, 500), records.slice(500, 1000), records.slice(1000)] as const;

type WatchStatus = { enabled: boolean; state?: string; filesIngested?: number; filesSkipped?: number; lastFile?: { path: string; outcome: string; captureId?: string } };

describe('server capture directory watch', () => {
  let root: string;
  const servers: RunningServer[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.close();
    rmSync(root, { recursive: true, force: true });
  });

  const env = (captureDir?: string): NodeJS.ProcessEnv => ({
    CAREGUARD_DATA_DIR: path.join(root, 'data'),
    CAREGUARD_LOG_LEVEL: 'silent',
    CAREGUARD_NETMON_CAPTURE_POLL_MS: '50',
    ...(captureDir ? { CAREGUARD_NETMON_CAPTURE_DIR: captureDir } : {}),
  });
  const start = async (captureDir?: string) => {
    const s = await startServer({ port: 0, demoDevices: false }, env(captureDir));
    servers.push(s);
    return s;
  };
  const token = async (s: RunningServer, scopes: Permission[]) => (await s.container.tokens.create(systemActor('test'), { kind: 'machine' }, { name: `t-${scopes.join('-')}`, scopes, expiresInDays: 1 })).secret;
  const get = (s: RunningServer, url: string, secret?: string) => s.app.inject({ method: 'GET', url, ...(secret ? { headers: { authorization: `Bearer ${secret}` } } : {}) });
  const status = async (s: RunningServer, secret: string): Promise<WatchStatus> => {
    const res = await get(s, '/api/v1/netmon/capture-watch', secret);
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  it('ingests the complete files of the directory, lists them as captures, reports them, and skips them after a restart', async () => {
    root = tempDir('careguard-watch-server-');
    const captures = path.join(root, 'captures');
    mkdirSync(captures);
    const [a, b, c] = ['cap.pcap', 'cap.pcap2', 'cap.pcap3'].map((n) => path.join(captures, n)) as [string, string, string];
    writeCapture(a, parts[0]);
    writeCapture(b, parts[1]);
    writeCapture(c, parts[2]);

    const first = await start(captures);
    const reader = await token(first, ['netmon:read']);
    await waitFor(async () => (await status(first, reader)).filesIngested === 2, 'the two complete files', 20_000);
    await sleep(200); // the newest file is still being written as far as the server knows
    const listed = (await get(first, '/api/v1/netmon/captures', reader)).json() as { items: Array<{ id: string; name: string; packets: number; kind: string }> };
    expect(listed.items.map((x) => [x.name, x.packets, x.kind])).toEqual([
      [b, 500, 'capture'],
      [a, 500, 'capture'],
    ]);
    const s1 = await status(first, reader);
    expect(s1).toMatchObject({ enabled: true, directory: captures, state: 'watching', filesIngested: 2, filesSkipped: 0, filesFailed: 0, packetsIngested: 1000, lastFile: { path: b, outcome: 'ingested', captureId: listed.items[0]!.id } });

    const anonymous = await get(first, '/api/v1/netmon/capture-watch');
    expect(anonymous.statusCode).toBe(401);
    const deviceReader = await token(first, ['devices:read']);
    const forbidden = await get(first, '/api/v1/netmon/capture-watch', deviceReader);
    expect(forbidden.statusCode).toBe(403);

    await first.close();
    servers.splice(servers.indexOf(first), 1);

    const second = await start(captures);
    const reader2 = await token(second, ['netmon:read']);
    await waitFor(async () => (await status(second, reader2)).filesSkipped === 2, 'the restarted server to pass over both files', 20_000);
    expect(await status(second, reader2)).toMatchObject({ filesIngested: 0, filesSkipped: 2, lastFile: { path: b, outcome: 'skipped', captureId: listed.items[0]!.id } });
    expect(((await get(second, '/api/v1/netmon/captures', reader2)).json() as { items: unknown[] }).items).toHaveLength(2);
  });

  it('answers { enabled: false } when no capture directory is configured', async () => {
    root = tempDir('careguard-watch-server-');
    const s = await start();
    expect(await status(s, await token(s, ['netmon:read']))).toEqual({ enabled: false });
  });

  it('refuses to start when CAREGUARD_NETMON_CAPTURE_DIR names a directory that does not exist', async () => {
    root = tempDir('careguard-watch-server-');
    const missing = path.join(root, 'not-mounted');
    await expect(start(missing)).rejects.toMatchObject({ code: 'config.invalid', message: expect.stringContaining(`CAREGUARD_NETMON_CAPTURE_DIR names ${missing}, which does not exist`) });
  });
});
