/**
 * The vulnerability commands end to end through runCli on a fresh SQLite database: advisories
 * import (files and a directory), sbom import, findings list/triage, scan with --fail-on and SARIF,
 * feeds sync over a path source, VEX export/import, risk summary, and bad input with exit 2.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/main.js';
import { demoCsafAdvisories, demoKevCatalog, demoNvdBundle, demoSboms } from '../../../src/vulns/demo/documents.js';

let dir: string;

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (b: Buffer) => (out += b.toString()));
  stderr.on('data', (b: Buffer) => (err += b.toString()));
  const code = await runCli(['node', 'careguard', '--db', join(dir, 'cg.db'), '--data-dir', dir, ...args], { stdout, stderr, isTTY: false });
  await new Promise((r) => setImmediate(r));
  return { code, out, err };
}

const sbom = demoSboms()[0]!;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cg-cli-vulns-'));
  mkdirSync(join(dir, 'feed'));
  writeFileSync(join(dir, 'nvd.json'), demoNvdBundle().text);
  writeFileSync(join(dir, 'sbom.cdx.json'), sbom.text);
  for (const d of demoCsafAdvisories().slice(0, 3)) writeFileSync(join(dir, 'feed', d.name), d.text);
  writeFileSync(join(dir, 'feed', 'known_exploited_vulnerabilities.json'), demoKevCatalog().text);
  writeFileSync(join(dir, 'feeds.json'), JSON.stringify({ sources: [{ name: 'local-csaf', kind: 'path', path: join(dir, 'feed') }] }));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('careguard vulnerability commands', () => {
  it('scans an SBOM against an empty store with exit 0, then imports advisories', async () => {
    const empty = await cli('scan', join(dir, 'sbom.cdx.json'), '--fail-on', 'low');
    expect(empty.code).toBe(0);
    expect(empty.out).toMatch(/0 findings in \d+ components/);
    const imported = await cli('advisories', 'import', join(dir, 'nvd.json'));
    expect(imported.code).toBe(0);
    expect(imported.out).toMatch(/1 documents, 8 advisories: 8 new/);
  });

  it('scan fails at the threshold (exit 1) and writes SARIF', async () => {
    const table = await cli('scan', join(dir, 'sbom.cdx.json'), '--fail-on', 'high');
    expect(table.code).toBe(1);
    expect(table.out).toMatch(/CVE-2099-0102/);
    const sarifFile = join(dir, 'scan.sarif');
    const sarif = await cli('scan', join(dir, 'sbom.cdx.json'), '--format', 'sarif', '--output', sarifFile);
    expect(sarif.code).toBe(0);
    const doc = JSON.parse(readFileSync(sarifFile, 'utf8'));
    expect(doc.version).toBe('2.1.0');
    expect(doc.runs[0].results.length).toBeGreaterThan(0);
    expect(doc.runs[0].tool.driver.rules.every((r: { properties: { 'security-severity': string } }) => Number(r.properties['security-severity']) > 0)).toBe(true);
  });

  it('imports the SBOM into a product, lists and triages findings', async () => {
    const imp = await cli('sbom', 'import', join(dir, 'sbom.cdx.json'), '--json');
    expect(imp.code).toBe(0);
    const result = JSON.parse(imp.out);
    expect(result.opened).toBeGreaterThan(0);
    const list = await cli('findings', 'list', '--product', result.product.id, '--json');
    const page = JSON.parse(list.out);
    expect(page.total).toBe(result.opened);
    const id = page.items[0].id;
    const tri = await cli('findings', 'triage', id, '--state', 'affected', '--action', 'update firmware');
    expect(tri.code).toBe(0);
    expect(tri.out).toMatch(/triaged 1 open finding as affected/);
    const bad = await cli('findings', 'triage', id, '--state', 'not_affected');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/triage.justification_required/);
    const vex = await cli('vex', 'export', '--product', result.product.id, '--format', 'openvex', '--output', join(dir, 'vex.json'));
    expect(vex.code).toBe(0);
    const back = await cli('vex', 'import', join(dir, 'vex.json'), '--json');
    expect(back.code).toBe(0);
    expect(JSON.parse(back.out).statements).toBeGreaterThan(0);
  });

  it('syncs a configured path feed and reports per source; a bad configuration exits 2 naming the pointer', async () => {
    const sync = await cli('feeds', 'sync', '--config', join(dir, 'feeds.json'), '--json');
    expect(sync.code).toBe(0);
    const report = JSON.parse(sync.out);
    expect(report.status).toBe('ok');
    expect(report.sources[0]).toMatchObject({ source: 'local-csaf', documents: 4 });
    writeFileSync(join(dir, 'bad-feeds.json'), JSON.stringify({ sources: [{ name: 'x', kind: 'ftp' }] }));
    const bad = await cli('feeds', 'check', '--config', join(dir, 'bad-feeds.json'));
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/\/sources\/0\/kind/);
    const summary = await cli('risk', 'summary', '--json');
    expect(JSON.parse(summary.out).openFindings).toBeGreaterThan(0);
  });

  it('rejects a broken SBOM with exit 2 and its location', async () => {
    writeFileSync(join(dir, 'broken.json'), '{"bomFormat":"CycloneDX","specVersion":"1.6",');
    const r = await cli('sbom', 'import', join(dir, 'broken.json'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/broken\.json/);
    expect(r.err).toMatch(/line 1/);
  });
});
