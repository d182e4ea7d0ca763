import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createValidatorCompiler } from '../../../src/api/framework/validation.js';
import { errorHandler } from '../../../src/api/framework/problem.js';
import { registerDeviceRoutes } from '../../../src/api/routes/devices.js';
import type { ApiApp } from '../../../src/api/types.js';
import { auditServiceFor } from '../../../src/audit/testing.js';
import { isRole, roleHas } from '../../../src/auth/permissions.js';
import { fixedClock } from '../../../src/core/index.js';
import { InventoryService, type Device, type DeviceReport } from '../../../src/inventory/index.js';
import { provenance, report, testActor } from '../../../src/inventory/testing.js';
import type { DatabaseHandle } from '../../../src/storage/index.js';
import { KyselyDeviceRepository } from '../../../src/storage/repositories/devices.js';
import { openTestDatabase } from '../../../src/storage/testing/engines.js';

/** A bare app: TypeBox provider, the framework's validator and problem+json errors, an actor from x-role. */
function bareApp(register: (app: ApiApp) => void): { app: ApiApp; permissions: Map<string, string | undefined> } {
  const app = Fastify().withTypeProvider<TypeBoxTypeProvider>() as unknown as ApiApp;
  const permissions = new Map<string, string | undefined>();
  app.addHook('onRoute', (r) => {
    permissions.set(`${String(r.method)} ${r.url}`, r.config?.permission);
  });
  app.setValidatorCompiler(createValidatorCompiler());
  app.setErrorHandler(errorHandler);
  app.decorateRequest('actor', null as never);
  app.addHook('onRequest', async (req, reply) => {
    const role = String(req.headers['x-role'] ?? 'admin');
    req.actor = { kind: 'user', id: `user_${role}`, name: role, role };
    const needed = req.routeOptions.config.permission;
    if (!needed || !isRole(role) || !roleHas(role, needed)) return reply.code(403).send({ code: 'auth.forbidden' });
  });
  register(app);
  return { app, permissions };
}

const p = provenance('import:cmms.csv', '2024-04-01T00:00:00Z');
const fixture: DeviceReport[] = [
  report({ name: 'Pump A', category: 'infusion pump', manufacturer: 'Baxter', unit: 'ICU', site: 'North' }, p, { macs: ['00:11:22:33:44:01'] }),
  report({ name: 'Pump B', category: 'infusion pump', manufacturer: 'BD', unit: 'ER', site: 'North' }, p, { macs: ['00:11:22:33:44:02'] }),
  report({ name: 'Vent C', category: 'ventilator', manufacturer: 'Dräger', unit: 'ICU', site: 'South' }, p, { macs: ['00:11:22:33:44:03'] }),
  report({ name: 'CT D', category: 'CT', manufacturer: 'GE', unit: 'Radiology', site: 'South' }, p, { aeTitles: ['CT_D'] }),
  report({ name: "Printer '; DROP TABLE devices; --", category: 'printer', unit: 'ER', site: 'North' }, p),
];

