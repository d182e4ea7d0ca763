/**
 * Passive monitoring over the API (real app, SQLite): a real capture and a Zeek conn.log uploaded
 * as the body, then captures, conversations, the communication map, detections and zones read
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
