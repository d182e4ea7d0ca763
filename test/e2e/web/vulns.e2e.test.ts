/**
 * @module End-to-end test of the vulnerability and risk pages in a real browser: a real CareGuard server
 * (temp SQLite, demo hospital with demo advisories, SBOMs and findings) serves the built web/dist;
 * headless Chromium signs in, reads the risk overview, filters and pages findings, opens a finding and
 * triages it not_affected, opens its product's SBOM components and VEX exports, and checks the device
 * page's vulnerabilities; a clinician viewer then sees findings without the triage form. Every screen is
 * compared with what the API answers and saved under test-results/screenshots/vulns-*.png.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page as BrowserPage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from '../../../web/src/api/types.js';
import type { Finding, FindingDetail, Portfolio, Product, ProductDetail, Rollups, SbomDetail } from '../../../web/src/api/vulns.js';
import { formatContribution } from '../../../web/src/pages/vulns/risk.js';
import { chromiumUnavailableReason, openBrowser, signIn as signInAs } from './browser.js';
import type { BrowserSession } from './browser.js';
import { ensureWebBuilt, repoRoot, startTestServer } from './server-harness.js';
import type { TestServer } from './server-harness.js';

const SCREENSHOTS = join(repoRoot, 'test-results', 'screenshots');
const WAIT = { timeout: 15_000, interval: 100 };
const n = (x: number) => x.toLocaleString('en-US');

const missingChromium = chromiumUnavailableReason();
if (missingChromium && process.env['CI'] === 'true') {
  throw new Error(`vulnerability dashboard e2e under CI=true needs Chromium: ${missingChromium}`);
}
if (missingChromium) console.warn(`skipping vulnerability dashboard e2e: ${missingChromium}`);

const findingRowIds = (page: BrowserPage, scope = '[data-testid="finding-table"]') =>
  page.$$eval(`${scope} tbody tr[data-finding-id]`, (rows) => rows.map((r) => r.getAttribute('data-finding-id') ?? ''));

const findingsSettled = (page: BrowserPage) => page.waitForSelector('main [data-testid="finding-table"][aria-busy="false"]', { timeout: 15_000 });

describe.skipIf(missingChromium !== undefined)('vulnerability and risk pages in headless Chromium', () => {
  let server: TestServer;
  let browser: BrowserSession;
  let page: BrowserPage;
  /** the finding the test triages; chosen on the findings page */
  let target: Finding;

  async function apiGet<T>(path: string): Promise<T> {
    const res = await browser.context.request.get(`${server.url}/api/v1${path}`);
    if (!res.ok()) throw new Error(`GET ${path} answered ${res.status()}: ${await res.text()}`);
    return (await res.json()) as T;
  }

  /** the top-bar link (detail pages also have a back link with the same name) */
  const navLink = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

  const shot = async (name: string, fullPage = false) => {
    // the top bar is sticky: scrolled down, a full-page capture would paint it mid-page
    if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SCREENSHOTS, `vulns-${name}.png`), fullPage });
  };

  const signIn = (username: string, password: string) => signInAs(page, server.url, username, password, WAIT);

  beforeAll(async () => {
    ensureWebBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startTestServer({ devices: 240 });
    browser = await openBrowser();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in as admin and shows risk tiles, KEV exposure, EPSS and top risks exactly as the portfolio API answers', async () => {
    await signIn(server.adminUsername, server.adminPassword);
    await navLink('Risk').click();
    await page.waitForSelector('[data-testid="kev-card"]', WAIT);
    const portfolio = await apiGet<Portfolio>('/risk/portfolio?top=10');
    expect(portfolio.openFindings).toBeGreaterThan(0);

    for (const band of ['critical', 'high', 'medium', 'low', 'none'] as const) {
      expect(await page.textContent(`[data-testid="band-count-${band}"]`)).toBe(n(portfolio.severity.findings[band]));
    }
    expect(await page.textContent('[data-testid="kev-devices"]')).toBe(n(portfolio.kev.devices));
    expect(await page.textContent('[data-testid="kev-card"]')).toContain('devices exposed to KEV-listed vulnerabilities');
    for (const [criticality, count] of Object.entries(portfolio.kev.byCriticality)) {
      expect(await page.textContent(`[data-criticality-row="${criticality}"] [data-col="count"]`)).toBe(n(count));
    }
    const buckets = await page.$$eval('[data-testid="epss-chart"] tbody tr', (rows) => rows.map((r) => [r.getAttribute('data-bucket'), r.querySelector('[data-col="findings"]')?.textContent]));
    expect(buckets).toEqual(portfolio.epss.map((b) => [b.label, n(b.findings)]));

    const top = await page.$$eval('[data-testid="top-risks"] tbody tr', (rows) => rows.map((r) => [r.getAttribute('data-finding-id'), r.getAttribute('data-action')]));
    expect(top).toEqual(portfolio.top.map((t) => [t.findingId, t.recommendation.action]));
    const first = portfolio.top[0];
    expect(first).toBeDefined();
    expect(await page.textContent(`[data-testid="top-risks"] tr[data-finding-id="${first?.findingId ?? ''}"]`)).toContain(first?.recommendation.reason);
    await page.click(`[data-testid="top-risks"] tr[data-finding-id="${first?.findingId ?? ''}"] details summary`);
    expect(await page.textContent(`[data-testid="top-risks"] tr[data-finding-id="${first?.findingId ?? ''}"] .basis`)).toContain(first?.recommendation.basis[0]?.text);
    await shot('01-risk', true);
  });

  it('switches the rollups from site to unit, keeping the choice in the URL', async () => {
    const bySite = await apiGet<Rollups>('/risk/rollups?by=site&limit=100');
    await page.waitForSelector('[data-testid="rollups"][data-by="site"] tbody tr', WAIT);
    const rollupKeys = () => page.$$eval('[data-testid="rollups"] tbody tr', (rows) => rows.map((r) => r.getAttribute('data-rollup-key')));
    expect(await rollupKeys()).toEqual(bySite.items.map((r) => r.key));

    await page.getByRole('button', { name: 'Unit', exact: true }).click();
    const byUnit = await apiGet<Rollups>('/risk/rollups?by=unit&limit=100');
    await page.waitForSelector('[data-testid="rollups"][data-by="unit"]', WAIT);
    await expect.poll(rollupKeys, WAIT).toEqual(byUnit.items.map((r) => r.key));
    expect(page.url()).toContain('by=unit');
    const firstUnit = byUnit.items[0];
    expect(await page.textContent(`[data-testid="rollups"] tr[data-rollup-key="${firstUnit?.key ?? ''}"] [data-col="findings"]`)).toBe(n(firstUnit?.findings ?? -1));
    await shot('02-rollups-unit', true);
  });

  it('opens the critical tile as the findings list at minimum risk 80', async () => {
    await page.click('[data-testid="tile-band-critical"]');
    await findingsSettled(page);
    const expected = await apiGet<Page<Finding>>('/findings?status=open&minRisk=80&sort=risk&limit=50');
    await expect.poll(() => findingRowIds(page), WAIT).toEqual(expected.items.map((f) => f.id));
    expect(page.url()).toContain('minRisk=80');
    expect(await page.inputValue('#filter-minrisk')).toBe('80');
  });

  it('lists findings as the API does, pages by cursor, and filters by triage state and review flag with the URL following', async () => {
    await navLink('Findings').click();
    await expect.poll(() => page.inputValue('#filter-minrisk'), WAIT).toBe('');
    await findingsSettled(page);
    const all = await apiGet<Page<Finding>>('/findings?status=open&sort=risk&limit=50');
    await expect.poll(() => findingRowIds(page), WAIT).toEqual(all.items.map((f) => f.id));
    expect(await page.textContent('[data-testid="finding-total"]')).toBe(`${n(all.total)} open findings`);
    const scores = await page.$$eval('tbody tr[data-finding-id] [data-score]', (els) => els.map((e) => Number(e.getAttribute('data-score'))));
    expect(scores).toEqual(all.items.map((f) => f.riskScore));

    if (all.nextCursor) {
      const second = await apiGet<Page<Finding>>(`/findings?status=open&sort=risk&limit=50&cursor=${encodeURIComponent(all.nextCursor)}`);
      await page.getByRole('button', { name: 'Next' }).click();
      await expect.poll(() => findingRowIds(page), WAIT).toEqual(second.items.map((f) => f.id));
      await page.getByRole('button', { name: 'Previous' }).click();
      await expect.poll(() => findingRowIds(page), WAIT).toEqual(all.items.map((f) => f.id));
    }

    await page.selectOption('#filter-triage', 'untriaged');
    await page.selectOption('#filter-review', 'yes');
    const filtered = await apiGet<Page<Finding>>('/findings?status=open&triage=untriaged&needsReview=true&sort=risk&limit=50');
    expect(filtered.items.length).toBeGreaterThan(0);
    await expect.poll(() => findingRowIds(page), WAIT).toEqual(filtered.items.map((f) => f.id));
    expect(page.url()).toMatch(/triage=untriaged/);
    expect(page.url()).toMatch(/review=yes/);
    const flags = await page.$$eval('tbody tr[data-finding-id]', (rows) => rows.map((r) => [r.getAttribute('data-triage'), r.getAttribute('data-needs-review')]));
    expect(new Set(flags.map((f) => f.join()))).toEqual(new Set(['untriaged,true']));

    const picked = filtered.items[0];
    if (!picked) throw new Error('no untriaged finding needing review in the demo data');
    target = picked;
    await page.fill('#finding-search', target.componentName);
    const searched = await apiGet<Page<Finding>>(`/findings?status=open&triage=untriaged&needsReview=true&q=${encodeURIComponent(target.componentName)}&sort=risk&limit=50`);
    await expect.poll(() => findingRowIds(page), WAIT).toEqual(searched.items.map((f) => f.id));
    expect(page.url()).toContain(`q=${encodeURIComponent(target.componentName)}`);
    await shot('03-findings-filtered');

    // the URL alone restores the same list (bookmark, shared link)
    await page.reload();
    await expect.poll(() => findingRowIds(page), WAIT).toEqual(searched.items.map((f) => f.id));
    expect(await page.inputValue('#finding-search')).toBe(target.componentName);
  });

  it('opens a finding whose evidence, intelligence, breakdown, devices and recommendation match GET /findings/:id', async () => {
    await page.click(`tr[data-finding-id="${target.id}"] th a`);
    await page.waitForSelector(`[data-testid="finding-detail"][data-finding-id="${target.id}"]`, WAIT);
    const detail = await apiGet<FindingDetail>(`/findings/${target.id}`);

    expect((await page.textContent('h1[data-field="vulnerabilityId"]'))?.trim()).toBe(detail.finding.vulnerabilityId);
    for (const field of ['advisoryField', 'advisoryValue', 'componentField', 'componentValue', 'explanation'] as const) {
      expect(await page.textContent(`[data-testid="evidence-card"] [data-field="${field}"]`)).toBe(detail.finding.evidence[field]);
    }
    expect(await page.textContent('[data-testid="evidence-card"] [data-field="rule"]')).toBe(detail.finding.rule);
    expect(await page.textContent('[data-testid="evidence-card"] [data-field="confidence"]')).toContain(`${Math.round(detail.finding.confidence * 100)}%`);
    expect(await page.textContent('[data-testid="evidence-card"] [data-field="needsReview"]')).toContain(detail.finding.needsReview ? 'Needs review' : 'Confirmed');
    for (const v of detail.finding.fixedVersions) expect(await page.textContent('[data-testid="evidence-card"] [data-field="fixedVersions"]')).toContain(v);
    const advisoryTitle = detail.advisory?.title ?? detail.advisory?.summary;
    if (advisoryTitle) expect(await page.textContent('[data-field="advisory-title"]')).toBe(advisoryTitle);
    const intel = (await page.textContent('[data-testid="intel-card"]')) ?? '';
    for (const c of detail.intel.cvss) expect(intel).toContain(c.vector);
    expect(intel).toContain(detail.intel.kev ? detail.intel.kev.requiredAction : 'Not listed');
    if (detail.intel.epss) expect(intel).toContain(`${Math.round(detail.intel.epss.score * 1000) / 10}%`);

    const breakdown = detail.perDevice.find((p) => p.device.id === detail.deviceId)?.risk.breakdown ?? detail.risk.breakdown;
    const rows = await page.$$eval('[data-testid="risk-breakdown"] tbody tr', (trs) =>
      trs.map((r) => [r.getAttribute('data-factor'), r.querySelector('[data-col="contribution"]')?.textContent, r.querySelector('[data-col="reason"]')?.textContent, r.getAttribute('data-assumed')]),
    );
    expect(rows).toEqual(breakdown.factors.map((f) => [f.id, formatContribution(f.contribution), f.reason, String(f.assumed === true)]));
    if (breakdown.factors.some((f) => f.assumed)) expect(await page.locator('[data-testid="risk-breakdown"] tr.is-assumed .badge--assumed').count()).toBe(breakdown.factors.filter((f) => f.assumed).length);

    const devices = await page.$$eval('[data-testid="per-device"] tbody tr', (trs) => trs.map((r) => r.getAttribute('data-device-id')));
    expect(new Set(devices)).toEqual(new Set(detail.perDevice.map((p) => p.device.id)));
    const recommended = detail.risk.recommendedAction;
    if (recommended) {
      expect(await page.getAttribute('[data-testid="recommendation-card"] [data-action]', 'data-action')).toBe(recommended.action);
      expect(await page.textContent('[data-testid="recommendation-card"]')).toContain(recommended.reason);
    }
    await shot('04-finding', true);
  });

  it('refuses not_affected without a justification in the form, then triages it with one and the API shows the decision', async () => {
    expect(await page.getAttribute('[data-testid="current-triage"]', 'data-triage')).toBe('untriaged');
    await page.selectOption('#triage-state', 'not_affected');
    await page.click('[data-testid="triage-form"] button[type="submit"]');
    expect(await page.textContent('#triage-invalid')).toContain('justification or an impact statement');
    expect(await page.getAttribute('#triage-justification', 'aria-invalid')).toBe('true');
    expect((await apiGet<FindingDetail>(`/findings/${target.id}`)).finding.triage).toBeUndefined();

    await page.selectOption('#triage-justification', 'vulnerable_code_not_in_execute_path');
    await page.fill('#triage-detail', 'The vulnerable service is disabled in this firmware (e2e).');
    await page.fill('#triage-action', 'Re-check after the next firmware update.');
    await shot('05-triage-form');
    await page.click('[data-testid="triage-form"] button[type="submit"]');
    await page.waitForSelector('[data-testid="triage-saved"]', WAIT);

    const after = await apiGet<FindingDetail>(`/findings/${target.id}`);
    expect(after.finding.triage).toMatchObject({
      state: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
      detail: 'The vulnerable service is disabled in this firmware (e2e).',
      action: 'Re-check after the next firmware update.',
      origin: 'analyst',
      by: { name: server.adminUsername },
    });
    await page.waitForSelector('[data-testid="current-triage"][data-triage="not_affected"]', WAIT);
    const current = (await page.textContent('[data-testid="current-triage"]')) ?? '';
    expect(current).toContain('Vulnerable code not in execute path');
    expect(current).toContain(server.adminUsername);
    expect(current).toContain('Analyst decision');
    await shot('06-triaged', true);
  });

  it('opens the finding’s product with its SBOMs, the components of an SBOM with quality flags, and open findings', async () => {
    await page.click(`[data-testid="finding-detail"] .page__subtitle a`);
    await page.waitForSelector(`[data-testid="product-detail"][data-product-id="${target.productId}"]`, WAIT);
    const product = await apiGet<ProductDetail>(`/products/${target.productId}`);
    expect(product.sboms.length).toBeGreaterThan(0);
    const sbomRows = await page.$$eval('[data-testid="sbom-table"] tbody tr', (trs) => trs.map((r) => [r.getAttribute('data-sbom-id'), r.querySelector('[data-col="components"]')?.textContent]));
    expect(sbomRows).toEqual(product.sboms.map((s) => [s.id, n(s.componentCount)]));
    expect(await page.textContent('[data-testid="product-open-findings"]')).toContain(n(product.openFindings));

    const sbomId = product.sboms[0]?.id ?? '';
    const sbom = await apiGet<SbomDetail>(`/sboms/${sbomId}`);
    await page.waitForSelector(`[data-testid="sbom-components"][data-sbom-id="${sbomId}"] tbody tr`, WAIT);
    const components = await page.$$eval('[data-testid="sbom-components"] tbody tr', (trs) =>
      trs.map((r) => [r.getAttribute('data-component-ref'), [...r.querySelectorAll('[data-col="flags"] [data-flag]')].map((e) => e.getAttribute('data-flag'))]),
    );
    expect(components).toEqual(sbom.components.map((c) => [c.ref, c.flags]));

    const productFindings = await apiGet<Page<Finding>>(`/findings?productId=${target.productId}&status=open&sort=risk&limit=25`);
    await expect.poll(() => findingRowIds(page), WAIT).toEqual(productFindings.items.map((f) => f.id));
    await shot('07-product', true);
  });

  it('offers VEX downloads in the three formats, each answering 200 with a document of that format', async () => {
    const links = await page.$$eval('[data-testid="vex-export"] a[data-vex-format]', (as) => as.map((a) => [a.getAttribute('data-vex-format') ?? '', a.getAttribute('href') ?? '', a.hasAttribute('download')] as const));
    expect(links.map(([format]) => format)).toEqual(['cyclonedx', 'csaf', 'openvex']);
    for (const [format, href, download] of links) {
      expect(download).toBe(true);
      const res = await browser.context.request.get(`${server.url}${href}`);
      expect({ format, status: res.status() }).toEqual({ format, status: 200 });
      const doc = (await res.json()) as Record<string, unknown>;
      if (format === 'cyclonedx') expect(doc['bomFormat']).toBe('CycloneDX');
      if (format === 'csaf') expect((doc['document'] as Record<string, unknown>)['category']).toBe('csaf_vex');
      if (format === 'openvex') expect(String(doc['@context'])).toContain('openvex');
    }
  });

  it('searches products and lists what the API finds', async () => {
    await navLink('Products').click();
    await page.waitForSelector('[data-testid="product-table"]', WAIT);
    const detail = await apiGet<ProductDetail>(`/products/${target.productId}`);
    await page.fill('#product-search', detail.product.name);
    const expected = await apiGet<Page<Product>>(`/products?q=${encodeURIComponent(detail.product.name)}&limit=50`);
    const productRows = () => page.$$eval('[data-testid="product-table"] tbody tr', (trs) => trs.map((r) => r.getAttribute('data-product-id')));
    await expect.poll(productRows, WAIT).toEqual(expected.items.map((p) => p.id));
    expect(await page.textContent('[data-testid="product-total"]')).toBe(`${n(expected.total)} product ${expected.total === 1 ? 'version' : 'versions'}`);
    await shot('08-products');
  });

  it('shows on a device page the open findings of the product the device runs', async () => {
    const detail = await apiGet<FindingDetail>(`/findings/${target.id}`);
    const deviceId = detail.perDevice[0]?.device.id;
    if (!deviceId) throw new Error(`no device runs the product of ${target.id}`);
    await page.goto(`${server.url}/#/devices/${encodeURIComponent(deviceId)}`);
    await page.waitForSelector('[data-testid="device-product"]', WAIT);
    expect(await page.getAttribute('[data-testid="device-product"]', 'data-product-id')).toBe(target.productId);
    const open = await apiGet<Page<Finding>>(`/findings?productId=${target.productId}&status=open&sort=risk&limit=20`);
    expect(await page.textContent('[data-testid="device-open-findings"]')).toBe(String(open.total));
    await expect.poll(() => findingRowIds(page, '[data-testid="device-vulns"]'), WAIT).toEqual(open.items.map((f) => f.id));
    await page.locator('[data-testid="device-vulns"]').screenshot({ path: join(SCREENSHOTS, 'vulns-09-device.png') });
  });

  it('says "no product match" on a device whose firmware version no product tracks, listing the tracked versions', async () => {
    const detail = await apiGet<FindingDetail>(`/findings/${target.id}`);
    const device = detail.perDevice[0]?.device;
    if (!device) throw new Error(`no device runs the product of ${target.id}`);
    // products are derived from the inventory when it is synced, so a hand-edited firmware has none yet
    const me = await apiGet<{ csrfToken: string }>('/auth/me');
    const patched = await browser.context.request.patch(`${server.url}/api/v1/devices/${encodeURIComponent(device.id)}`, {
      headers: { 'x-csrf-token': me.csrfToken },
      data: { firmwareVersion: '0.0.0-e2e-untracked' },
    });
    expect(patched.status()).toBe(200);

    await page.goto(`${server.url}/#/devices/${encodeURIComponent(device.id)}`);
    await page.reload(); // the previous test left this device's page open with the old firmware loaded
    const note = await page.waitForSelector('[data-testid="no-product-match"]', WAIT);
    const text = (await note.textContent()) ?? '';
    expect(text).toContain('No product match');
    expect(text).toContain('0.0.0-e2e-untracked');
    expect(text).toContain(device.version);
    expect(await page.locator('[data-testid="device-vulns"] [data-testid="finding-table"]').count()).toBe(0);
  });

  it('fits the risk overview, the findings list and a triaged finding on a phone-width screen without page scrolling sideways', async () => {
    const overflow = async (name: string) => ({ name, overflow: await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth) });
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${server.url}/#/risk`);
      await page.waitForSelector('[data-testid="kev-card"]', WAIT);
      await page.waitForSelector('[data-testid="rollups"] tbody tr', WAIT);
      expect(await overflow('risk')).toEqual({ name: 'risk', overflow: 0 });
      expect(await navLink('Products').isVisible()).toBe(true);
      await shot('10-risk-phone', true);
      await page.goto(`${server.url}/#/findings`);
      await findingsSettled(page);
      expect(await overflow('findings')).toEqual({ name: 'findings', overflow: 0 });
      await page.goto(`${server.url}/#/findings/${encodeURIComponent(target.id)}`);
      await page.waitForSelector('[data-testid="current-triage"][data-triage="not_affected"]', WAIT);
      expect(await overflow('finding')).toEqual({ name: 'finding', overflow: 0 });
      await shot('11-finding-phone', true);
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });

  it('shows a clinician viewer findings and the current triage without the triage form', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForSelector('#login-username', WAIT);
    await signIn(server.viewer.username, server.viewer.password);
    expect(await page.textContent('[data-testid="current-user"]')).toContain('Clinician viewer');

    await navLink('Findings').click();
    await findingsSettled(page);
    const all = await apiGet<Page<Finding>>('/findings?status=open&sort=risk&limit=50');
    await expect.poll(() => findingRowIds(page), WAIT).toEqual(all.items.map((f) => f.id));

    await page.goto(`${server.url}/#/findings/${encodeURIComponent(target.id)}`);
    await page.waitForSelector('[data-testid="triage-panel"]', WAIT);
    expect(await page.getAttribute('[data-testid="current-triage"]', 'data-triage')).toBe('not_affected');
    expect(await page.locator('[data-testid="triage-form"]').count()).toBe(0);
    expect(await page.textContent('[data-testid="triage-panel"]')).toContain('can read triage decisions but not change them');
    await shot('12-finding-viewer', true);
  });

  it('raised no console errors, uncaught exceptions or CSP violations along the way', () => {
    expect(browser.problems).toEqual([]);
  });
});