describe('device routes', () => {
  let h: DatabaseHandle;
  let app: ApiApp;
  let permissions: Map<string, string | undefined>;
  let devices: Device[];

  beforeAll(async () => {
    h = await openTestDatabase('sqlite');
    const inventory = new InventoryService({ repo: new KyselyDeviceRepository(h), audit: auditServiceFor(h), clock: fixedClock('2024-06-01T00:00:00Z', 1000) });
    devices = (await inventory.applyReports(fixture, testActor)).map((o) => o.device);
    ({ app, permissions } = bareApp((a) => registerDeviceRoutes(a, { inventory })));
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  const get = (url: string, role = 'clinician_viewer') => app.inject({ method: 'GET', url, headers: { 'x-role': role } });
  const patch = (id: string, payload: unknown, role = 'biomed_engineer') => app.inject({ method: 'PATCH', url: `/api/v1/devices/${id}`, payload: payload as object, headers: { 'x-role': role } });

  it('declares one permission on each route', () => {
    const routes = Object.fromEntries([...permissions].filter(([r]) => r.includes('/api/v1/') && !r.startsWith('HEAD')));
    expect(routes).toEqual({
      'GET /api/v1/devices': 'devices:read',
      'GET /api/v1/devices/facets': 'devices:read',
      'GET /api/v1/devices/:id': 'devices:read',
      'PATCH /api/v1/devices/:id': 'devices:write',
      'GET /api/v1/taxonomy/categories': 'devices:read',
      'GET /api/v1/taxonomy/criticalities': 'devices:read',
    });
  });

  it('lists devices with comma-separated filters, keyset pages and an exact total', async () => {
    const first = await get('/api/v1/devices?category=infusion-pump,ventilator&limit=2&sort=name');
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    const page1 = first.json() as { items: Device[]; nextCursor?: string; total: number };
    expect(page1.total).toBe(3);
    expect(page1.items.map((d) => d.name)).toEqual(['Pump A', 'Pump B']);
    // list items are summaries: every attribute, no provenance or sources
    expect(page1.items[0]).toMatchObject({ name: 'Pump A', category: 'infusion-pump' });
    expect(page1.items[0]).not.toHaveProperty('provenance');
    expect(page1.items[0]).not.toHaveProperty('sources');
    const second = (await get(`/api/v1/devices?category=infusion-pump,ventilator&limit=2&sort=name&cursor=${page1.nextCursor}`)).json() as typeof page1;
    expect(second.items.map((d) => d.name)).toEqual(['Vent C']);
    expect(second.nextCursor).toBeUndefined();
    const filtered = (await get('/api/v1/devices?manufacturer=GE%20Medical%20Systems&site=South&criticality=diagnostic')).json() as typeof page1;
    expect(filtered.items.map((d) => d.name)).toEqual(['CT D']);
    // a repeated search is served from the cached page, byte for byte
    expect((await get('/api/v1/devices?category=infusion-pump,ventilator&limit=2&sort=name')).body).toBe(first.body);
  });

  it('lists full devices with provenance when asked for fields=full, and summaries are the same devices without it', async () => {
    const url = '/api/v1/devices?category=infusion-pump,ventilator&limit=2&sort=name';
    const full = (await get(`${url}&fields=full`)).json() as { items: Device[]; total: number };
    const summary = (await get(`${url}&fields=summary`)).json() as { items: Device[]; total: number };
    expect(full.items[0]!.provenance.name).toEqual({ ...p, observedAt: '2024-04-01T00:00:00.000Z' });
    expect(full.items[0]!.sources).toEqual([p.source]);
    expect(summary.total).toBe(full.total);
    expect(summary.items).toEqual(full.items.map(({ provenance: _p, sources: _s, ...rest }) => rest));
    expect((await get(`${url}&fields=everything`)).statusCode).toBe(400);
  });

  it('matches search text literally, SQL metacharacters included', async () => {
    const res = await get(`/api/v1/devices?q=${encodeURIComponent("'; DROP TABLE devices; --")}`);
    expect(res.statusCode).toBe(200);
    expect((res.json() as { items: Device[] }).items.map((d) => d.name)).toEqual(["Printer '; DROP TABLE devices; --"]);
    expect((await get('/api/v1/devices')).json()).toMatchObject({ total: 5 });
  });

  it.each([
    ['an unknown query parameter', '/api/v1/devices?colour=red', 'request.invalid'],
    ['a limit of 0', '/api/v1/devices?limit=0', 'request.invalid'],
    ['a limit over 200', '/api/v1/devices?limit=201', 'request.invalid'],
    ['a limit that is not a number', '/api/v1/devices?limit=ten', 'request.invalid'],
    ['an unknown sort', '/api/v1/devices?sort=colour', 'request.invalid'],
    ['an unknown criticality in a list', '/api/v1/devices?criticality=diagnostic,urgent', 'device.invalid_query'],
    ['an unknown category', '/api/v1/devices?category=toaster', 'device.invalid_query'],
    ['a tampered cursor', '/api/v1/devices?cursor=abc', 'device.invalid_cursor'],
    ['an unknown facet parameter', '/api/v1/devices/facets?limit=5', 'request.invalid'],
  ])('answers 400 problem+json for %s', async (_what, url, code) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 400, code });
  });

  it('returns facets for the dashboard filters', async () => {
    const res = await get('/api/v1/devices/facets?site=North');
    expect(res.statusCode).toBe(200);
    const facets = res.json() as Record<string, Array<{ value: string; count: number }>>;
    expect(facets.categories).toEqual([
      { value: 'infusion-pump', count: 2 },
      { value: 'printer', count: 1 },
    ]);
    expect(facets.sites).toEqual([
      { value: 'North', count: 3 },
      { value: 'South', count: 2 },
    ]);
    expect(Object.keys(facets).sort()).toEqual(['categories', 'criticalities', 'manufacturers', 'sites', 'statuses', 'units']);
  });

  it('reads one device and answers 404 problem+json for an unknown id', async () => {
    const res = await get(`/api/v1/devices/${devices[2]!.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: devices[2]!.id, name: 'Vent C', manufacturer: 'Drägerwerk', criticality: 'life-sustaining' });
    const missing = await get('/api/v1/devices/dev_00000000000000000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'device.not_found' });
  });

  it('edits a device by hand with manual provenance, and null clears an attribute', async () => {
    const id = devices[0]!.id;
    const listed = async () => ((await get('/api/v1/devices?q=pump%20a')).json() as { items: Device[] }).items[0];
    expect((await listed())?.owner).toBeUndefined();
    const res = await patch(id, { owner: 'Oncology', unit: null, network: { ips: ['10.9.9.9'] } });
    expect(res.statusCode).toBe(200);
    const d = res.json() as Device;
    expect(d.owner).toBe('Oncology');
    expect(d.unit).toBeUndefined();
    expect(d.network.ips).toEqual(['10.9.9.9']);
    expect(d.provenance.owner).toMatchObject({ kind: 'manual', confidence: 1, source: 'manual:user_biomed_engineer' });
    expect(await listed()).toMatchObject({ id, owner: 'Oncology' }); // the cached page was replaced
  });

  it.each([
    ['an unknown field', { colour: 'red' }, 'request.invalid'],
    ['a wrong type', { owner: 42 }, 'request.invalid'],
    ['an empty body', {}, 'request.invalid'],
    ['an unknown network field', { network: { wifi: [] } }, 'request.invalid'],
    ['an unknown criticality', { criticality: 'urgent' }, 'request.invalid'],
    ['an invalid MAC', { network: { macs: ['00:11'] } }, 'device.invalid_mac'],
    ['an unknown category', { category: 'toaster' }, 'device.unknown_category'],
  ])('refuses a PATCH with %s (400)', async (_what, body, code) => {
    const res = await patch(devices[1]!.id, body);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code });
  });

  it('refuses a PATCH from a role without devices:write', async () => {
    expect((await patch(devices[1]!.id, { owner: 'x' }, 'clinician_viewer')).statusCode).toBe(403);
  });

  it('serves the category taxonomy and the criticality definitions', async () => {
    const categories = (await get('/api/v1/taxonomy/categories')).json() as Array<{ id: string; defaultCriticality: string; description: string }>;
    expect(categories.length).toBeGreaterThanOrEqual(40);
    expect(categories.find((c) => c.id === 'ventilator')).toMatchObject({ label: 'Ventilator', group: 'life-support', defaultCriticality: 'life-sustaining' });
    const levels = (await get('/api/v1/taxonomy/criticalities')).json() as Array<{ id: string; meaning: string }>;
    expect(levels.map((l) => l.id)).toEqual(['life-sustaining', 'life-supporting', 'diagnostic', 'therapeutic-non-critical', 'non-clinical']);
    for (const l of levels) expect(l.meaning.length).toBeGreaterThan(40);
  });
});
