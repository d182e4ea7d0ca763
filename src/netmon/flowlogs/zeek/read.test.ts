import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { detectFlowLogBytes, detectFlowLogText, sniffFlowLogFile } from '../detect.js';
import { FlowLogError } from '../errors.js';
import type { FlowLogRecord } from '../model.js';
import { ZEEK_JSON_LINES, zeekTsvLog } from '../testing/zeek-samples.js';
import { ZeekConnLogParser } from './parser.js';
import { readZeekConnLog } from './read.js';

const dir = mkdtempSync(path.join(tmpdir(), 'careguard-zeek-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, data: string | Uint8Array) => {
  const p = path.join(dir, name);
  writeFileSync(p, data);
  return p;
};

async function read(source: Parameters<typeof readZeekConnLog>[0]) {
  const records: FlowLogRecord[] = [];
  const errors: FlowLogError[] = [];
  const stats = await readZeekConnLog(source, { onRecord: (r) => records.push(r), onError: (e) => errors.push(e) });
  return { records, errors, stats };
}

describe('reading Zeek conn.log files', () => {
  it('reads a plain file and names it in record locations', async () => {
    const file = write('conn.log', zeekTsvLog());
    const { records, stats } = await read(file);
    expect(records).toHaveLength(6);
    expect(records[0]?.location).toEqual({ file, line: 9 });
    expect(stats).toMatchObject({ name: file, gzip: false, records: 6, bytes: Buffer.byteLength(zeekTsvLog()) });
  });

  it('gunzips a .gz file, and gzip bytes from a stream by their magic', async () => {
    const gz = gzipSync(Buffer.from(ZEEK_JSON_LINES.join('\n')));
    const viaFile = await read(write('conn.00:00:00-01:00:00.log.gz', gz));
    expect(viaFile.records).toHaveLength(3);
    expect(viaFile.stats).toMatchObject({ gzip: true, bytes: gz.length });
    const viaStream = await read({ bytes: Readable.from([gz.subarray(0, 10), gz.subarray(10)]), name: 'stdin' });
    expect(viaStream.records.map((r) => r.location)).toEqual([1, 2, 3].map((line) => ({ file: 'stdin', line })));
  });

  it('fails with a typed error naming the file and line when the gzip stream is corrupt', async () => {
    const gz = gzipSync(Buffer.from(zeekTsvLog()));
    const file = write('broken.log.gz', gz.subarray(0, gz.length - 30));
    const err = await read(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlowLogError);
    expect(err).toMatchObject({ code: 'zeek.read-failed', location: { file } });
  });

  it('rejects a missing file with a not-found error', async () => {
    await expect(read(path.join(dir, 'nope.log'))).rejects.toMatchObject({ code: 'netmon.flowlog_not_found', status: 404 });
  });
});

describe('flow log format detection', () => {
  it('recognises Zeek TSV and JSON, compressed or not, and nothing else', async () => {
    expect(detectFlowLogText(zeekTsvLog())).toBe('zeek-tsv');
    expect(detectFlowLogText(`\n${ZEEK_JSON_LINES[0]}`)).toBe('zeek-json');
    expect(detectFlowLogText('{"name":"not zeek"}')).toBeUndefined();
    expect(detectFlowLogBytes(gzipSync(Buffer.from(zeekTsvLog())).subarray(0, 400))).toBe('zeek-tsv');
    expect(await sniffFlowLogFile(write('c.log.gz', gzipSync(Buffer.from(ZEEK_JSON_LINES.join('\n')))))).toBe('zeek-json');
    expect(await sniffFlowLogFile(write('x.pcap', Uint8Array.of(0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0)))).toBeUndefined();
    expect(await sniffFlowLogFile(path.join(dir, 'missing'))).toBeUndefined();
  });
});

describe('Zeek parser under hostile input', () => {
  const line = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.constantFrom(...zeekTsvLog().split('\n'), ...ZEEK_JSON_LINES),
    fc.constantFrom(...zeekTsvLog().split('\n')).chain((l) => fc.tuple(fc.nat({ max: l.length }), fc.string({ maxLength: 8 })).map(([at, s]) => l.slice(0, at) + s + l.slice(at + 1))),
    fc.json().map((j) => j),
  );
  it('random and mutated lines yield records or typed errors, never anything else', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), fc.integer({ min: 1, max: 64 }), (lines, chunk) => {
        const bytes = new TextEncoder().encode(lines.join('\n'));
        let errors = 0;
        const p = new ZeekConnLogParser({
          name: 'fuzz.log',
          maxLineBytes: 512,
          onRecord: (r) => expect(Number.isFinite(r.startMs)).toBe(true),
          onError: (e) => {
            expect(e).toBeInstanceOf(FlowLogError);
            expect(e.where.line).toBeGreaterThan(0);
            errors++;
          },
        });
        for (let i = 0; i < bytes.length; i += chunk) p.push(bytes.subarray(i, i + chunk));
        const s = p.end();
        expect(s.badLines).toBe(errors + s.errorsSuppressed);
      }),
      { numRuns: 400 },
    );
  });
});
