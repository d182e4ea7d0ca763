/**
 * @module `npm run bench`: runs every pipeline benchmark on generated data at realistic scale and
 * prints throughput, memory and the ratio against a reference measured in the same run.
 * Select with `npm run bench -- --only import,search`; scale with `--devices N`, `--audit-entries N`,
 * `--capture-mb N`, `--ingest-capture-mb N`, `--vuln-products N`, `--advisories N`.
 * Each benchmark runs in its own child process so peak RSS figures do not contaminate each other.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

type BenchResult = Record<string, number | string>;

interface BenchSpec {
  name: string;
  run: (args: Args) => Promise<BenchResult>;
}

interface Args {
  only?: string[];
  devices: number;
  auditEntries: number;
  captureMb: number;
  ingestCaptureMb: number;
  advisories: number;
  vulnProducts: number;
}

const BENCHES: BenchSpec[] = [
  { name: 'import', run: async (a) => (await import('./import.bench.js')).benchImport({ devices: a.devices }) },
  { name: 'find-by-ips', run: async () => (await import('./devices-ips.bench.js')).benchFindByIps({ devices: 20_000, pgUrl: process.env.CAREGUARD_BENCH_PG }) },
  { name: 'search', run: async (a) => (await import('./search.bench.js')).benchSearch({ devices: a.devices }) },
  { name: 'audit', run: async (a) => (await import('./audit.bench.js')).benchAudit({ entries: a.auditEntries }) },
  { name: 'capture', run: (a) => onGeneratedCapture(a.captureMb, async (file) => (await import('./netmon-capture.bench.js')).benchCapture({ file, tshark: true })) },
  { name: 'netmon-ingest', run: (a) => onGeneratedCapture(a.ingestCaptureMb, async (file) => (await import('./netmon-ingest.bench.js')).benchNetmonIngest({ file })) },
  { name: 'flowlogs', run: async () => (await import('./flowlogs.bench.js')).benchFlowLogs({ flows: 200_000 }) },
  { name: 'vulns-store', run: async (a) => (await import('./vulns-store.bench.js')).benchVulnsStore({ products: a.vulnProducts, componentsPerProduct: 300, advisories: a.advisories, devices: 10_000 }) },
  { name: 'vulns-match', run: async (a) => (await import('./vulns-match.bench.js')).benchVulnsMatch({ products: a.vulnProducts, componentsPerProduct: 300, advisories: a.advisories }) },
];

/**
 * Runs `measure` on a mixed medical-traffic capture of `mb` MB (distinct endpoints), removed after.
 * The capture is written by a process of its own: generating it here would leave this process a
 * grown heap that the peak-RSS figure and the timings would carry.
 */
async function onGeneratedCapture(mb: number, measure: (file: string) => Promise<BenchResult>): Promise<BenchResult> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'cg-bench-capture-'));
  try {
    const file = join(dir, 'mixed.pcap');
    const script = join(dirname(fileURLToPath(import.meta.url)), '../scripts/gen-capture.ts');
    const gen = spawnSync(process.execPath, ['--import', 'tsx', script, '--size-mb', String(mb), '--out', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (gen.status !== 0) throw new Error(`generating the capture failed (exit ${gen.status})`);
    const { bytes } = JSON.parse(gen.stdout.trim().split('\n').pop() ?? '{}') as { bytes: number };
    return { 'capture size (MB)': bytes / 1e6, ...(await measure(file)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function parseArgs(argv: string[]): Args & { child?: string } {
  const get = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const only = get('--only');
  const child = get('--child');
  return {
    ...(only ? { only: only.split(',') } : {}),
    ...(child ? { child } : {}),
    devices: Number(get('--devices') ?? 100_000),
    auditEntries: Number(get('--audit-entries') ?? 1_000_000),
    captureMb: Number(get('--capture-mb') ?? 1024),
    ingestCaptureMb: Number(get('--ingest-capture-mb') ?? 200),
    advisories: Number(get('--advisories') ?? 200_000),
    vulnProducts: Number(get('--vuln-products') ?? 500),
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args.child) {
    const spec = BENCHES.find((b) => b.name === args.child);
    if (!spec) throw new Error(`unknown benchmark ${args.child}`);
    const result = await spec.run(args);
    process.stdout.write(`\n@@RESULT ${JSON.stringify(result)}\n`);
    return;
  }
  const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  console.log(`CareGuard benchmarks on ${machine}\n`);
  const all: Record<string, BenchResult> = {};
  const self = fileURLToPath(import.meta.url);
  for (const spec of BENCHES) {
    if (args.only && !args.only.includes(spec.name)) continue;
    console.log(`== ${spec.name}`);
    const res = spawnSync(process.execPath, ['--import', 'tsx', self, ...process.argv.slice(2), '--child', spec.name], {
      stdio: ['ignore', 'pipe', 'inherit'],
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const out = res.stdout ?? '';
    process.stdout.write(out.replace(/\n@@RESULT .*\n?/, '\n'));
    const line = out.split('\n').find((l) => l.startsWith('@@RESULT '));
    if (res.status !== 0 || !line) {
      console.log(`   FAILED (exit ${res.status})\n`);
      all[spec.name] = { error: `exit ${res.status}` };
      continue;
    }
    const result = JSON.parse(line.slice('@@RESULT '.length)) as BenchResult;
    all[spec.name] = result;
    for (const [k, v] of Object.entries(result)) console.log(`   ${k.padEnd(38)} ${typeof v === 'number' ? fmt(v) : v}`);
    console.log('');
  }
  const outDir = join(dirname(self), 'out');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'results.json'), JSON.stringify({ machine, date: new Date().toISOString(), results: all }, null, 2));
  console.log(`results written to bench/out/results.json`);
}

function fmt(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

await main();
