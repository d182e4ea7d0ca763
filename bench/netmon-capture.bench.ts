/**
 * @module Capture ingest benchmark: reading the bytes alone, framing packets, decode + flow tracking
 * + TCP reassembly, and the whole pipeline with every dissector (and with only DICOM and HL7), in MB/s
 * and packets/s on one core, cold (first pass) and steady state (best of --runs later passes), with
 * peak RSS; then the whole analysis `netmon report` makes (discovery, baselines, detections), cold and
 * steady; optionally tshark extracting DICOM and HL7 fields from the same file.
 * The passes run in a process of their own (capture-passes.mjs): plain `node` on the compiled build,
 * as `careguard` runs it, or the source through tsx when the build is missing or stale (compiled.ts).
 * Standalone: `tsx bench/netmon-capture.bench.ts --file big.pcap [--tshark] [--runs 5]`
 * (`npm run build:server` first to measure the build).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { codeUnderTest } from './compiled.js';

const MB = 1_000_000;
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Wall-clock and CPU seconds (user + system of this process): CPU time is what one core spent, even on a busy machine. */
async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; cpuSeconds: number; value: T }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6, value };
}

/** Seconds of each of `runs` passes (wall and CPU), and the best (lowest wall) of them. */
async function best<T>(runs: number, fn: () => Promise<T>): Promise<{ seconds: number; cpuSeconds: number; value: T; all: number[] }> {
  let top: { seconds: number; cpuSeconds: number; value: T } | undefined;
  const all: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = await timed(fn);
    all.push(round(t.seconds, 2));
    if (top === undefined || t.seconds < top.seconds) top = t;
  }
  return { ...(top as { seconds: number; cpuSeconds: number; value: T }), all };
}

/**
 * Passes per configuration after the first, cold one. The first pass in a process pays for compiling
 * the hot code (0.4-0.5 s on the 1 GB file), which a monitor running for months pays once, and the
 * optimizing compiler goes on working on the dissectors over the next two or three passes (CPU time
 * 0.2-0.3 s above wall time: its background threads); from the fourth on a pass is in steady state.
 */
const DEFAULT_RUNS = 5;
/** passes of the whole analysis (2.5-4 s each on the 1 GB file), the first of them cold */
const ANALYSIS_RUNS = 4;

interface Pass {
  seconds: number;
  cpuSeconds: number;
}

/** What capture-passes.mjs prints. */
interface Passes {
  read: Pass[];
  parse: Pass[];
  parsePackets: number;
  full: Pass[];
  cold: Pass;
  dissect: Pass[];
  dissectPackets: number;
  dicomHl7Only: Pass[];
  observations: number;
  dicomHl7Observations: number;
  deliveredPerPass: number;
  packets: number;
  flows: number;
  peakActiveFlows: number;
  peakBufferedBytes: number;
  decodeErrors: number;
  captureErrors: number;
  peakRss: number;
  maxRss: number;
}

/** the pass of lowest wall time, and every pass's wall time (2 decimals) */
function bestOf(passes: Pass[]): Pass & { all: string } {
  const top = passes.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return { ...top, all: passes.map((p) => round(p.seconds, 2)).join(' ') };
}

/** What analysis-passes.mjs prints. */
interface AnalysisPasses {
  passes: Pass[];
  packets: number;
  devices: number;
  detections: number;
  observations: number;
  firstPassPeakRss: number;
  peakRss: number;
}

/** A passes script in a child process: plain node on the build, or node with tsx on the source. */
function runPassesScript<T>(name: string, file: string, runs: number, compiled: boolean): T {
  const script = join(ROOT, 'bench', name);
  const args = compiled ? [script, join(ROOT, 'dist'), file, String(runs)] : ['--import', 'tsx', script, join(ROOT, 'src'), file, String(runs)];
  const out = execFileSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(out) as T;
}

/**
 * `runs` passes per configuration after a first, cold one; steady-state throughput is the best of
 * the later passes. Both are reported, each against tshark.
 */
