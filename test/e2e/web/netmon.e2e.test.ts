/**
 * @module End-to-end test of the Network pages in a real browser: a real CareGuard server (temp SQLite,
 * demo hospital) serves the built web/dist; a security analyst uploads the public DICOM loopback capture
 * through the upload form, finds it in the captures table, reads the recent detections, opens the map of
 * the DICOM server address and its dicom edge, re-centres a map on a peer (after the HL7 capture is
 * uploaded through the API), and reads the Communication section of a discovered device; a clinician
 * viewer (no netmon:read) sees no Network entry. A second server, started with a zone policy (the shared
 * harness has no policy option), shows the zones panel and a zone's map; a third, following a capture
 * directory, shows the watch's state and the segments of a live capture recorded at checkpoints. Every screen is compared with what the API answers and saved under
 * test-results/screenshots/netmon-*.png.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request as playwrightRequest } from 'playwright-core';
import type { Page as BrowserPage } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCapture } from '../../../scripts/gen-capture.js';
import { systemActor } from '../../../src/core/index.js';
import { loadConfig } from '../../../src/main/config.js';
import { createContainer } from '../../../src/main/container.js';
import { chunked, segmentCapture } from '../../netmon/segments-support.js';
import { startServer } from '../../../src/main/server.js';
import type { RunningServer } from '../../../src/main/server.js';
import type { Capture, CaptureUploadResult, CaptureWatchStatus, CommunicationMap, Conversation, DetectionPage, ZoneReport } from '../../../web/src/api/netmon.js';
import type { Device, Page } from '../../../web/src/api/types.js';
import { MAP_EDGE_LIMIT } from '../../../web/src/pages/netmon/MapView.js';
import { chromiumUnavailableReason, openBrowser, signIn as signInAs } from './browser.js';
import type { BrowserSession } from './browser.js';
import { ensureWebBuilt, repoRoot, startTestServer, webRoot } from './server-harness.js';
import type { Credentials, TestServer } from './server-harness.js';

const SCREENSHOTS = join(repoRoot, 'test-results', 'screenshots');
const WAIT = { timeout: 15_000, interval: 100 };
const n = (x: number) => x.toLocaleString('en-US');
const PCAPS = resolve(repoRoot, '../shared/data/pcap');
const DICOM_PCAP = join(PCAPS, 'dicom-dcmtk-loopback.pcap');
const HL7_PCAP = join(PCAPS, 'hl7.pcap');

const missingChromium = chromiumUnavailableReason();
const missingData = [DICOM_PCAP, HL7_PCAP].filter((f) => !existsSync(f));
if (process.env['CI'] === 'true') {
  if (missingChromium) throw new Error(`network dashboard e2e under CI=true needs Chromium: ${missingChromium}`);
  if (missingData.length > 0) throw new Error(`network dashboard e2e under CI=true needs the shared captures: missing ${missingData.join(', ')}`);
}
const skipReason = missingChromium ?? (missingData.length > 0 ? `shared captures missing: ${missingData.join(', ')}` : undefined);
if (skipReason) console.warn(`skipping network dashboard e2e: ${skipReason}`);

/** An analyst account made through the API by the admin (the harness seeds only admin and a viewer). */
async function createAnalyst(server: TestServer): Promise<Credentials> {
  const api = await playwrightRequest.newContext({ baseURL: server.url });
  try {
    const login = await api.post('/api/v1/auth/login', { data: { username: server.adminUsername, password: server.adminPassword } });
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const res = await api.post('/api/v1/users', { headers: { 'x-csrf-token': csrfToken }, data: { username: 'analyst', role: 'security_analyst', displayName: 'Sec Analyst' } });
    if (res.status() !== 201) throw new Error(`creating the analyst answered ${res.status()}: ${await res.text()}`);
    const body = (await res.json()) as { generatedPassword?: string };
    if (!body.generatedPassword) throw new Error('creating the analyst returned no generated password');
    return { username: 'analyst', password: body.generatedPassword };
  } finally {
    await api.dispose();
  }
}

