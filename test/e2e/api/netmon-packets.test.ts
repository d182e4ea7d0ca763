/**
 * The packets of a capture over the API (real app, SQLite): a capture file ingested through the
 * service, its frames and a flow fetched as a pcap attachment by callers holding netmon:packets (a
 * session and a scoped token), byte for byte the source's packets; refused without the permission,
 * for a capture with no file (an upload), and once the file has been rewritten; every extraction
 * audited; bad queries answered with problem details.
 */
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../../src/core/index.js';
import { fileSource } from '../../../src/netmon/capture/index.js';
import { tcpFrame, udpFrame } from '../../../src/netmon/capture/testing/frames.js';
import { writePcap } from '../../../src/netmon/capture/testing/pcap-writer.js';
import { packetsFrom, packetsOf, T0, tempDir, unnumbered } from '../../../src/netmon/extract/testing/support.js';
import { fileIdentity } from '../../../src/netmon/follow/ingest-directory.js';
import { buildFullTestApp, seedRoleUsers, signIn, type Session, type TestApp } from './harness.js';

const dir = tempDir('cg-api-packets-');
const records = Array.from({ length: 12 }, (_, i) => ({
  ts: T0 + i * 1000,
  data: i % 2 === 0 ? tcpFrame('10.0.0.5', '10.0.0.9', { sport: 40000, dport: 2575, seq: i, flags: 0x18, payload: Uint8Array.of(0x0b, i) }) : udpFrame('10.0.0.7', '10.0.0.53', 5353, 53, Uint8Array.of(i)),
}));
const capture = path.join(dir, 'ring-0042.pcap');
writeFileSync(capture, writePcap(records));

