/**
 * The server's capture-directory watch (startCaptureWatch) over a real SQLite database: each complete
 * file of a rotating directory becomes its own capture and is logged, a damaged file is counted and
 * named while the watch goes on, a new watch skips what is ingested, close() lets the file in
 * progress finish (and gives up waiting after its bound), and a failure of the database is logged,
 * shown in the status and retried with a bounded backoff until it clears.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, systemClock, type Logger } from '../../src/core/index.js';
import { startCaptureWatch, type CaptureWatchOptions, type RunningCaptureWatch } from '../../src/netmon/capture-watch-service.js';
import type { DirectoryIngestTarget } from '../../src/netmon/follow/ingest-directory.js';
import type { DatabaseHandle } from '../../src/storage/database.js';
import { openTestDatabase } from '../../src/storage/testing/engines.js';
import { netmonStack, syntheticRecords, tempDir, waitFor, writeCapture, type NetmonStack } from '../netmon/follow/support.js';

const records = syntheticRecords(1500);
const parts = [records.slice(0, 500), records.slice(500, 1000), records.slice(1000)] as const;

type LogLine = { level: number; msg: string; file?: string; code?: string; err?: unknown; captureId?: string; packets?: number; devices?: number; alerts?: number; retryInMs?: number; filesWaiting?: number };

/** A real pino logger whose lines the test can read. */
function capturingLogger(): { logger: Logger; lines: () => LogLine[] } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  return {
    logger: createLogger({ level: 'debug', destination: sink }),
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as LogLine),
  };
}

