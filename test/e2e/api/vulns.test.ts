/**
 * The vulnerability API end to end (real app, SQLite): SBOM upload, advisory upload, findings with
 * filters, finding detail with its risk breakdown, triage, VEX export/import round trip, scan,
 * risk views, and bad documents answered with where they are broken while nothing is stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoCsafAdvisories, demoNvdBundle, demoSboms } from '../../../src/vulns/demo/documents.js';
import { buildFullTestApp, seedRoleUsers, signIn, type Session, type TestApp } from './harness.js';

let t: TestApp;
let analyst: Session;
let viewer: Session;
const sbom = demoSboms()[0]!;

beforeAll(async () => {
  t = await buildFullTestApp();
  await seedRoleUsers(t);
  analyst = await signIn(t.app, 'security_analyst');
  viewer = await signIn(t.app, 'clinician_viewer');
});
afterAll(async () => {
  await t.close();
});

const post = (s: Session, url: string, body: string, type = 'application/json') => t.app.inject({ method: 'POST', url, headers: { ...s.headers, 'content-type': type }, payload: body });
const get = (s: Session, url: string) => t.app.inject({ method: 'GET', url, headers: s.headers });

describe('vulnerability API', () => {
  let productId = '';
  let findingId = '';

  it('imports an SBOM sent as the body (201), and the same document again changes nothing (200)', async () => {
    const res = await post(analyst, '/api/v1/sboms?fileName=fw.cdx.json', sbom.text, 'application/vnd.cyclonedx+json');
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ created: true, sbom: { format: 'cyclonedx', specVersion: '1.6' } });
    productId = body.product.id;
    const again = await post(analyst, '/api/v1/sboms', sbom.text);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ created: false });
  });

  it('rejects a broken SBOM with its JSON location and stores nothing', async () => {
    const before = (await get(analyst, '/api/v1/products')).json().total;
    const res = await post(analyst, '/api/v1/sboms?manufacturer=Acme&name=Pump', '{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"library","name":7}]}');
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toMatch(/^sbom\./);
    expect(res.json().detail).toMatch(/\/components\/0/);
    expect((await get(analyst, '/api/v1/products')).json().total).toBe(before);
  });

  it('ingests advisory documents, re-matching stored components into findings', async () => {
    const res = await post(analyst, '/api/v1/advisories?fileName=nvd.json', demoNvdBundle().text);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ parser: expect.stringMatching(/^nvd@/), inserted: 8 });
    expect(res.json().opened).toBeGreaterThan(0);
    const csaf = await post(analyst, '/api/v1/advisories?fileName=csaf.json', demoCsafAdvisories()[0]!.text);
    expect(csaf.statusCode).toBe(200);
    const unknown = await post(analyst, '/api/v1/advisories', '{"hello":"world"}');
    expect(unknown.statusCode).toBe(415);
    expect(unknown.json().code).toBe('advisory.unknown_format');
  });

  it('lists findings by risk with filters, and shows one with evidence and a risk breakdown', async () => {
    const page = (await get(viewer, `/api/v1/findings?productId=${productId}&status=open&limit=2`)).json();
    expect(page.total).toBeGreaterThan(2);
    expect(page.items).toHaveLength(2);
    expect(page.items[0].riskScore).toBeGreaterThanOrEqual(page.items[1].riskScore);
    const next = (await get(viewer, `/api/v1/findings?productId=${productId}&status=open&limit=2&cursor=${encodeURIComponent(page.nextCursor)}`)).json();
    expect(next.items[0].id).not.toBe(page.items[0].id);
    findingId = page.items[0].id;
    const detail = (await get(viewer, `/api/v1/findings/${findingId}`)).json();
    expect(detail.finding.evidence.explanation).toBeTruthy();
    expect(detail.risk.breakdown.factors.length).toBeGreaterThan(2);
    expect(detail.product.id).toBe(productId);
    const bad = await get(viewer, '/api/v1/findings?cursor=not-a-cursor');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('vulns.invalid_cursor');
  });

  it('lets an analyst triage (audited) and refuses a clinician', async () => {
    const denied = await post(viewer, `/api/v1/findings/${findingId}/triage`, JSON.stringify({ state: 'affected' }));
    expect(denied.statusCode).toBe(403);
    const missing = await post(analyst, `/api/v1/findings/${findingId}/triage`, JSON.stringify({ state: 'not_affected' }));
    expect(missing.statusCode).toBe(400);
    expect(missing.json().code).toBe('triage.justification_required');
    const ok = await post(analyst, `/api/v1/findings/${findingId}/triage`, JSON.stringify({ state: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', detail: 'feature disabled in firmware' }));
    expect(ok.statusCode).toBe(200);
    expect(ok.json().updated[0].triage).toMatchObject({ state: 'not_affected', origin: 'analyst', by: { name: 'security_analyst' } });
    const log = await t.container.audit.list({ action: 'finding.triage' });
    expect(log.items.some((e) => e.targetId === findingId)).toBe(true);
  });

  it('exports VEX in three formats and re-imports the CycloneDX one', async () => {
    for (const format of ['cyclonedx', 'csaf', 'openvex']) {
      const res = await get(viewer, `/api/v1/products/${productId}/vex?format=${format}`);
      expect(res.statusCode).toBe(200);
    }
    const cdx = (await get(viewer, `/api/v1/products/${productId}/vex?format=cyclonedx`)).json();
    expect(cdx).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
    const notAffected = cdx.vulnerabilities.find((v: { analysis?: { state?: string } }) => v.analysis?.state === 'not_affected');
    expect(notAffected).toBeDefined();
    const imported = await post(analyst, '/api/v1/vex?fileName=vex.cdx.json', JSON.stringify(cdx));
    expect(imported.statusCode).toBe(200);
    expect(imported.json().statements).toBe(cdx.vulnerabilities.length);
    const broken = await post(analyst, '/api/v1/vex', '{"statements": 5, "@context": "https://openvex.dev/ns/v0.2.0"}');
    expect([400, 422]).toContain(broken.statusCode);
    expect(broken.json().code).toMatch(/^vex\./);
    expect(broken.json().detail).toMatch(/\/statements/);
  });

  it('scans an SBOM without storing it and reports failure at the threshold', async () => {
    const products = (await get(analyst, '/api/v1/products')).json().total;
    const res = await post(viewer, '/api/v1/scan?failOn=high', sbom.text);
    expect(res.statusCode).toBe(200);
    expect(res.json().findings.length).toBeGreaterThan(0);
    expect(res.json().failed).toBe(true);
    expect((await get(analyst, '/api/v1/products')).json().total).toBe(products);
  });

  it('serves the portfolio and rollups', async () => {
    const v = (await get(viewer, '/api/v1/risk/portfolio')).json();
    expect(v.openFindings).toBeGreaterThan(0);
    expect(v.top.length).toBeGreaterThan(0);
    expect(v.timeToAlert.alerted).toBeGreaterThanOrEqual(0);
    const r = (await get(viewer, '/api/v1/risk/rollups?by=product')).json();
    expect(r.items[0].key).toBe(productId);
    const rubric = await t.app.inject({ method: 'PUT', url: `/api/v1/products/${productId}/rubric`, headers: { ...analyst.headers, 'content-type': 'application/json' }, payload: { NOPE: 'yes' } });
    expect(rubric.statusCode).toBe(400);
    expect(rubric.json().code).toBe('risk.rubric_invalid');
  });
});
