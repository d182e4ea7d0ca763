import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertService, type Alert } from '../../alerts/index.js';
import { auditServiceFor } from '../../audit/testing.js';
import type { AuditService } from '../../audit/index.js';
import { roleHas, isRole } from '../../auth/permissions.js';
import { fixedClock, isDomainError } from '../../core/index.js';
import type { DatabaseHandle } from '../../storage/index.js';
import { createAlertRepository } from '../../storage/repositories/alerts.js';
import { openTestDatabase } from '../../storage/testing/engines.js';
import { createValidatorCompiler } from '../framework/validation.js';
import type { ApiApp } from '../types.js';
import { registerAlertRoutes } from './alerts.js';

/** A bare app: TypeBox provider, the app's validator, an actor from x-role, the route's permission enforced, errors as JSON. */
function bareApp(register: (app: ApiApp) => void): { app: ApiApp; permissions: Map<string, string | undefined> } {
  const app = Fastify().withTypeProvider<TypeBoxTypeProvider>() as unknown as ApiApp;
  // the real app's validation: strict bodies, coerced query strings
  app.setValidatorCompiler(createValidatorCompiler());
  const permissions = new Map<string, string | undefined>();
  app.addHook('onRoute', (r) => {
    permissions.set(`${String(r.method)} ${r.url}`, r.config?.permission);
  });
  app.decorateRequest('actor', null as never);
  app.addHook('onRequest', async (req, reply) => {
    const role = String(req.headers['x-role'] ?? 'admin');
    req.actor = { kind: 'user', id: `user_${role}`, name: role, role, ip: req.ip };
    const needed = req.routeOptions.config.permission;
    if (!needed || !isRole(role) || !roleHas(role, needed)) return reply.code(403).send({ code: 'auth.forbidden' });
  });
  app.setErrorHandler((err, _req, reply) => {
    if (isDomainError(err)) return reply.code(err.status).send({ code: err.code, detail: err.message, location: err.location });
    const e = err as { statusCode?: number; code?: string; message: string };
    return reply.code(e.statusCode ?? 500).send({ code: e.code, detail: e.message });
  });
  register(app);
  return { app, permissions };
}

const raise = (over: Record<string, unknown> = {}) => ({
  title: 'Outdated OpenSSL on ventilator',
  severity: 'high',
  source: 'integration-siem',
  category: 'vulnerable-component',
  deviceId: 'dev_vent1',
  evidence: [{ kind: 'advisory', ref: 'CVE-2024-0727', detail: 'openssl 1.1.1k' }],
  ...over,
});