describe.skipIf(skipReason !== undefined)('network pages in headless Chromium', () => {
  let server: TestServer;
  let browser: BrowserSession;
  let page: BrowserPage;
  let analyst: Credentials;
  let captureId: string;
  /** the DICOM server address, from the conversations the capture left */
  let dicomServer: string;
  /** a device discovered by the DICOM capture */
  let discovered: string;
  /** the address with the most peers in the synthetic capture */
  let busyIp: string;

  async function apiGet<T>(path: string): Promise<T> {
    const res = await browser.context.request.get(`${server.url}/api/v1${path}`);
    if (!res.ok()) throw new Error(`GET ${path} answered ${res.status()}: ${await res.text()}`);
    return (await res.json()) as T;
  }

  const navLink = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
  const mapLoaded = (scope = '[data-testid="map-page"]') => page.waitForSelector(`${scope} [data-testid="map-view"][data-loaded="true"]`, WAIT);
  const svgNodes = (scope = '[data-testid="map-page"]') => page.$$eval(`${scope} svg a.netnode`, (as) => as.map((a) => a.getAttribute('data-ip') ?? '').sort());
  const svgEdges = (scope = '[data-testid="map-page"]') =>
    page.$$eval(`${scope} svg g.netedge`, (gs) => gs.map((g) => [g.getAttribute('data-client'), g.getAttribute('data-server'), g.getAttribute('data-protocols'), g.getAttribute('data-ports')].join(' ')).sort());
  const tableEdges = (scope = '[data-testid="map-page"]') =>
    page.$$eval(`${scope} [data-testid="map-edges"] tbody tr`, (rows) =>
      rows.map((r) => [r.getAttribute('data-client'), r.getAttribute('data-server'), [...r.querySelectorAll('[data-protocol]')].map((e) => e.getAttribute('data-protocol')).join(','), r.querySelector('[data-col="flows"]')?.textContent].join(' ')),
    );
  const apiEdges = (m: CommunicationMap) => m.edges.map((e) => [e.client, e.server, e.protocols.join(','), e.ports.join(',')].join(' ')).sort();
  const apiTableEdges = (m: CommunicationMap) => m.edges.map((e) => [e.client, e.server, e.protocols.join(','), n(e.flows)].join(' '));

  const shot = async (name: string, fullPage = false) => {
    if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SCREENSHOTS, `netmon-${name}.png`), fullPage });
  };

  const signIn = (username: string, password: string) => signInAs(page, server.url, username, password, WAIT);

  beforeAll(async () => {
    ensureWebBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
    server = await startTestServer({ devices: 60 });
    analyst = await createAnalyst(server);
    browser = await openBrowser();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows a security analyst the Network entry, an empty captures list, the upload form and no zones', async () => {
    await signIn(analyst.username, analyst.password);
    await navLink('Network').click();
    await page.waitForSelector('[data-testid="network-page"]', WAIT);
    expect(await navLink('Network').getAttribute('aria-current')).toBe('page');
    await page.waitForSelector('[data-testid="captures"] .empty', WAIT);
    expect(await page.textContent('[data-testid="captures"]')).toContain('No captures yet');
    expect(await page.locator('[data-testid="capture-upload"] input[type="file"]').count()).toBe(1);
    await page.waitForSelector('[data-testid="zones-empty"]', WAIT);
    expect(await page.textContent('[data-testid="zones-empty"]')).toContain('CAREGUARD_NETMON_POLICY');
    // no capture directory configured: the card says how to turn the watch on
    await page.waitForSelector('[data-testid="capture-watch"][data-state="off"]', WAIT);
    expect(await page.textContent('[data-testid="capture-watch"]')).toContain('CAREGUARD_NETMON_CAPTURE_DIR');
  });

  it('refuses a file that is not a capture, showing the server’s reason and code', async () => {
    const junk = join(tmpdir(), 'careguard-e2e-not-a-capture.pcap');
    writeFileSync(junk, 'garbage, not a capture at all');
    await page.setInputFiles('[data-testid="capture-file"]', junk);
    await page.click('[data-testid="capture-upload"] button[type="submit"]');
    const error = await page.waitForSelector('[data-testid="upload-error"] [role="alert"]', WAIT);
    const text = (await error.textContent()) ?? '';
    expect(text).toContain('not a pcap or pcapng capture');
    expect(text).toContain('netmon.unreadable_capture');
    expect((await apiGet<{ items: Capture[] }>('/netmon/captures')).items).toEqual([]);
  });

  it('uploads the DICOM capture through the form and lists it in the captures table as GET /netmon/captures answers', async () => {
    await page.setInputFiles('[data-testid="capture-file"]', DICOM_PCAP);
    expect(await page.inputValue('[data-testid="capture-upload"] input[type="text"]')).toBe('dicom-dcmtk-loopback.pcap');
    await page.click('[data-testid="capture-upload"] button[type="submit"]');
    const result = await page.waitForSelector('[data-testid="upload-result"]', { timeout: 60_000 });
    captureId = (await result.getAttribute('data-capture-id')) ?? '';
    expect(captureId).toMatch(/^cap_/);

    const { items } = await apiGet<{ items: Capture[] }>('/netmon/captures');
    expect(items.map((c) => c.id)).toEqual([captureId]);
    const capture = items[0] as Capture;
    expect(capture).toMatchObject({ name: 'dicom-dcmtk-loopback.pcap', kind: 'capture', ingestedBy: analyst.username });
    expect(await result.textContent()).toContain(`${n(capture.packets)} packets, ${n(capture.flows)} flows`);

    const row = `[data-testid="capture-table"] tr[data-capture-id="${captureId}"]`;
    await page.waitForSelector(row, WAIT);
    const cells = await page.$eval(row, (tr) => Object.fromEntries([...tr.querySelectorAll('[data-col]')].map((c) => [c.getAttribute('data-col'), c.textContent?.trim() ?? ''])));
    expect(cells['name']).toContain(capture.name);
    expect(cells['name']).toContain('DICOM');
    expect(cells).toMatchObject({ kind: 'Packet capture', packets: n(capture.packets), flows: n(capture.flows), devices: n(capture.devices), detections: n(capture.detections) });
    expect(cells['ingested']).toContain(`by ${analyst.username}`);
    await shot('01-network', true);
  });

  it('opens the capture with its protocols and wire findings as GET /netmon/captures/:id answers', async () => {
    await page.click(`[data-testid="capture-table"] tr[data-capture-id="${captureId}"] th a`);
    await page.waitForSelector(`[data-testid="capture-detail"][data-capture-id="${captureId}"] [data-testid="capture-protocols"]`, WAIT);
    expect(page.url()).toContain(`capture=${captureId}`);
    const capture = await apiGet<Capture>(`/netmon/captures/${captureId}`);
    const protocols = await page.$$eval('[data-testid="capture-protocols"] tbody tr', (rows) => rows.map((r) => r.getAttribute('data-protocol')));
    expect(protocols).toEqual((capture.summary.protocols ?? []).map((p) => p.protocol));
    const codes = await page.$$eval('[data-testid="capture-findings"] [data-code]', (els) => els.map((e) => e.getAttribute('data-code')));
    expect(codes).toEqual((capture.summary.findings ?? []).map((f) => f.code));
    expect(codes).toContain('dicom.cleartext-phi');
  });

  it('shows the capture’s stored observations as GET /netmon/observations answers, and filters them by protocol', async () => {
    // the card shows pages of 50, oldest first
    const stored = await apiGet<{ items: { id: string; kind: string; protocol: string }[] }>(`/netmon/observations?captureId=${captureId}&limit=50`);
    expect(stored.items.some((o) => o.kind === 'dicom.associate-rq')).toBe(true);
    const rows = () => page.$$eval('[data-testid="capture-observations"] tbody tr', (trs) => trs.map((r) => r.getAttribute('data-observation-id')));
    await expect.poll(rows, WAIT).toEqual(stored.items.map((o) => o.id));
    await page.selectOption('.netobs__filters select', 'dicom');
    const dicom = await apiGet<{ items: { id: string }[] }>(`/netmon/observations?captureId=${captureId}&protocol=dicom&limit=50`);
    expect(dicom.items.length).toBeGreaterThan(0);
    await expect.poll(rows, WAIT).toEqual(dicom.items.map((o) => o.id));
  });

  it('lists the recent detections as GET /netmon/detections answers, each linking to the alert queue', async () => {
    const detections = await apiGet<DetectionPage>('/netmon/detections?limit=10');
    await expect.poll(() => page.$$eval('[data-testid="detection-list"] [data-alert-id]', (els) => els.map((e) => e.getAttribute('data-alert-id'))), WAIT).toEqual(detections.items.map((a) => a.id));
    const dicom = detections.items.find((a) => a.category === 'dicom.cleartext-phi');
    if (!dicom?.deviceId) throw new Error('the DICOM capture raised no cleartext-PHI alert on a device');
    discovered = dicom.deviceId;
    await page.click(`[data-testid="detection-list"] [data-alert-id="${dicom.id}"] .netdetections__title`);
    await page.waitForSelector('[data-testid="alert-table"]', WAIT);
    expect(page.url()).toContain(`deviceId=${dicom.deviceId}`);
    expect(await page.textContent('[data-testid="alert-table"]')).toContain(dicom.title);
  });

  it('draws the map of the DICOM server address with the dicom edge, as GET /netmon/map answers', async () => {
    const conversations = await apiGet<{ items: Conversation[] }>('/netmon/conversations');
    const dicom = conversations.items.find((c) => c.protocol === 'dicom');
    if (!dicom) throw new Error('no DICOM conversation was stored');
    dicomServer = dicom.server;

    await navLink('Network').click();
    await page.fill('#mapshortcut-ip', dicomServer);
    await page.getByRole('button', { name: 'Show map', exact: true }).click();
    await mapLoaded();
    expect(page.url()).toContain(`/network/map?ip=${encodeURIComponent(dicomServer)}`);

    const map = await apiGet<CommunicationMap>(`/netmon/map?ip=${encodeURIComponent(dicomServer)}&hops=0&limit=${MAP_EDGE_LIMIT}`);
    expect(map.edges.some((e) => e.protocols.includes('dicom') && e.ports.includes(dicom.port))).toBe(true);
    expect(await svgNodes()).toEqual(map.nodes.map((x) => x.ip).sort());
    expect(await svgEdges()).toEqual(apiEdges(map));
    expect(await tableEdges()).toEqual(apiTableEdges(map));
    expect(await page.locator('[data-testid="map-truncated"]').count()).toBe(map.truncated > 0 ? 1 : 0);

    // the edge's protocols and ports appear on keyboard focus, and say the same to screen readers
    const edge = page.locator(`svg g.netedge[data-server="${dicomServer}"][data-protocols*="dicom"]`).first();
    const label = edge.locator('.netedge__label');
    expect(await label.evaluate((el) => getComputedStyle(el).opacity)).toBe('0');
    await edge.focus();
    await expect.poll(() => label.evaluate((el) => getComputedStyle(el).opacity), WAIT).toBe('1');
    expect(await label.textContent()).toBe(`DICOM · port ${dicom.port}`);
    expect(await edge.getAttribute('aria-label')).toContain(`DICOM · port ${dicom.port}`);

    // keyboard users can jump past the graph's focus stops to the same data as a table
    await page.getByRole('button', { name: 'Skip the graph to the connections table' }).press('Enter');
    expect(await page.evaluate(() => document.activeElement?.querySelector('[data-testid="map-edges"]') !== null)).toBe(true);

    // every node sits inside the drawing
    const box = await page.$eval('[data-testid="map-page"] svg.netmap__svg', (svg) => ({ w: Number(svg.getAttribute('data-width')), h: Number(svg.getAttribute('data-height')) }));
    const spots = await page.$$eval('[data-testid="map-page"] svg a.netnode', (as) => as.map((a) => [Number(a.getAttribute('data-x')), Number(a.getAttribute('data-y'))]));
    for (const [x, y] of spots) expect(x !== undefined && y !== undefined && x > 0 && x < box.w && y > 0 && y < box.h).toBe(true);
    await shot('02-map-dicom', true);
  });

  it('re-centres the map on a peer by clicking its node (HL7 capture uploaded through the API)', async () => {
    const me = await apiGet<{ csrfToken: string }>('/auth/me');
    const res = await browser.context.request.post(`${server.url}/api/v1/netmon/captures?name=hl7.pcap`, {
      headers: { 'x-csrf-token': me.csrfToken, 'content-type': 'application/vnd.tcpdump.pcap' },
      data: readFileSync(HL7_PCAP),
    });
    expect(res.status()).toBe(201);
    const upload = (await res.json()) as CaptureUploadResult;
    const hl7 = (await apiGet<{ items: Conversation[] }>('/netmon/conversations')).items.find((c) => c.protocol === 'hl7');
    if (!hl7) throw new Error(`the HL7 capture ${upload.captureId} stored no hl7 conversation`);

    await page.goto(`${server.url}/#/network/map?ip=${encodeURIComponent(hl7.client)}`);
    await mapLoaded();
    expect(await svgNodes()).toEqual([hl7.client, hl7.server].sort());
    await page.click(`[data-testid="map-page"] svg a.netnode[data-ip="${hl7.server}"]`);
    await page.waitForSelector(`[data-testid="map-page"] svg a.netnode[data-ip="${hl7.server}"][data-focus="true"]`, WAIT);
    await mapLoaded();
    expect(page.url()).toContain(`ip=${encodeURIComponent(hl7.server)}`);
    expect(await page.inputValue('#map-value')).toBe(hl7.server);
    const recentred = await apiGet<CommunicationMap>(`/netmon/map?ip=${encodeURIComponent(hl7.server)}&hops=0&limit=${MAP_EDGE_LIMIT}`);
    expect(recentred.focus).toEqual([hl7.server]);
    expect(await svgEdges()).toEqual(apiEdges(recentred));
    expect(await page.$$eval('[data-testid="map-nodes"] tbody tr[data-focus="true"]', (rows) => rows.map((r) => r.getAttribute('data-ip')))).toEqual([hl7.server]);

    // the form: one hop further, kept in the address
    await page.selectOption('#map-hops', '1');
    await page.click('[data-testid="map-form"] button[type="submit"]');
    await expect.poll(() => page.url(), WAIT).toContain('hops=1');
    await mapLoaded();
    const wider = await apiGet<CommunicationMap>(`/netmon/map?ip=${encodeURIComponent(hl7.server)}&hops=1&limit=${MAP_EDGE_LIMIT}`);
    expect(await svgEdges()).toEqual(apiEdges(wider));

    // the form refuses what the API would refuse
    await page.fill('#map-value', 'pacs.local');
    await page.click('[data-testid="map-form"] button[type="submit"]');
    expect(await page.textContent('#map-error')).toContain('IPv4 or IPv6');
    await shot('03-map-recentred', true);
  });

  it('draws a busy address of a synthetic capture inside the viewBox and says how many connections a limit left out', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'careguard-e2e-synthetic-'));
    try {
      const file = join(dir, 'synthetic.pcap');
      await generateCapture({ out: file, sizeMb: 0.5, seed: 7, concurrency: 64 });
      const me = await apiGet<{ csrfToken: string }>('/auth/me');
      const res = await browser.context.request.post(`${server.url}/api/v1/netmon/captures?name=synthetic.pcap`, { headers: { 'x-csrf-token': me.csrfToken, 'content-type': 'application/octet-stream' }, data: readFileSync(file) });
      expect(res.status()).toBe(201);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const { items } = await apiGet<{ items: Conversation[] }>('/netmon/conversations?limit=5000');
    const degree = new Map<string, number>();
    for (const c of items) for (const ip of new Set([c.client, c.server])) degree.set(ip, (degree.get(ip) ?? 0) + 1);
    const [busy] = [...degree.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    if (!busy || busy[1] < 12) throw new Error(`the synthetic capture has no address with a dozen peers (${JSON.stringify(busy)})`);
    busyIp = busy[0];

    await page.goto(`${server.url}/#/network/map?ip=${busy[0]}`);
    await mapLoaded();
    const full = await apiGet<CommunicationMap>(`/netmon/map?ip=${busy[0]}&hops=0&limit=${MAP_EDGE_LIMIT}`);
    expect(await svgEdges()).toEqual(apiEdges(full));
    const box = await page.$eval('[data-testid="map-page"] svg.netmap__svg', (svg) => ({ w: Number(svg.getAttribute('data-width')), h: Number(svg.getAttribute('data-height')) }));
    const spots = await page.$$eval('[data-testid="map-page"] svg a.netnode', (as) => as.map((a) => `${a.getAttribute('data-x')},${a.getAttribute('data-y')}`));
    expect(new Set(spots).size).toBe(full.nodes.length);
    for (const [x, y] of spots.map((p) => p.split(',').map(Number))) expect(x !== undefined && y !== undefined && x > 0 && x < box.w && y > 0 && y < box.h).toBe(true);
    await shot('04-map-busy', true);

    await page.goto(`${server.url}/#/network/map?ip=${busy[0]}&limit=10`);
    await page.waitForSelector('[data-testid="map-truncated"]', WAIT);
    await mapLoaded();
    const limited = await apiGet<CommunicationMap>(`/netmon/map?ip=${busy[0]}&hops=0&limit=10`);
    expect(limited.truncated).toBeGreaterThan(0);
    expect(await page.getAttribute('[data-testid="map-truncated"]', 'data-truncated')).toBe(String(limited.truncated));
    expect(await page.textContent('[data-testid="map-truncated"]')).toContain(`the ${n(limited.truncated)} connections with the least traffic are left out`);
    expect(await svgEdges()).toEqual(apiEdges(limited));
    // re-centring keeps the limit
    const peer = limited.nodes.find((x) => !x.focus)?.ip ?? '';
    expect(await page.getAttribute(`[data-testid="map-page"] svg a.netnode[data-ip="${peer}"]`, 'href')).toBe(`#/network/map?ip=${peer}&limit=10`);
  });

  it('shows the Communication section of a discovered device with its map and conversations', async () => {
    const device = await apiGet<Device>(`/devices/${encodeURIComponent(discovered)}`);
    expect(device.network.ips).toContain(dicomServer);
    await page.goto(`${server.url}/#/devices/${encodeURIComponent(discovered)}`);
    const scope = '[data-testid="device-communication"]';
    await mapLoaded(scope);
    const map = await apiGet<CommunicationMap>(`/netmon/map?deviceId=${encodeURIComponent(discovered)}&limit=${MAP_EDGE_LIMIT}`);
    expect(map.edges.length).toBeGreaterThan(0);
    expect(await svgNodes(scope)).toEqual(map.nodes.map((x) => x.ip).sort());
    expect(await svgEdges(scope)).toEqual(apiEdges(map));
    const ipQuery = device.network.ips.map((ip) => `ip=${encodeURIComponent(ip)}`).join('&');
    const conversations = await apiGet<{ items: Conversation[] }>(`/netmon/conversations?${ipQuery}&limit=50`);
    await page.waitForSelector(`${scope} [data-testid="device-conversations"]`, WAIT);
    const rows = await page.$$eval(`${scope} [data-testid="device-conversations"] tbody tr`, (trs) => trs.map((r) => [r.getAttribute('data-client'), r.getAttribute('data-server'), r.getAttribute('data-protocol'), r.getAttribute('data-port')].join(' ')));
    expect(rows).toEqual(conversations.items.map((c) => [c.client, c.server, c.protocol, c.port].join(' ')));
    expect(await page.getAttribute(`${scope} [data-testid="map-nodes"] tr[data-ip="${dicomServer}"]`, 'data-device-id')).toBeTruthy();
    await shot('05-device', true);
  });

  it('says nothing was observed on the Communication section of a device no capture saw', async () => {
    const devices = await apiGet<Page<Device>>('/devices?limit=100&sort=name&order=asc');
    const { items } = await apiGet<{ items: Conversation[] }>('/netmon/conversations?limit=5000');
    const seen = new Set(items.flatMap((c) => [c.client, c.server]));
    const quiet = devices.items.find((d) => d.network.ips.length > 0 && d.network.ips.every((ip) => !seen.has(ip)));
    if (!quiet) throw new Error('no demo device with an address outside the captures');
    await page.goto(`${server.url}/#/devices/${encodeURIComponent(quiet.id)}`);
    await page.waitForSelector('[data-testid="device-communication"] [data-testid="map-empty"]', WAIT);
    expect(await page.textContent('[data-testid="device-communication"] [data-testid="map-empty"]')).toContain(`No traffic observed for ${quiet.name ?? quiet.id}`);
  });

  it('fits the network page and a map on a phone-width screen without the page scrolling sideways', async () => {
    const overflow = async (name: string) => ({ name, overflow: await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth) });
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${server.url}/#/network`);
      await page.waitForSelector('[data-testid="capture-table"] tbody tr', WAIT);
      expect(await overflow('network')).toEqual({ name: 'network', overflow: 0 });
      await shot('06-network-phone', true);
      await page.goto(`${server.url}/#/network/map?ip=${encodeURIComponent(dicomServer)}`);
      await mapLoaded();
      expect(await overflow('map')).toEqual({ name: 'map', overflow: 0 });
      await page.goto(`${server.url}/#/network/map?ip=${busyIp}`);
      await mapLoaded();
      expect(await overflow('busy map')).toEqual({ name: 'busy map', overflow: 0 });
      await shot('07-map-phone', true);
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });

  it('hides the Network entry from a clinician viewer, who holds no netmon:read, and refuses a pasted link', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForSelector('#login-username', WAIT);
    await signIn(server.viewer.username, server.viewer.password);
    expect(await page.textContent('[data-testid="current-user"]')).toContain('Clinician viewer');
    expect(await navLink('Devices').count()).toBe(1);
    expect(await navLink('Network').count()).toBe(0);
    await page.goto(`${server.url}/#/network`);
    await page.waitForSelector('[data-testid="netmon-not-allowed"]', WAIT);
    await page.goto(`${server.url}/#/devices/${encodeURIComponent(discovered)}`);
    await page.waitForSelector('[data-testid="device-detail"]', WAIT);
    expect(await page.locator('[data-testid="device-communication"]').count()).toBe(0);
    await shot('08-viewer');
  });

  it('raised no console errors, uncaught exceptions or CSP violations except the refused upload', () => {
    // the junk upload answers 400 on purpose; Chromium logs that as a console error it cannot be told to skip
    const unexpected = browser.problems.filter((p) => !(p.kind === 'console' && /status of 400/.test(p.text) && (p.url ?? '').includes('/api/v1/netmon/captures?name=careguard-e2e-not-a-capture.pcap')));
    expect(unexpected).toEqual([]);
  });
});