export async function benchCapture(opts: { file: string; tshark?: boolean; runs?: number }): Promise<Record<string, number | string>> {
  const size = statSync(opts.file).size;
  const runs = opts.runs ?? DEFAULT_RUNS;
  const code = codeUnderTest();
  const p = runPassesScript<Passes>('capture-passes.mjs', opts.file, runs, code.kind === 'compiled');
  // The whole analysis `netmon report` makes (discovery, baselines, detections, devices): the first
  // pass cold, as a single report run pays it, then steady state.
  const a = runPassesScript<AnalysisPasses>('analysis-passes.mjs', opts.file, Math.min(runs, ANALYSIS_RUNS), code.kind === 'compiled');
  const analysisCold = a.passes[0] as Pass;
  const analysis = bestOf(a.passes.slice(1));
  const read = bestOf(p.read);
  const parse = bestOf(p.parse);
  const full = bestOf(p.full);
  const dissected = bestOf(p.dissect);
  const dicomHl7Only = bestOf(p.dicomHl7Only);
  const cold = p.cold;

  const result: Record<string, number | string> = {
    file: opts.file,
    codeUnderTest: code.kind === 'compiled' ? 'compiled build (dist/), plain node in a process of its own' : `source through tsx: ${code.reason ?? ''}`,
    sizeMB: round(size / MB),
    packets: p.packets,
    flows: p.flows,
    peakActiveFlows: p.peakActiveFlows,
    runsPerConfiguration: runs,
    reassembledMBPerPass: round(p.deliveredPerPass / MB),
    readOnlyMBps: round(size / MB / read.seconds),
    readOnlyMBpsCpu: round(size / MB / read.cpuSeconds),
    parseMBps: round(size / MB / parse.seconds),
    parsePacketsPerSec: Math.round(p.parsePackets / parse.seconds),
    pipelineMBps: round(size / MB / full.seconds),
    pipelinePacketsPerSec: Math.round(p.packets / full.seconds),
    pipelineSeconds: round(full.seconds, 2),
    pipelineCpuSeconds: round(full.cpuSeconds, 2),
    /** decode + flows as a share of reading the bytes alone (CPU time) */
    pipelineVsReadOnly: round(read.cpuSeconds / full.cpuSeconds, 3),
    dissectColdSeconds: round(cold.seconds, 2),
    dissectColdCpuSeconds: round(cold.cpuSeconds, 2),
    dissectMBps: round(size / MB / dissected.seconds),
    dissectPacketsPerSec: Math.round(p.dissectPackets / dissected.seconds),
    dissectSeconds: round(dissected.seconds, 2),
    dissectRunsSeconds: dissected.all,
    dissectCpuSeconds: round(dissected.cpuSeconds, 2),
    dissectMBpsCpu: round(size / MB / dissected.cpuSeconds),
    dicomHl7OnlySeconds: round(dicomHl7Only.seconds, 2),
    dicomHl7OnlyRunsSeconds: dicomHl7Only.all,
    dicomHl7OnlyCpuSeconds: round(dicomHl7Only.cpuSeconds, 2),
    dicomHl7OnlyObservations: p.dicomHl7Observations,
    observations: p.observations,
    peakRssMB: round(p.peakRss / 2 ** 20),
    maxRssMB: round(p.maxRss / 2 ** 20),
    peakBufferedMB: round(p.peakBufferedBytes / MB, 2),
    analysisColdSeconds: round(analysisCold.seconds, 2),
    analysisSeconds: round(analysis.seconds, 2),
    analysisRunsSeconds: analysis.all,
    analysisCpuSeconds: round(analysis.cpuSeconds, 2),
    analysisMBps: round(size / MB / analysis.seconds),
    analysisPacketsPerSec: Math.round(a.packets / analysis.seconds),
    analysisDevices: a.devices,
    analysisDetections: a.detections,
    // one report's memory; later passes run while V8 still holds the garbage of the one before
    analysisFirstPassPeakRssMB: round(a.firstPassPeakRss / 2 ** 20),
    analysisAllPassesPeakRssMB: round(a.peakRss / 2 ** 20),
    decodeErrors: p.decodeErrors,
    captureErrors: p.captureErrors,
  };
  const tsharkMissing = opts.tshark && spawnSync('tshark', ['-v'], { stdio: 'ignore' }).error !== undefined;
  if (tsharkMissing) result.tshark = 'not run: tshark is not installed (apt-get install -y tshark)';
  if (opts.tshark && !tsharkMissing) {
    const t = await timed(async () => execFileSync('tshark', ['-n', '-q', '-r', opts.file, '-z', 'conv,tcp'], { stdio: ['ignore', 'ignore', 'ignore'] }));
    result.tsharkConvSeconds = round(t.seconds, 2);
    // tshark runs in a child process: compare wall-clock times.
    result.speedupFlowsVsTsharkConv = round(t.seconds / full.seconds, 2);
    // The reference: tshark extracting the same DICOM and HL7 fields our dissectors report
    // (it dissects everything it knows to apply the filter). Best of two, like ours.
    const fields = await best(2, async () =>
      execFileSync(
        'tshark',
        ['-n', '-r', opts.file, '-d', 'tcp.port==11112,dicom', '-d', 'tcp.port==104,dicom', '-d', 'tcp.port==2575,hl7', '-Y', 'dicom.pdu.type==1 || hl7.message.type', '-T', 'fields', '-e', 'ip.src', '-e', 'dicom.assoc.ae.calling', '-e', 'dicom.assoc.ae.called', '-e', 'hl7.message.type'],
        { stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1024 * 1024 * 1024 },
      ),
    );
    result.tsharkDicomHl7FieldsSeconds = round(fields.seconds, 2);
    result.tsharkDicomHl7FieldsRunsSeconds = fields.all.join(' ');
    result.speedupVsTsharkFields = round(fields.seconds / dissected.seconds, 2);
    result.speedupVsTsharkFieldsColdPass = round(fields.seconds / cold.seconds, 2);
    result.speedupVsTsharkFieldsDicomHl7Only = round(fields.seconds / dicomHl7Only.seconds, 2);
    // what `netmon report` does beyond the fields tshark extracts: discovery, baselines, detections
    result.speedupVsTsharkFieldsWholeAnalysis = round(fields.seconds / analysis.seconds, 2);
    result.speedupVsTsharkFieldsWholeAnalysisCold = round(fields.seconds / analysisCold.seconds, 2);
  }
  return result;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({ options: { file: { type: 'string' }, tshark: { type: 'boolean', default: false }, runs: { type: 'string', default: String(DEFAULT_RUNS) } } });
  if (values.file === undefined) {
    console.error('usage: tsx bench/netmon-capture.bench.ts --file capture.pcap [--tshark] [--runs 5]');
    process.exit(2);
  }
  console.log(JSON.stringify(await benchCapture({ file: values.file, tshark: values.tshark, runs: Number(values.runs) }), null, 2));
}