describe('alert routes', () => {
  let h: DatabaseHandle;
  let audit: AuditService;
  let app: ApiApp;
  let permissions: Map<string, string | undefined>;

  beforeAll(async () => {
    h = await openTestDatabase('sqlite');
    audit = auditServiceFor(h);
    const alerts = new AlertService({ repo: createAlertRepository(h.db, h.dialect), audit, clock: fixedClock('2025-08-01T00:00:00.000Z', 1000) });
    ({ app, permissions } = bareApp((a) => registerAlertRoutes(a, { alerts })));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await h.close();
  });

  it('declares the right permission on each route', () => {
    const routes = Object.fromEntries([...permissions].filter(([r]) => r.includes('/api/v1/alerts') && !r.startsWith('HEAD')));
    expect(routes).toEqual({
      'GET /api/v1/alerts': 'alerts:read',
      'GET /api/v1/alerts/summary': 'alerts:read',
      'GET /api/v1/alerts/:id': 'alerts:read',
      'POST /api/v1/alerts': 'alerts:create',
      'POST /api/v1/alerts/:id/acknowledge': 'alerts:write',
      'POST /api/v1/alerts/:id/resolve': 'alerts:write',
    });
  });

  it('raises from an integration (201), folds a repeat (200) and attributes it to the caller', async () => {
    const created = await app.inject({ method: 'POST', url: '/api/v1/alerts', payload: raise({ dedupKey: 'siem:1' }) });
    expect(created.statusCode).toBe(201);
    const { alert } = created.json<{ alert: Alert; created: boolean }>();
    expect(alert).toMatchObject({ status: 'open', count: 1, source: 'integration-siem', evidence: [{ kind: 'advisory', ref: 'CVE-2024-0727' }] });
    const folded = await app.inject({ method: 'POST', url: '/api/v1/alerts', payload: raise({ dedupKey: 'siem:1' }) });
    expect(folded.statusCode).toBe(200);
    expect(folded.json()).toMatchObject({ created: false, alert: { id: alert.id, count: 2 } });
    const entry = (await audit.list({ targetId: alert.id })).items[0]!;
    expect(entry).toMatchObject({ action: 'alert.raise', actor: { id: 'user_admin', kind: 'user' } });
  });

  it('rejects a malformed raise with 400 and an unknown severity by name', async () => {
    expect((await app.inject({ method: 'POST', url: '/api/v1/alerts', payload: raise({ severity: 'urgent' }) })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/api/v1/alerts', payload: raise({ title: '' }) })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/api/v1/alerts', payload: raise({ priority: 1 }) })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/api/v1/alerts', payload: raise({ evidence: [{ kind: 'flow', ref: 'f', extra: 1 }] }) })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/api/v1/alerts', headers: { 'x-role': 'clinician_viewer' }, payload: raise() })).statusCode).toBe(403);
  });

  it('acknowledges and resolves with optional notes, and answers 409 and 404 where they do not apply', async () => {
    const { alert } = (await app.inject({ method: 'POST', url: '/api/v1/alerts', payload: raise({ dedupKey: 'siem:ack' }) })).json<{ alert: Alert }>();
    const acked = await app.inject({ method: 'POST', url: `/api/v1/alerts/${alert.id}/acknowledge`, headers: { 'x-role': 'security_analyst' } });
    expect(acked.statusCode).toBe(200);
    expect(acked.json()).toMatchObject({ status: 'acknowledged', acknowledgedBy: { id: 'user_security_analyst' } });
    expect((await app.inject({ method: 'POST', url: `/api/v1/alerts/${alert.id}/acknowledge` })).json()).toMatchObject({ code: 'alert.already_acknowledged' });
    expect((await app.inject({ method: 'POST', url: `/api/v1/alerts/${alert.id}/resolve`, headers: { 'x-role': 'biomed_engineer' }, payload: {} })).statusCode).toBe(403);
    const resolved = await app.inject({ method: 'POST', url: `/api/v1/alerts/${alert.id}/resolve`, payload: { note: 'patched to 3.0.13' } });
    expect(resolved.json()).toMatchObject({ status: 'resolved', resolutionNote: 'patched to 3.0.13' });
    expect((await app.inject({ method: 'POST', url: '/api/v1/alerts/alr_nope/resolve', payload: {} })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/api/v1/alerts/bad-id!/resolve', payload: {} })).statusCode).toBe(400);
  });

  it('lists with repeated status filters and a cursor, reads one, and summarizes', async () => {
    for (let i = 0; i < 3; i++) await app.inject({ method: 'POST', url: '/api/v1/alerts', payload: raise({ dedupKey: `siem:list:${i}`, severity: 'low', title: `Listed ${i}` }) });
    const page = (await app.inject({ url: '/api/v1/alerts?status=open&status=acknowledged&limit=2' })).json<{ items: Alert[]; nextCursor: string; total: number }>();
    expect(page.items.map((a) => a.title)).toEqual(['Listed 2', 'Listed 1']);
    expect(page.total).toBe(4);
    const rest = (await app.inject({ url: `/api/v1/alerts?status=open&status=acknowledged&limit=2&cursor=${page.nextCursor}` })).json<{ items: Alert[]; nextCursor?: string }>();
    expect(rest.items.map((a) => a.title)).toEqual(['Listed 0', 'Outdated OpenSSL on ventilator']);
    expect(rest.nextCursor).toBeUndefined();
    expect((await app.inject({ url: '/api/v1/alerts?status=closed' })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/v1/alerts?q=listed%201' })).json()).toMatchObject({ total: 1 });
    const one = await app.inject({ url: `/api/v1/alerts/${page.items[0]!.id}`, headers: { 'x-role': 'clinician_viewer' } });
    expect(one.json()).toMatchObject({ title: 'Listed 2' });
    const summary = (await app.inject({ url: '/api/v1/alerts/summary' })).json();
    expect(summary).toEqual({ total: 5, byStatus: { open: 4, acknowledged: 0, resolved: 1 }, activeBySeverity: { critical: 0, high: 1, medium: 0, low: 3, info: 0 } });
  });
});
