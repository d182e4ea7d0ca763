/**
 * @module Seeds the demo's vulnerability data after the demo inventory: advisories (CSAF, NVD,
 * KEV, EPSS), products for every inventory model, and SBOMs for a few firmware images, all through
 * the same services and parsers as real data. Seeding twice changes nothing the second time.
 */
import type { Actor } from '../../core/index.js';
import { detectSource } from '../sources/index.js';
import type { Advisory } from '../model.js';
import type { VulnService } from '../service.js';
import { demoCsafAdvisories, demoEpss, demoKevCatalog, demoNvdBundle, demoSboms, type DemoDocument } from './documents.js';

export interface DemoVulnSeedResult {
  advisories: number;
  products: number;
  sboms: number;
  openedFindings: number;
  alerts: number;
}

export function parseDemoDocument(doc: DemoDocument): Advisory[] {
  const json: unknown = doc.name.endsWith('.json') ? JSON.parse(doc.text) : undefined;
  const plugin = detectSource({ filename: doc.name, head: doc.text.slice(0, 2048), ...(json === undefined ? {} : { json }) });
  if (!plugin) throw new Error(`no advisory parser accepts demo document ${doc.name}`);
  return plugin.parse(doc.text, `demo:${doc.name}`);
}

export async function seedDemoVulns(service: VulnService, actor: Actor): Promise<DemoVulnSeedResult> {
  const result: DemoVulnSeedResult = { advisories: 0, products: 0, sboms: 0, openedFindings: 0, alerts: 0 };
  const sync = await service.syncProductsFromInventory(actor);
  result.products = sync.products;
  result.openedFindings += sync.opened;
  result.alerts += sync.alerts;
  for (const doc of demoSboms()) {
    const r = await service.importSbom(doc.text, { file: doc.name }, actor);
    if (r.created) result.sboms++;
    result.openedFindings += r.opened;
    result.alerts += r.alerts;
  }
  for (const doc of [demoNvdBundle(), ...demoCsafAdvisories(), demoKevCatalog(), demoEpss()]) {
    const advisories = parseDemoDocument(doc);
    const r = await service.ingestAdvisories(advisories, actor, doc.name);
    result.advisories += r.inserted;
    result.openedFindings += r.opened;
    result.alerts += r.alerts;
  }
  return result;
}
