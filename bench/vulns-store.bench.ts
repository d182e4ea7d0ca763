/**
 * @module Vulnerability intelligence through the real service and SQLite (issue 3): 10,000 devices
 * on P product versions in the inventory, A advisories ingested (parsing measured separately as the
 * reference), then one SBOM of C components per product version imported (parse, store, match,
 * reconcile, score: components/s), a full re-match of every product, and one new advisory ingested
 * end to end (upsert, incremental re-match of the products it names, scoring, alerts).
 * Data comes from the same generators as vulns-match.bench.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertService } from '../src/alerts/index.js';
import { AuditService, generateSigningKey } from '../src/audit/index.js';
import { systemActor, systemClock } from '../src/core/index.js';
import { InventoryService, type DeviceReport } from '../src/inventory/index.js';
import { clinicalRiskScorer } from '../src/main/vulns-risk.js';
import { migrateToLatest, openDatabase } from '../src/storage/index.js';
import { createAlertRepository } from '../src/storage/repositories/alerts.js';
import { createAuditRepository } from '../src/storage/repositories/audit.js';
import { KyselyDeviceRepository } from '../src/storage/repositories/devices.js';
import { createVulnRepository } from '../src/storage/repositories/vulns.js';
import { createVulnCapability } from '../src/vulns/capability.js';
import { csafSource, nvdSource, osvSource, type Advisory } from '../src/vulns/index.js';
import { components, csafText, lineName, nvdPage, osvText, PACKAGES, rng, skewed, VENDORS } from './vulns-match.bench.js';

const actor = systemActor('bench');
const round = (n: number) => Math.round(n * 10) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export async function benchVulnsStore(opts: { products: number; componentsPerProduct: number; advisories: number; devices: number }): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'cg-bench-vulns-'));
  const h = await openDatabase(join(dir, 'bench.db'));
  let peakRss = 0;
  const sample = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  try {
    await migrateToLatest(h);
    const clock = systemClock;
    const audit = new AuditService({ repo: createAuditRepository(h.db, h.dialect), signingKey: generateSigningKey(), clock });
    const inventory = new InventoryService({ repo: new KyselyDeviceRepository(h), audit, clock });
    const alerts = new AlertService({ repo: createAlertRepository(h.db, h.dialect), audit, clock });
    const vulns = createVulnCapability({ repo: createVulnRepository(h.db, h.dialect), audit, alerts, inventory, clock, scorer: clinicalRiskScorer, policy: { alertThreshold: 100 } });

    // 1. Inventory: devices spread over the product versions.
    const perProduct = Math.max(1, Math.round(opts.devices / opts.products));
    const product = (p: number) => ({ manufacturer: VENDORS[Math.floor(p / 5) % VENDORS.length] as string, model: lineName(Math.floor(p / 5)), version: `${1 + (p % 5)}.${p % 10}` });
    const reports: DeviceReport[] = [];
    for (let p = 0; p < opts.products; p++) {
      for (let d = 0; d < perProduct; d++) {
        const { manufacturer, model, version } = product(p);
        const n = p * perProduct + d;
        reports.push({
          attributes: { name: `dev-${n}`, manufacturer, model, firmwareVersion: version, serialNumber: `SN${n}`, criticality: n % 7 === 0 ? 'life-supporting' : 'diagnostic', site: `Site ${n % 3}`, unit: `Unit ${n % 40}` },
          provenance: { source: 'bench', kind: 'import', confidence: 1, observedAt: '2026-01-01T00:00:00Z' },
        });
      }
    }
    for (let i = 0; i < reports.length; i += 2000) await inventory.applyReports(reports.slice(i, i + 2000), actor);

    // 2. Advisories: parse (reference), then ingest into the store.
    const r = rng(42);
    const lines = Math.max(1, Math.ceil(opts.products / 5));
    let parseMs = 0;
    let ingestMs = 0;
    let ingested = 0;
    const ingest = async (texts: string[], parse: (t: string, i: number) => Advisory[]) => {
      const t0 = performance.now();
      const batch = texts.flatMap((t, i) => parse(t, i));
      parseMs += performance.now() - t0;
      const t1 = performance.now();
      await vulns.service.ingestAdvisories(batch, actor, 'bench');
      ingestMs += performance.now() - t1;
      ingested += batch.length;
    };
    const nvdCount = Math.floor(opts.advisories * 0.05);
    const csafCount = Math.floor(opts.advisories * 0.05);
    const osvCount = opts.advisories - nvdCount - csafCount;
    for (let done = 0; done < osvCount; done += 5000) await ingest(Array.from({ length: Math.min(5000, osvCount - done) }, (_, k) => osvText(r, done + k, skewed(r, PACKAGES, 1.3))), (t, i) => osvSource.parse(t, `osv-${i}.json`));
    for (let done = 0; done < nvdCount; done += 100) await ingest([nvdPage(r, done, Math.min(100, nvdCount - done))], (t) => nvdSource.parse(t, 'nvd.json'));
    for (let n = 0; n < csafCount; n += 1000) await ingest(Array.from({ length: Math.min(1000, csafCount - n) }, (_, k) => csafText(r, n + k, lines)), (t, i) => csafSource.parse(t, `csaf-${i}.json`));

    // 3. SBOM import: one CycloneDX document per product version.
    let sbomMs = 0;
    let opened = 0;
    let componentsTotal = 0;
    for (let p = 0; p < opts.products; p++) {
      const { manufacturer, model, version } = product(p);
      const comps = components(Math.floor(p / 5), p % 5, opts.componentsPerProduct);
      const doc = JSON.stringify({
        bomFormat: 'CycloneDX',
        specVersion: '1.6',
        version: 1,
        metadata: { component: { type: 'firmware', 'bom-ref': 'fw', name: model, version, supplier: { name: manufacturer } } },
        components: comps.map((c) => ({ type: c.type, 'bom-ref': c.ref, name: c.name, version: c.version, ...(c.purl ? { purl: c.purl } : {}), ...(c.cpes[0] ? { cpe: c.cpes[0] } : {}) })),
      });
      const t0 = performance.now();
      const res = await vulns.service.importSbom(doc, { file: `sbom-${p}.json` }, actor);
      sbomMs += performance.now() - t0;
      opened += res.opened;
      componentsTotal += comps.length;
    }

    // 4. Full re-match of every product against the whole store.
    let t0 = performance.now();
    const full = await vulns.service.rematchAll(actor);
    const fullMs = performance.now() - t0;

    // 5. One new advisory, end to end.
    const incremental: number[] = [];
    for (let k = 0; k < 11; k++) {
      const [a] = osvSource.parse(osvText(rng(900 + k), 900_000 + k, k * 3 + 1), 'new.json');
      t0 = performance.now();
      await vulns.service.ingestAdvisories([a as Advisory], actor, 'new');
      incremental.push(performance.now() - t0);
    }
    return {
      devices: reports.length,
      'product versions': opts.products,
      advisories: ingested,
      'parse advisories, reference (ms)': Math.round(parseMs),
      'ingest advisories into SQLite (ms)': Math.round(ingestMs),
      'SBOM components imported': componentsTotal,
      'SBOM ingest incl. matching (components/s)': Math.round(componentsTotal / (sbomMs / 1000)),
      'findings opened by SBOM imports': opened,
      'full re-match of all products (ms)': Math.round(fullMs),
      'full re-match / advisory parse (ratio)': round(fullMs / parseMs),
      'findings after full re-match (opened+refreshed)': full.opened + full.refreshed,
      'one new advisory end to end, median (ms)': round(median(incremental)),
      'one new advisory end to end, max (ms)': round(Math.max(...incremental)),
      'peak RSS (MB)': Math.round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 1e6),
    };
  } finally {
    clearInterval(sample);
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
