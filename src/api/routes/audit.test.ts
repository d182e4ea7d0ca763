import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalText, verifyConsistency, verifyInclusion, type AuditEntry, type AuditService } from '../../audit/index.js';
import { auditServiceFor, sampleEvent } from '../../audit/testing.js';
import { roleHas, isRole } from '../../auth/permissions.js';
import { isDomainError } from '../../core/index.js';
import type { DatabaseHandle } from '../../storage/index.js';
import { openTestDatabase } from '../../storage/testing/engines.js';
import { createValidatorCompiler } from '../framework/validation.js';
import type { ApiApp } from '../types.js';
import { registerAuditRoutes } from './audit.js';

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

const hex = (s: string) => Buffer.from(s, 'hex');

describe('audit routes', () => {
  let h: DatabaseHandle;
  let audit: AuditService;
  let app: ApiApp;
  let permissions: Map<string, string | undefined>;

  beforeAll(async () => {
    h = await openTestDatabase('sqlite');
    audit = auditServiceFor(h, { treeHeadInterval: 8 });
    for (let i = 0; i < 20; i++) await audit.record(sampleEvent(i));
    ({ app, permissions } = bareApp((a) => registerAuditRoutes(a, { audit })));
    await app.ready();
  });
  afterAll(async () => {
    await app.close();
    await h.close();
  });

  it('declares audit:read on every audit route and refuses roles without it', async () => {
    const audited = [...permissions].filter(([route]) => route.includes('/api/v1/audit/') && !route.startsWith('HEAD'));
    expect(audited.length).toBe(7);
    for (const [route, perm] of audited) expect(perm, route).toBe('audit:read');
    expect((await app.inject({ url: '/api/v1/audit/entries', headers: { 'x-role': 'clinician_viewer' } })).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/v1/audit/entries', headers: { 'x-role': 'auditor' } })).statusCode).toBe(200);
  });

  it('lists entries newest first with filters and a cursor', async () => {
    const first = await app.inject({ url: '/api/v1/audit/entries?action=device.*&limit=3' });
    expect(first.statusCode).toBe(200);
    const page = first.json<{ items: AuditEntry[]; nextCursor: string; total: number }>();
    expect(page.items.map((e) => e.seq)).toEqual([18, 15, 12]);
    expect(page.total).toBe(7);
    const next = (await app.inject({ url: `/api/v1/audit/entries?action=device.*&limit=3&cursor=${page.nextCursor}` })).json<{ items: AuditEntry[] }>();
    expect(next.items.map((e) => e.seq)).toEqual([9, 6, 3]);
    const asc = (await app.inject({ url: '/api/v1/audit/entries?order=asc&limit=2&from=2025-06-01T08:00:05Z' })).json<{ items: AuditEntry[] }>();
    expect(asc.items.map((e) => e.seq)).toEqual([5, 6]);
    expect((await app.inject({ url: '/api/v1/audit/entries?limit=0' })).statusCode).toBe(400);
    expect((await app.inject({ url: '/api/v1/audit/entries?cursor=x1' })).json()).toMatchObject({ code: 'audit.invalid_cursor' });
  });

  it('serves one entry whose leaf hash anyone can recompute, and 404 past the end', async () => {
    const res = await app.inject({ url: '/api/v1/audit/entries/4' });
    const { leafHash, ...entry } = res.json<AuditEntry>();
    const recomputed = createHash('sha256').update(Buffer.concat([Buffer.from([0]), Buffer.from(canonicalText(entry)!, 'utf8')])).digest('hex');
    expect(recomputed).toBe(leafHash);
    expect((await app.inject({ url: '/api/v1/audit/entries/99' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/v1/audit/entries/-1' })).statusCode).toBe(400);
  });

  it('serves a signed tree head that verifies with the published key and the documented bytes', async () => {
    const key = (await app.inject({ url: '/api/v1/audit/public-key' })).json<{ keyId: string; publicKeyPem: string }>();
    const head = (await app.inject({ url: '/api/v1/audit/tree-head?fresh=true' })).json<{ treeSize: number; rootHash: string; timestamp: string; keyId: string; signature: string }>();
    expect(head.treeSize).toBe(20);
    expect(head.keyId).toBe(key.keyId);
    const message = `CareGuard audit tree head v1\n${head.treeSize}\n${head.rootHash}\n${head.timestamp}\n${head.keyId}\n`;
    expect(verifySignature(null, Buffer.from(message), createPublicKey(key.publicKeyPem), Buffer.from(head.signature, 'base64'))).toBe(true);
    const latest = (await app.inject({ url: '/api/v1/audit/tree-head' })).json<typeof head>();
    expect(latest.treeSize).toBe(20);
  });

  it('serves inclusion and consistency proofs that verify against signed roots', async () => {
    const incl = (await app.inject({ url: '/api/v1/audit/proofs/inclusion?seq=13' })).json<{ leafIndex: number; treeSize: number; leafHash: string; auditPath: string[]; treeHead: { rootHash: string } }>();
    expect(verifyInclusion(hex(incl.leafHash), 13, incl.treeSize, incl.auditPath.map(hex), hex(incl.treeHead.rootHash))).toBe(true);
    const cons = (await app.inject({ url: '/api/v1/audit/proofs/consistency?first=8&second=16' })).json<{ firstRootHash: string; secondRootHash: string; consistencyPath: string[]; firstTreeHead: { rootHash: string }; secondTreeHead: { rootHash: string } }>();
    expect(cons.firstTreeHead.rootHash).toBe(cons.firstRootHash);
    expect(verifyConsistency(8, 16, hex(cons.firstTreeHead.rootHash), hex(cons.secondTreeHead.rootHash), cons.consistencyPath.map(hex))).toBe(true);
    const bad = await app.inject({ url: '/api/v1/audit/proofs/inclusion?seq=3&treeSize=2' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'audit.invalid_tree_size', location: { pointer: '/treeSize' } });
    expect((await app.inject({ url: '/api/v1/audit/proofs/consistency' })).statusCode).toBe(400);
  });

  it('verifies the log on request, signing a head only when asked', async () => {
    const plain = await app.inject({ method: 'POST', url: '/api/v1/audit/verify' });
    expect(plain.statusCode).toBe(200);
    expect(plain.json()).toMatchObject({ ok: true, entries: 20 });
    expect(plain.json()).not.toHaveProperty('signedTreeHead');
    const signed = await app.inject({ method: 'POST', url: '/api/v1/audit/verify', payload: { signTreeHead: true } });
    expect(signed.json()).toMatchObject({ ok: true, signedTreeHead: { treeSize: 20 } });
    expect((await app.inject({ method: 'POST', url: '/api/v1/audit/verify', payload: { signTreeHead: 'yes' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'POST', url: '/api/v1/audit/verify', payload: { force: true } })).statusCode).toBe(400);
  });
});
