/**
 * Passive monitoring over the API (real app, SQLite): a real capture and a Zeek conn.log uploaded
 * as the body, then captures, conversations, observations, the communication map, detections and zones read
 * back; permissions and bad requests answered with problem details.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zeekTsvLog } from '../../../src/netmon/flowlogs/testing/zeek-samples.js';
import { inCi, pcap } from '../../netmon/discovery/support.js';
import { buildFullTestApp, seedRoleUsers, signIn, type Session, type TestApp } from './harness.js';

const capture = pcap('dicom-dcmtk-loopback.pcap');
const missing = !existsSync(capture);
if (missing && inCi) throw new Error(`CI requires ${capture}`);
if (missing) console.warn(`skipping netmon API tests: ${capture} is missing`);

describe.skipIf(missing)('netmon API', () => {
  let t: TestApp;
  let analyst: Session;
  let auditor: Session;
  let viewer: Session;
  let captureId = '';

  beforeAll(async () => {
    t = await buildFullTestApp();
    await seedRoleUsers(t);
    analyst = await signIn(t.app, 'security_analyst');
    auditor = await signIn(t.app, 'auditor');
    viewer = await signIn(t.app, 'clinician_viewer');
  });
  afterAll(async () => {
    await t.close();
  });

  const get = (s: Session, url: string) => t.app.inject({ method: 'GET', url, headers: s.headers });

  it('ingests an uploaded capture (201) and lists it', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/netmon/captures?name=dcmtk.pcap', headers: { ...analyst.headers, 'content-type': 'application/vnd.tcpdump.pcap' }, payload: readFileSync(capture) });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ kind: 'capture', devices: { reported: 2 } });
    expect(body.conversations).toBeGreaterThan(0);
    captureId = body.captureId;
    const list = (await get(auditor, '/api/v1/netmon/captures')).json();
    expect(list.items[0]).toMatchObject({ id: captureId, name: 'dcmtk.pcap', kind: 'capture' });
    const one = (await get(auditor, `/api/v1/netmon/captures/${captureId}`)).json();
    expect(Array.isArray(one.summary.protocols)).toBe(true);
  });

  it('answers conversations and the map of an address with the DICOM edge', async () => {
    const conv = (await get(auditor, '/api/v1/netmon/conversations')).json();
    const dicom = conv.items.find((c: { protocol: string }) => c.protocol === 'dicom');
    expect(dicom).toBeDefined();
    const map = (await get(auditor, `/api/v1/netmon/map?ip=${encodeURIComponent(dicom.server)}`)).json();
    expect(map.focus).toEqual([dicom.server]);
    expect(map.edges.some((e: { protocols: string[] }) => e.protocols.includes('dicom'))).toBe(true);
    expect(map.nodes.find((n: { ip: string }) => n.ip === dicom.server)).toMatchObject({ focus: true });
    const both = await get(auditor, `/api/v1/netmon/map?ip=${encodeURIComponent(dicom.server)}&zone=x`);
    expect(both.statusCode).toBe(400);
    expect(both.json().code).toBe('netmon.map_focus');
  });

  type Obs = { id: string; captureId: string; ts: string; frame: number; protocol: string; kind: string; producer: string; flow?: { client: { ip: string }; server: { ip: string; port: number } }; fields: Record<string, unknown>; groupCount?: number };
  const observations = async (query: string): Promise<{ items: Obs[]; nextCursor?: string }> => {
    const res = await get(auditor, `/api/v1/netmon/observations?${query}`);
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  it('lists the observations the ingest kept, with the DICOM association evidence and group totals', async () => {
    const all = await observations(`captureId=${captureId}&limit=500`);
    expect(all.nextCursor).toBeUndefined();
    expect(all.items.length).toBeGreaterThan(0);
    expect(all.items.every((o) => o.captureId === captureId && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(o.ts))).toBe(true);
    const dicom = all.items.filter((o) => o.protocol === 'dicom');
    expect(dicom.length).toBeGreaterThan(0);
    expect(dicom[0]).toMatchObject({ producer: expect.stringMatching(/^dicom@/), flow: { server: { port: expect.any(Number) } } });
    // each observation the report counted is in exactly one group total (nothing dropped in a small capture)
    const capture = (await get(auditor, `/api/v1/netmon/captures/${captureId}`)).json();
    expect(capture.summary.observations).toMatchObject({ stored: all.items.length, dropped: 0 });
    expect(all.items.reduce((a, o) => a + (o.groupCount ?? 0), 0)).toBe(capture.summary.observations.seen);
  });

  it('filters observations by protocol, kind, address and time', async () => {
    const all = (await observations(`captureId=${captureId}&limit=500`)).items;
    const dicom = (await observations(`captureId=${captureId}&protocol=dicom&limit=500`)).items;
    expect(dicom.map((o) => o.id)).toEqual(all.filter((o) => o.protocol === 'dicom').map((o) => o.id));
    const kind = dicom[0]!.kind;
    expect((await observations(`kind=${encodeURIComponent(kind)}&limit=500`)).items.map((o) => o.id)).toEqual(all.filter((o) => o.kind === kind).map((o) => o.id));
    const server = dicom[0]!.flow!.server.ip;
    const byIp = (await observations(`ip=${encodeURIComponent(server)}&limit=500`)).items;
    expect(byIp.length).toBeGreaterThan(0);
    expect(byIp.every((o) => o.flow?.client.ip === server || o.flow?.server.ip === server)).toBe(true);
    expect((await observations('ip=192.0.2.250')).items).toEqual([]);
    expect((await observations(`captureId=${captureId}&from=2100-01-01T00:00:00Z`)).items).toEqual([]);
    // from inclusive, to exclusive, to the microsecond (ts is fixed-width, so text order is time order)
    const mid = all[Math.floor(all.length / 2)]!.ts;
    const ids = (xs: Obs[]) => xs.map((o) => o.id);
    expect(ids((await observations(`captureId=${captureId}&limit=500&from=${mid}`)).items)).toEqual(ids(all.filter((o) => o.ts >= mid)));
    expect(ids((await observations(`captureId=${captureId}&limit=500&to=${mid}`)).items)).toEqual(ids(all.filter((o) => o.ts < mid)));
    const justAfter = `${mid.slice(0, -7)}${String(Number(mid.slice(-7, -1)) + 1).padStart(6, '0')}Z`;
    expect(ids((await observations(`captureId=${captureId}&limit=500&from=${justAfter}`)).items)).toEqual(ids(all.filter((o) => o.ts > mid)));
  });

  it('pages through observations with nextCursor, each once, in time order', async () => {
    const all = (await observations(`captureId=${captureId}&limit=500`)).items;
    const paged: Obs[] = [];
    let cursor: string | undefined;
    do {
      const page = await observations(`captureId=${captureId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      paged.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged.map((o) => o.id)).toEqual(all.map((o) => o.id));
  });

  it('guards observations: 401 without a session, 403 without netmon:read, 400 naming the bad parameter', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/netmon/observations' })).statusCode).toBe(401);
    expect((await get(viewer, '/api/v1/netmon/observations')).statusCode).toBe(403);
    for (const [query, pointer] of [
      ['limit=0', '/limit'],
      ['limit=501', '/limit'],
      ['ip=not-an-address', '/ip'],
      ['from=yesterday', '/from'],
      ['captureId=..%2Fetc', '/captureId'],
      ['color=red', '/color'],
    ] as const) {
      const res = await get(auditor, `/api/v1/netmon/observations?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().errors, query).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'querystring', pointer })]));
    }
    const cursor = await get(auditor, '/api/v1/netmon/observations?cursor=bm90LWEtY3Vyc29y');
    expect(cursor.statusCode).toBe(400);
    expect(cursor.json()).toMatchObject({ code: 'netmon.invalid_cursor', location: { pointer: '/cursor' } });
  });

  it('lists netmon alerts as detections and the (empty) zone policy', async () => {
    const det = (await get(auditor, '/api/v1/netmon/detections')).json();
    expect(det.total).toBeGreaterThan(0);
    expect(det.items.every((a: { source: string }) => a.source === 'netmon')).toBe(true);
    const zones = (await get(auditor, '/api/v1/netmon/zones')).json();
    expect(zones).toMatchObject({ zones: [], conduits: [], observed: [] });
  });

  it('ingests a Zeek conn.log body as a flow log', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/netmon/captures?name=conn.log', headers: { ...analyst.headers, 'content-type': 'text/plain' }, payload: zeekTsvLog() });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'flow-log' });
    expect(res.json().conversations).toBeGreaterThan(0);
  });

  it('denies roles without netmon permissions and rejects garbage captures', async () => {
    expect((await get(viewer, '/api/v1/netmon/captures')).statusCode).toBe(403);
    const up = await t.app.inject({ method: 'POST', url: '/api/v1/netmon/captures', headers: { ...auditor.headers, 'content-type': 'application/octet-stream' }, payload: Buffer.from('x') });
    expect(up.statusCode).toBe(403);
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/netmon/captures', headers: { ...analyst.headers, 'content-type': 'application/octet-stream' }, payload: Buffer.from('this is not a capture at all') });
    expect(bad.statusCode).toBeGreaterThanOrEqual(400);
    expect(bad.statusCode).toBeLessThan(500);
    expect(bad.json().code).toMatch(/^(netmon|capture)\./);
  });
});