describe('netmon packets API', () => {
  let t: TestApp;
  let analyst: Session;
  let auditor: Session;
  let viewer: Session;
  let biomed: Session;
  let captureId = '';
  let packetsToken = '';
  let readToken = '';

  beforeAll(async () => {
    t = await buildFullTestApp();
    await seedRoleUsers(t);
    analyst = await signIn(t.app, 'security_analyst');
    auditor = await signIn(t.app, 'auditor');
    viewer = await signIn(t.app, 'clinician_viewer');
    biomed = await signIn(t.app, 'biomed_engineer');
    const admin = systemActor('test');
    packetsToken = (await t.services.tokens.create(admin, { kind: 'machine' }, { name: 'soar', scopes: ['netmon:packets'], expiresInDays: 1 })).secret;
    readToken = (await t.services.tokens.create(admin, { kind: 'machine' }, { name: 'siem', scopes: ['netmon:read'], expiresInDays: 1 })).secret;
    const r = await t.container.netmon.ingest(capture, { kind: 'capture', name: capture, source: await fileIdentity(capture) }, admin);
    captureId = r.captureId;
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url, headers });
  const packetsUrl = (query: string, id = captureId) => `/api/v1/netmon/captures/${id}/packets?${query}`;
  const sourceFrames = async (frames: number[]) => unnumbered((await packetsFrom(fileSource(capture))).filter((p) => frames.includes(p.frame)));

  it('answers the frames asked for as a pcap attachment, the source packets byte for byte', async () => {
    const res = await get(packetsUrl('frames=2,4-5'), analyst.headers);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.tcpdump.pcap');
    expect(res.headers['content-disposition']).toBe('attachment; filename="ring-0042-frames.pcap"');
    expect(res.headers['x-careguard-packets']).toBe('3');
    expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
    expect(unnumbered(await packetsOf(new Uint8Array(res.rawPayload)))).toEqual(await sourceFrames([2, 4, 5]));
  });

  it('answers a flow named with its endpoints in the other order, to a token holding netmon:packets', async () => {
    const res = await get(packetsUrl(`flow=${encodeURIComponent('tcp 10.0.0.9:2575 10.0.0.5:40000')}`), { authorization: `Bearer ${packetsToken}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-disposition']).toBe('attachment; filename="ring-0042-flow.pcap"');
    expect(unnumbered(await packetsOf(new Uint8Array(res.rawPayload)))).toEqual(await sourceFrames([1, 3, 5, 7, 9, 11]));
  });

  it('names the frames asked for that the capture does not hold', async () => {
    const res = await get(packetsUrl('frames=12-20'), analyst.headers);
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-careguard-frames-not-found']).toBe('13-20');
    const none = await get(packetsUrl('frames=13-20'), analyst.headers);
    expect(none.statusCode).toBe(404);
    expect(none.json().code).toBe('netmon.packets_not_found');
  });

  it('refuses callers without netmon:packets with 403, whatever they may read', async () => {
    for (const headers of [auditor.headers, viewer.headers, biomed.headers, { authorization: `Bearer ${readToken}` }]) {
      const res = await get(packetsUrl('frames=1'), headers);
      expect(res.statusCode).toBe(403);
      expect(res.json().detail).toContain('netmon:packets');
    }
    expect((await get(packetsUrl('frames=1'), {})).statusCode).toBe(401);
  });

  it('has no HEAD route, which would read the capture and audit an extraction for nothing sent', async () => {
    const res = await t.app.inject({ method: 'HEAD', url: packetsUrl('frames=1'), headers: analyst.headers });
    expect(res.statusCode).toBe(404);
  });

  it('records who extracted what in the audit log', async () => {
    await get(packetsUrl('frames=6'), analyst.headers);
    const page = await t.container.audit.list({ action: 'capture.packets_extract', targetId: captureId, order: 'desc', limit: 10 });
    expect(page.items[0]).toMatchObject({
      actor: { name: 'security_analyst' },
      targetType: 'capture',
      targetId: captureId,
      details: { selection: { frames: '6' }, packets: 1, format: 'pcap' },
    });
    // every extraction so far: frames, the flow, the partial frames and this one; refusals are not extractions
    expect(page.items.map((e) => e.details?.selection)).toEqual([{ frames: '6' }, { frames: '12-20' }, { flow: 'tcp 10.0.0.9:2575 10.0.0.5:40000' }, { frames: '2,4-5' }]);
  });

  it.each([
    ['frames=abc', 'request.invalid'],
    [`frames=${Array.from({ length: 1001 }, (_, i) => i * 2 + 1).join(',')}`, 'request.invalid'],
    ['flow=tcp%2010.0.0.5', 'request.invalid'],
    ['', 'netmon.invalid_selection'],
    ['frames=0', 'netmon.invalid_frames'],
    ['frames=1&from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', 'netmon.invalid_time'],
    ['frames=1&path=/etc/passwd', 'request.invalid'],
  ])('answers 400 %s with %s', async (query, code) => {
    const res = await get(packetsUrl(query), analyst.headers);
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe(code);
  });

  it('answers 404 for an unknown capture and 409 netmon.capture_no_file for an uploaded one', async () => {
    expect((await get(packetsUrl('frames=1', 'cap_00000000000000000000000000'), analyst.headers)).json().code).toBe('capture.not_found');
    const up = await t.app.inject({ method: 'POST', url: '/api/v1/netmon/captures?name=upload.pcap', headers: { ...analyst.headers, 'content-type': 'application/vnd.tcpdump.pcap' }, payload: Buffer.from(writePcap(records)) });
    expect(up.statusCode).toBe(201);
    const res = await get(packetsUrl('frames=1', up.json().captureId), analyst.headers);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('netmon.capture_no_file');
  });

  it('answers 410 netmon.capture_file_changed once the ring buffer has written to the file', async () => {
    appendFileSync(capture, writePcap(records.slice(0, 1)).subarray(24));
    const res = await get(packetsUrl('frames=1'), analyst.headers);
    expect(res.statusCode).toBe(410);
    expect(res.json()).toMatchObject({ code: 'netmon.capture_file_changed', detail: expect.stringContaining(capture) });
  });
});