/** Zones for the two public captures: the HL7 sender and receiver in different zones, loopback in a third. */
const POLICY = {
  version: 1,
  zones: [
    { name: 'clinical', cidrs: ['10.0.0.155/32'], securityLevel: 3, description: 'HL7 sender' },
    { name: 'ehr', cidrs: ['10.0.0.126/32'], securityLevel: 2 },
    { name: 'imaging', cidrs: ['127.0.0.0/8'], securityLevel: 3, description: 'DICOM loopback' },
  ],
  conduits: [
    { name: 'adt-feed', from: 'ehr', to: 'clinical', services: [{ protocol: 'hl7', transport: 'tcp', ports: [2575] }] },
    { name: 'results', from: 'clinical', to: 'imaging', bidirectional: true, services: [{ protocol: 'dicom', ports: [104, '11112-11113'] }] },
  ],
};

describe.skipIf(skipReason !== undefined)('zones panel with a monitoring policy in headless Chromium', () => {
  let dataDir: string;
  let running: RunningServer;
  let browser: BrowserSession;
  let page: BrowserPage;

  beforeAll(async () => {
    ensureWebBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'careguard-web-e2e-zones-'));
    const policy = join(dataDir, 'policy.json');
    writeFileSync(policy, JSON.stringify(POLICY));
    running = await startServer({ dbUrl: join(dataDir, 'careguard.db'), dataDir, host: '127.0.0.1', port: 0, logLevel: 'warn', demoDevices: 0, webRoot, netmonPolicyPath: policy }, {});
    browser = await openBrowser();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await running?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const url = () => running.url.replace(/\/$/, '');
  async function apiGet<T>(path: string): Promise<T> {
    const res = await browser.context.request.get(`${url()}/api/v1${path}`);
    if (!res.ok()) throw new Error(`GET ${path} answered ${res.status()}: ${await res.text()}`);
    return (await res.json()) as T;
  }

  it('lists zones, conduits and the observed-versus-allowed traffic per zone pair as GET /netmon/zones answers', async () => {
    await page.goto(`${url()}/`);
    await page.waitForSelector('#login-username', WAIT);
    await page.fill('#login-username', 'admin');
    await page.fill('#login-password', running.adminPassword ?? '');
    await page.click('button[type="submit"]');
    await page.waitForSelector('[data-testid="current-user"]', WAIT);
    const me = await apiGet<{ csrfToken: string }>('/auth/me');
    for (const file of [DICOM_PCAP, HL7_PCAP]) {
      const name = file.split('/').pop() ?? 'capture.pcap';
      const res = await browser.context.request.post(`${url()}/api/v1/netmon/captures?name=${encodeURIComponent(name)}`, {
        headers: { 'x-csrf-token': me.csrfToken, 'content-type': 'application/vnd.tcpdump.pcap' },
        data: readFileSync(file),
      });
      expect(res.status()).toBe(201);
    }

    await page.goto(`${url()}/#/network`);
    await page.waitForSelector('[data-testid="observed-table"] tbody tr', WAIT);
    const zones = await apiGet<ZoneReport>('/netmon/zones');
    expect(await page.$$eval('[data-testid="zone-table"] tbody tr', (rows) => rows.map((r) => [r.getAttribute('data-zone'), r.querySelector('[data-col="cidrs"]')?.textContent, r.querySelector('[data-col="securityLevel"]')?.textContent]))).toEqual(
      zones.zones.map((z) => [z.name, z.cidrs.join(''), z.securityLevel === undefined ? '—' : `SL ${z.securityLevel}`]),
    );
    expect(await page.$$eval('[data-testid="conduit-table"] tbody tr', (rows) => rows.map((r) => r.getAttribute('data-conduit')))).toEqual(zones.conduits.map((c) => c.name));
    expect(await page.textContent('[data-testid="conduit-table"] tr[data-conduit="adt-feed"]')).toContain('HL7 TCP port 2575');

    const observed = await page.$$eval('[data-testid="observed-table"] tbody tr', (rows) =>
      rows.map((r) => [r.getAttribute('data-from'), r.getAttribute('data-to'), ...['flows', 'allowed', 'denied', 'unjudged'].map((c) => r.querySelector(`[data-col="${c}"]`)?.textContent)].join(' ')),
    );
    const expected = [...zones.observed].sort((a, b) => b.deniedFlows - a.deniedFlows || b.flows - a.flows || a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
    expect(observed).toEqual(expected.map((p) => [p.from, p.to, n(p.flows), n(p.allowedFlows), n(p.deniedFlows), n(p.unjudgedFlows)].join(' ')));
    const hl7 = zones.observed.find((p) => p.from === 'clinical' && p.to === 'ehr');
    expect(hl7?.deniedFlows).toBeGreaterThan(0);
    expect(await page.textContent('[data-testid="observed-table"] tr[data-from="clinical"][data-to="ehr"] [data-col="denied-services"]')).toContain(hl7?.denied[0]?.service ?? '?');
    expect(await page.textContent('[data-testid="observed-in"]')).toContain(zones.observedIn?.name ?? '?');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SCREENSHOTS, 'netmon-09-zones.png'), fullPage: true });
  });

  it('opens the map of a zone from the zones panel, with zone names under the nodes', async () => {
    await page.click('[data-testid="zone-table"] tr[data-zone="clinical"] a');
    await page.waitForSelector('[data-testid="map-page"] [data-testid="map-view"][data-loaded="true"]', WAIT);
    expect(page.url()).toContain('zone=clinical');
    const map = await apiGet<CommunicationMap>(`/netmon/map?zone=clinical&hops=0&limit=${MAP_EDGE_LIMIT}`);
    expect(await page.$$eval('[data-testid="map-page"] svg a.netnode', (as) => as.map((a) => [a.getAttribute('data-ip'), a.getAttribute('data-focus')].join(' ')).sort())).toEqual(
      map.nodes.map((x) => [x.ip, String(x.focus)].join(' ')).sort(),
    );
    for (const node of map.nodes.filter((x) => x.zone)) {
      expect(await page.textContent(`[data-testid="map-page"] svg a.netnode[data-ip="${node.ip}"] .netnode__sub`)).toContain(node.zone);
    }
    expect(await page.inputValue('#map-kind')).toBe('zone');
    expect(await page.inputValue('#map-value')).toBe('clinical');
    await page.check('.netmap__toggle input');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SCREENSHOTS, 'netmon-10-zone-map.png'), fullPage: true });
  });

  it('raised no console errors, uncaught exceptions or CSP violations', () => {
    expect(browser.problems).toEqual([]);
  });
});