describe('capture directory watch', () => {
  let h: DatabaseHandle;
  let stack: NetmonStack;
  let dir: string;
  let watch: RunningCaptureWatch | undefined;
  const files = () => ['cap.pcap', 'cap.pcap2', 'cap.pcap3'].map((n) => path.join(dir, n)) as [string, string, string];
  const start = (target: DirectoryIngestTarget, logger?: Logger, opts: Partial<CaptureWatchOptions> = {}) => {
    watch = startCaptureWatch(target, { directory: dir, pollMs: 10, ...opts }, systemClock, logger);
    return watch;
  };

  beforeEach(async () => {
    h = await openTestDatabase('sqlite');
    stack = netmonStack(h);
    dir = tempDir('careguard-capture-watch-');
  });
  afterEach(async () => {
    await watch?.close();
    watch = undefined;
    rmSync(dir, { recursive: true, force: true });
    await h.close();
  });

  it('ingests each complete file as its own capture with an info line, the newest waiting, and a new watch skips both', async () => {
    const [a, b, c] = files();
    writeCapture(a, parts[0]);
    writeCapture(b, parts[1]);
    writeCapture(c, parts[2]);
    const log = capturingLogger();
    const w = start(stack.netmon, log.logger);
    await waitFor(() => w.status().filesIngested === 2, 'the two complete files');
    await sleep(100);
    const captures = await stack.netmon.captures(10);
    expect(captures.map((x) => [x.name, x.packets])).toEqual([
      [b, 500],
      [a, 500],
    ]);
    const s = w.status();
    expect(s).toMatchObject({ enabled: true, directory: dir, state: 'watching', filesIngested: 2, filesSkipped: 0, filesFailed: 0, packetsIngested: 1000, lastFile: { path: b, outcome: 'ingested', captureId: captures[0]!.id } });
    expect(s.lastError).toBeUndefined();
    const ingested = log.lines().filter((l) => l.msg === 'capture file ingested');
    expect(ingested.map((l) => [l.level, l.file, l.packets, l.captureId])).toEqual([
      [30, a, 500, captures[1]!.id],
      [30, b, 500, captures[0]!.id],
    ]);
    expect(ingested[0]!.devices).toBeGreaterThan(0);
    expect(typeof ingested[0]!.alerts).toBe('number');
    await w.close();
    expect(w.status().state).toBe('stopped');

    const again = start(stack.netmon);
    await waitFor(() => again.status().filesSkipped === 2, 'the new watch to pass over both files');
    expect(again.status()).toMatchObject({ filesIngested: 0, filesSkipped: 2, lastFile: { path: b, outcome: 'skipped', captureId: captures[0]!.id } });
    expect(await stack.netmon.captures(10)).toHaveLength(2);
  });

  it('warns once in the log when complete files pile up, and says when the backlog is cleared', async () => {
    const names = ['cap.pcap', 'cap.pcap2', 'cap.pcap3', 'cap.pcap4'].map((n) => path.join(dir, n));
    names.forEach((p, i) => writeCapture(p, records.slice(i * 300, i * 300 + 300)));
    const log = capturingLogger();
    const w = start(stack.netmon, log.logger);
    await waitFor(() => w.status().filesIngested === 3, 'the three complete files');
    await waitFor(() => log.lines().some((l) => l.msg === 'capture backlog cleared'), 'the backlog to clear');
    const piled = log.lines().filter((l) => l.msg.startsWith('capture files pile up'));
    expect(piled.map((l) => [l.level, l.filesWaiting])).toEqual([[40, 3]]);
    expect(w.status().filesWaiting).toBe(0);
  });

  it('counts a damaged file as failed, names it in the last error and a warning, and goes on with the next file', async () => {
    const [junk, b, c] = files();
    writeFileSync(junk, 'not a capture at all');
    writeCapture(b, parts[0]);
    writeCapture(c, parts[1]);
    const log = capturingLogger();
    const w = start(stack.netmon, log.logger);
    await waitFor(() => w.status().filesIngested === 1, 'the good file after the damaged one');
    const s = w.status();
    expect(s).toMatchObject({ state: 'watching', filesFailed: 1, filesIngested: 1, lastFile: { path: b, outcome: 'ingested' }, lastError: { code: 'netmon.unreadable_capture', file: junk } });
    expect(s.lastError!.message).toContain(junk);
    const warning = log.lines().find((l) => l.msg.startsWith('capture file not ingested'));
    expect(warning).toMatchObject({ level: 40, file: junk, code: 'netmon.unreadable_capture' });
    expect((await stack.netmon.captures(10)).map((x) => x.name)).toEqual([b]);
  });

  it('close() during an ingest lets that file finish, records it, and stops', async () => {
    const [a, b] = files();
    writeCapture(a, parts[0]);
    writeCapture(b, parts[1]);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let began!: () => void;
    const ingestBegan = new Promise<void>((r) => (began = r));
    // The real service, held at the start of the ingest so the stop request lands mid-file.
    const held: DirectoryIngestTarget = {
      ingestedFile: (source) => stack.netmon.ingestedFile(source),
      ingest: async (source, options, actor) => {
        began();
        await gate;
        return stack.netmon.ingest(source, options, actor);
      },
    };
    const w = start(held);
    await ingestBegan;
    // a is complete (b is newer) and not ingested yet: one file waits
    expect(w.status()).toMatchObject({ state: 'ingesting', currentFile: { path: a }, filesWaiting: 1 });
    let closed = false;
    const closing = w.close().then(() => (closed = true));
    await sleep(100);
    expect(closed).toBe(false);
    release();
    await closing;
    const s = w.status();
    expect(s).toMatchObject({ state: 'stopped', filesIngested: 1, filesWaiting: 0, lastFile: { path: a, outcome: 'ingested' } });
    expect(s.currentFile).toBeUndefined();
    expect((await stack.netmon.captures(10)).map((x) => [x.name, x.packets])).toEqual([[a, 500]]);
  });

  it('close() gives up waiting after its bound, with a warning naming the file still in progress', async () => {
    const [a, b] = files();
    writeCapture(a, parts[0]);
    writeCapture(b, parts[1]);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const stuck: DirectoryIngestTarget = {
      ingestedFile: (source) => stack.netmon.ingestedFile(source),
      ingest: async (source, options, actor) => {
        await gate;
        return stack.netmon.ingest(source, options, actor);
      },
    };
    const log = capturingLogger();
    const w = start(stuck, log.logger, { closeTimeoutMs: 100 });
    await waitFor(() => w.status().state === 'ingesting', 'the ingest to begin');
    const t0 = Date.now();
    await w.close();
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(log.lines().find((l) => l.msg.includes('still busy at shutdown'))).toMatchObject({ level: 40, file: a });
    release();
    await waitFor(() => w.status().state === 'stopped', 'the held ingest to end');
  });

  it('logs a failure of the database at error, shows it in the status and retries with a doubling, bounded backoff until it clears', async () => {
    const [a, b] = files();
    writeCapture(a, parts[0]);
    writeCapture(b, parts[1]);
    const attempts: number[] = [];
    // The database refuses the first three lookups (as a locked or restarting database does), then answers.
    const flaky: DirectoryIngestTarget = {
      ingestedFile: async (source) => {
        attempts.push(Date.now());
        if (attempts.length <= 3) throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
        return stack.netmon.ingestedFile(source);
      },
      ingest: (source, options, actor) => stack.netmon.ingest(source, options, actor),
    };
    const log = capturingLogger();
    const w = start(flaky, log.logger, { retryMs: 80, retryMaxMs: 150 });
    await waitFor(() => w.status().state === 'error', 'the first failure');
    const failing = w.status();
    expect(failing).toMatchObject({ state: 'error', lastError: { code: 'SQLITE_BUSY', message: 'database is locked' } });
    expect(failing.lastError!.file).toBeUndefined();
    expect(Date.parse(failing.retryAt!)).toBeGreaterThan(Date.parse(failing.lastError!.at));
    await waitFor(() => w.status().filesIngested === 1, 'the file once the database answers');
    expect(w.status()).toMatchObject({ state: 'watching', lastFile: { path: a, outcome: 'ingested' } });
    // 80 ms, then 150 (160 capped), then 150 again: no hot loop.
    const gaps = attempts.slice(1, 4).map((t, i) => t - attempts[i]!);
    expect(gaps[0]).toBeGreaterThanOrEqual(75);
    expect(gaps[1]).toBeGreaterThanOrEqual(145);
    expect(gaps[2]).toBeGreaterThanOrEqual(145);
    const errors = log.lines().filter((l) => l.level === 50);
    expect(errors.map((l) => l.retryInMs)).toEqual([80, 150, 150]);
    expect(errors[0]!.msg).toContain('capture directory watch failed');
  });

  it('counts each file once across a new run after a failure: one ingested earlier is not met again, one that failed is tried again', async () => {
    const [a, junk, b, c] = ['cap.pcap', 'cap.pcap2', 'cap.pcap3', 'cap.pcap4'].map((n) => path.join(dir, n)) as [string, string, string, string];
    writeCapture(a, parts[0]);
    writeFileSync(junk, 'not a capture at all');
    writeCapture(b, parts[1]);
    writeCapture(c, parts[2]);
    const lookups: string[] = [];
    const ingests: string[] = [];
    // The database refuses the first lookup of b, after a went in and junk failed: the run ends there.
    const flaky: DirectoryIngestTarget = {
      ingestedFile: async (source) => {
        lookups.push(source.path);
        if (source.path === b && lookups.filter((p) => p === b).length === 1) throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
        return stack.netmon.ingestedFile(source);
      },
      ingest: (source, options, actor) => {
        ingests.push(source);
        return stack.netmon.ingest(source, options, actor);
      },
    };
    const log = capturingLogger();
    const w = start(flaky, log.logger, { retryMs: 20, retryMaxMs: 20 });
    await waitFor(() => w.status().filesIngested === 2, 'b, in the run after the failure');
    await sleep(100);
    expect(w.status()).toMatchObject({ state: 'watching', filesIngested: 2, filesSkipped: 0, filesFailed: 2, packetsIngested: 1000, lastFile: { path: b, outcome: 'ingested' } });
    expect(lookups).toEqual([a, junk, b, junk, b]);
    expect(ingests).toEqual([a, junk, junk, b]);
    expect(log.lines().filter((l) => l.msg.includes('already ingested, skipped'))).toEqual([]);
    expect((await stack.netmon.captures(10)).map((x) => x.name)).toEqual([b, a]);
  });

  it('survives its database closing under it: error state, a bounded number of retries, and a clean stop', async () => {
    const own = await openTestDatabase('sqlite');
    const ownStack = netmonStack(own);
    const [a, b] = files();
    writeCapture(a, parts[0]);
    writeCapture(b, parts[1]);
    await own.close();
    const log = capturingLogger();
    const w = start(ownStack.netmon, log.logger, { retryMs: 100, retryMaxMs: 200 });
    await waitFor(() => w.status().state === 'error', 'the database failure to show');
    await sleep(600);
    // attempts at about 0, 100, 300 and 500 ms: not hundreds
    const errors = log.lines().filter((l) => l.level === 50).length;
    expect(errors).toBeGreaterThanOrEqual(2);
    expect(errors).toBeLessThanOrEqual(5);
    // between retries it is in error; a retry in progress at this moment (a loaded machine) shows as watching
    await waitFor(() => w.status().state === 'error', 'the error state between retries');
    expect(w.status()).toMatchObject({ state: 'error', filesIngested: 0, lastError: { code: 'netmon.capture_watch_failed', message: expect.stringMatching(/destroyed/) } });
    await w.close();
    expect(w.status().state).toBe('stopped');
    expect(w.status().retryAt).toBeUndefined();
  });

  it('is in the error state, retrying, while its directory is gone, and ingests once it is back', async () => {
    const gone = path.join(dir, 'not-yet');
    watch = startCaptureWatch(stack.netmon, { directory: gone, pollMs: 10, retryMs: 50, retryMaxMs: 50 }, systemClock);
    await waitFor(() => watch!.status().state === 'error', 'the missing directory to show');
    expect(watch.status().lastError).toMatchObject({ code: 'netmon.capture_not_found', message: expect.stringContaining(gone) });
    mkdirSync(gone);
    writeCapture(path.join(gone, 'cap.pcap'), parts[0]);
    writeCapture(path.join(gone, 'cap.pcap2'), parts[1]);
    await waitFor(() => watch!.status().filesIngested === 1, 'the first file once the directory exists');
    expect(watch.status().state).not.toBe('error');
  });
});
