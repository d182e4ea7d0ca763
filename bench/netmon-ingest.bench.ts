/**
 * @module `netmon ingest` of a generated capture into a fresh SQLite database through the real
 * NetmonService (analysis, inventory, alerts, conversations, observations, baseline), then the same
 * capture again (every device and alert already there). Reference in the same run: the analysis
 * alone (`analyzeCapture`, what `netmon report` does), so the figures show what storing costs on
 * top of reading. Prints seconds, MB/s, devices and alerts per second, and peak RSS.
 * Standalone: `tsx bench/netmon-ingest.bench.ts --file cap.pcap` (the compiled build when up to date:
 * `npm run build:server` first).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { codeUnderTest, loadModule } from './compiled.js';

type CoreModule = typeof import('../src/core/index.js');
type ConfigModule = typeof import('../src/main/config.js');
type ContainerModule = typeof import('../src/main/container.js');
type ReportModule = typeof import('../src/netmon/report.js');

const MB = 1_000_000;
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

async function seconds<T>(fn: () => Promise<T>): Promise<{ s: number; value: T }> {
  const t0 = performance.now();
  const value = await fn();
  return { s: (performance.now() - t0) / 1000, value };
}

export async function benchNetmonIngest(opts: { file: string }): Promise<Record<string, number | string>> {
  const size = statSync(opts.file).size;
  // The code `careguard` runs (tsc's build) when it is up to date (compiled.ts).
  const code = codeUnderTest();
  const { systemActor } = await loadModule<CoreModule>('core/index.ts');
  const { loadConfig } = await loadModule<ConfigModule>('main/config.ts');
  const { createContainer } = await loadModule<ContainerModule>('main/container.ts');
  const { analyzeCapture } = await loadModule<ReportModule>('netmon/report.ts');
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  const dir = mkdtempSync(join(tmpdir(), 'cg-bench-netmon-ingest-'));
  try {
    // the reference first, which also compiles the analysis code both ingests run
    const analysis = await seconds(() => analyzeCapture(opts.file, {}));
    const c = await createContainer(loadConfig({ CAREGUARD_DATA_DIR: dir, CAREGUARD_LOG_LEVEL: 'warn' } as NodeJS.ProcessEnv));
    try {
      const actor = systemActor('bench');
      const first = await seconds(() => c.netmon.ingest(opts.file, { kind: 'capture' }, actor));
      const again = await seconds(() => c.netmon.ingest(opts.file, { kind: 'capture' }, actor));
      const r = first.value;
      const alerts = r.alerts.created + r.alerts.folded;
      return {
        file: opts.file,
        codeUnderTest: code.kind === 'compiled' ? 'compiled build (dist/)' : `source through tsx: ${code.reason ?? ''}`,
        sizeMB: round(size / MB, 1),
        packets: r.report.capture.packets,
        devicesReported: r.devices.reported,
        devicesCreated: r.devices.created,
        alerts,
        observations: r.report.capture.observations,
        analysisSeconds: round(analysis.s),
        ingestSeconds: round(first.s),
        ingestMBps: round(size / MB / first.s, 1),
        /** what storing adds on top of the analysis alone (report) */
        storeSeconds: round(first.s - analysis.s),
        ingestVsAnalysis: round(first.s / analysis.s),
        devicesPerSecStored: Math.round(r.devices.reported / Math.max(first.s - analysis.s, 1e-3)),
        reingestSeconds: round(again.s),
        reingestDevicesUnchanged: again.value.devices.unchanged,
        reingestAlertsFolded: again.value.alerts.folded,
        peakRssMB: round(peak / 2 ** 20, 0),
      };
    } finally {
      await c.close();
    }
  } finally {
    clearInterval(sampler);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({ options: { file: { type: 'string' } } });
  if (values.file === undefined) {
    console.error('usage: tsx bench/netmon-ingest.bench.ts --file capture.pcap');
    process.exit(2);
  }
  console.log(JSON.stringify(await benchNetmonIngest({ file: values.file }), null, 2));
}