describe.skipIf(skipReason !== undefined)('capture directory watch in headless Chromium', () => {
  let dataDir: string;
  let running: RunningServer;
  let browser: BrowserSession;
  let page: BrowserPage;

  beforeAll(async () => {
    ensureWebBuilt();
    mkdirSync(SCREENSHOTS, { recursive: true });
    dataDir = mkdtempSync(join(tmpdir(), 'careguard-web-e2e-watch-'));
    const captures = join(dataDir, 'captures');
    mkdirSync(captures);
    // two files of a ring: the older (by first packet) is complete and ingested, the newer waits
    writeFileSync(join(captures, 'cap.pcap'), readFileSync(DICOM_PCAP));
    writeFileSync(join(captures, 'cap.pcap2'), readFileSync(HL7_PCAP));
    running = await startServer({ dbUrl: join(dataDir, 'careguard.db'), dataDir, host: '127.0.0.1', port: 0, logLevel: 'warn', demoDevices: 0, webRoot, netmonCaptureDir: captures, netmonCapturePollMs: 100 }, {});
    browser = await openBrowser();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await running?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the watch with its directory, counts and last file as GET /netmon/capture-watch answers, and lists the file it ingested', async () => {
    const url = running.url.replace(/\/$/, '');
    await signInAs(page, url, 'admin', running.adminPassword ?? '', WAIT);
    const apiGet = async <T,>(path: string): Promise<T> => (await (await browser.context.request.get(`${url}/api/v1${path}`)).json()) as T;
    let status = await apiGet<CaptureWatchStatus>('/netmon/capture-watch');
    const deadline = Date.now() + 20_000;
    while (!(status.enabled && status.filesIngested === 1 && status.state === 'watching') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      status = await apiGet<CaptureWatchStatus>('/netmon/capture-watch');
    }
    if (!status.enabled) throw new Error('the capture watch is not enabled');
    expect(status.filesIngested).toBe(1);
    await page.goto(`${url}/#/network`);
    await page.waitForSelector('[data-testid="capture-watch"][data-state="watching"] .deflist', WAIT);
    const rows = await page.$$eval('[data-testid="capture-watch"] .deflist__row', (rs) => rs.map((r): [string, string] => [r.querySelector('dt')?.textContent ?? '', r.querySelector('dd')?.textContent ?? '']));
    const byName = new Map(rows);
    expect(byName.get('Directory')).toBe(status.directory);
    expect(byName.get('Files')).toBe('1 ingested · 0 skipped · 0 failed');
    expect(byName.get('Packets')).toBe(n(status.packetsIngested));
    expect(status.filesWaiting).toBe(0);
    expect(byName.get('Waiting')).toBe('none: ingest keeps up with the capture');
    const last = status.lastFile?.path.split('/').pop() ?? '?';
    expect(byName.get('Last file')).toContain(`${last}: ingested at `);
    expect(await page.textContent('[data-testid="capture-watch"] .badge')).toBe('Waiting for the next completed file');
    // the ingested file is a capture like any other
    await page.waitForSelector('[data-testid="capture-table"] tbody tr', WAIT);
    expect(await page.textContent('[data-testid="capture-table"]')).toContain(last);
    await page.screenshot({ path: join(SCREENSHOTS, 'netmon-11-capture-watch.png'), fullPage: true });
  });

  it('lists the segments of a live capture recorded at checkpoints, and says on one where it stands in its run', async () => {
    // `netmon ingest -` from tcpdump, through the service the CLI runs, into the server's database
    const c = await createContainer(loadConfig({ CAREGUARD_DATA_DIR: dataDir, CAREGUARD_LOG_LEVEL: 'warn' } as NodeJS.ProcessEnv));
    let summary: Awaited<ReturnType<typeof c.netmon.ingestSegmented>>;
    try {
      summary = await c.netmon.ingestSegmented({ bytes: chunked(segmentCapture(5).bytes, 64), name: 'stdin' }, { checkpointSeconds: 60 }, systemActor('tcpdump pipe'));
    } finally {
      await c.close();
    }
    expect(summary.segments).toBeGreaterThanOrEqual(5);
    const url = running.url.replace(/\/$/, '');
    await page.goto(`${url}/#/network`);
    await page.reload();
    const firstId = summary.captureIds[0] ?? '';
    const lastId = summary.captureIds.at(-1) ?? '';
    await page.waitForSelector(`[data-testid="capture-table"] tr[data-capture-id="${lastId}"]`, WAIT);
    expect(await page.textContent(`[data-testid="capture-table"] tr[data-capture-id="${firstId}"] .cell-sub`)).toMatch(/^segment 1 · /);
    expect(await page.textContent(`[data-testid="capture-table"] tr[data-capture-id="${lastId}"] .cell-sub`)).toMatch(new RegExp(`^segment ${summary.segments} \\(last\\) · `));
    await page.click(`[data-testid="capture-table"] tr[data-capture-id="${summary.captureIds[1] ?? ''}"] th a`);
    await page.waitForSelector('.deflist__row dt:text("Checkpoint")', WAIT);
    const rows = new Map(await page.$$eval('.deflist__row', (rs) => rs.map((r): [string, string] => [r.querySelector('dt')?.textContent ?? '', r.querySelector('dd')?.textContent ?? ''])));
    expect(rows.get('Checkpoint')).toMatch(new RegExp(`^segment 2 of run ${summary.session}, frames from [\\d,]+: 1 open flow carried in from the segment before; 1 open flow carried on into the next$`));
    await page.screenshot({ path: join(SCREENSHOTS, 'netmon-12-capture-segment.png'), fullPage: true });
  });

  it('raised no console errors, uncaught exceptions or CSP violations', () => {
    expect(browser.problems).toEqual([]);
  });
});
