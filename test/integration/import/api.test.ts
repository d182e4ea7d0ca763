import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFullTestApp, seedRoleUsers, signIn, type Session, type TestApp } from '../../e2e/api/harness.js';
import { allDevices, type ImportStack } from './stack.js';

describe('import API', () => {
  let t: TestApp;
  let stack: ImportStack;
  let analyst: Session;
  let viewer: Session;

  beforeAll(async () => {
    // the full API as the server builds it (src/main/routes.ts registers the import routes)
    t = await buildFullTestApp();
    stack = { inventory: t.container.inventory, imports: t.container.imports, audit: t.container.audit };
    await seedRoleUsers(t);
    analyst = await signIn(t.app, 'security_analyst');
    viewer = await signIn(t.app, 'clinician_viewer');
  });
  afterAll(async () => t.close());

  const post = (session: Session, url: string, contentType: string, payload: string | Buffer) =>
    t.app.inject({ method: 'POST', url, headers: { ...session.headers, 'content-type': contentType }, payload });

  it('imports a CSV body and answers the import report', async () => {
    const csv = 'serial_number;name;category;criticality\r\nAPI-0001;Pump A;IV pump;life-sustaining\r\nAPI-0002;Pump B;IV pump;sometimes\r\n';
    const res = await post(analyst, '/api/v1/imports?fileName=cmms-export.csv', 'text/csv; charset=utf-8', '\ufeff' + csv);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ file: 'cmms-export.csv', format: 'csv', rowsRead: 2, created: 1, rejectedCount: 1, rejected: [{ row: 3, column: 'criticality', value: 'sometimes' }] });
    const stored = await stack.inventory.lookup('API-0001');
    expect(stored.provenance.name).toMatchObject({ source: 'import:cmms-export.csv', kind: 'import' });
  });

  it('imports NDJSON by content type, with a preset and a mapping from the query', async () => {
    const body = '{"Equipment ID": "EQ-API-1", "Kind": "Ventilator", "Equipment Status": "Awaiting Repair"}\n';
    const res = await post(analyst, `/api/v1/imports?preset=eq2-phoenix-style&map=${encodeURIComponent('category=Kind')}`, 'application/x-ndjson', body);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ format: 'ndjson', preset: 'eq2-phoenix-style', created: 1 });
    expect(await stack.inventory.lookup('EQ-API-1')).toMatchObject({ category: 'ventilator', status: 'maintenance' });
  });

  it('answers malformed JSON with a problem naming line, column and byte offset, and stores nothing', async () => {
    const before = (await allDevices(stack.inventory)).length;
    const res = await post(analyst, '/api/v1/imports', 'application/json', '[{"serial_number": "API-9001"},\n {"serial_number": "API-9002" "x": 1}]');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ code: 'import.malformed_json', location: { line: 2, column: 31, byteOffset: 62, pointer: '/1' } });
    expect((await allDevices(stack.inventory)).length).toBe(before);
  });

  it('answers invalid UTF-8 with the line and byte offset', async () => {
    const body = Buffer.concat([Buffer.from('serial_number,name\nAPI-7001,caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    const res = await post(analyst, '/api/v1/imports', 'text/csv', body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'import.invalid_utf8', location: { line: 2, byteOffset: 31 } });
  });

  it('validates only, on dryRun', async () => {
    const res = await post(analyst, '/api/v1/imports?dryRun=true', 'text/csv', 'serial_number\nAPI-DRY-1\n');
    expect(res.json()).toMatchObject({ dryRun: true, imported: 1, created: 0 });
    await expect(stack.inventory.lookup('API-DRY-1')).rejects.toMatchObject({ code: 'device.not_found' });
  });

  it('refuses an upload whose declared size is over the route limit before reading it', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { ...analyst.headers, 'content-type': 'text/csv', 'content-length': String(300 * 1024 * 1024) },
      payload: 'serial_number\nX\n',
    });
    expect(res.statusCode).toBe(413);
  });

  it('requires devices:import to import and devices:read to list presets', async () => {
    const denied = await post(viewer, '/api/v1/imports', 'text/csv', 'serial_number\nAPI-DENIED\n');
    expect(denied.statusCode).toBe(403);
    const presets = await t.app.inject({ method: 'GET', url: '/api/v1/imports/presets', headers: viewer.headers });
    expect(presets.statusCode).toBe(200);
    const body = presets.json() as { items: { id: string }[]; fields: { key: string }[] };
    expect(body.items.map((p) => p.id)).toEqual(['careguard', 'servicenow-style', 'tms-style', 'eq2-phoenix-style']);
    expect(body.fields.map((f) => f.key)).toContain('serial');
  });

  it('keeps the other routes on JSON only', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', headers: { 'content-type': 'text/csv' }, payload: 'a,b' });
    expect(res.statusCode).toBe(415);
  });
});
