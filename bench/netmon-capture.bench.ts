/**
 * @module Capture ingest benchmark: reading the bytes alone, framing packets, decode + flow tracking
 * + TCP reassembly, and the whole pipeline with every dissector (and with only DICOM and HL7), in MB/s
 * and packets/s on one core, cold (first pass) and steady state (best of --runs later passes), with
 * peak RSS; optionally tshark extracting DICOM and HL7 fields from the same file.
 * Standalone: `tsx bench/netmon-capture.bench.ts --file big.pcap [--tshark] [--runs 5]`
 * (measures the compiled build when it is up to date: `npm run build:server` first; see compiled.ts).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { codeUnderTest, loadModule } from './compiled.js';

type CaptureModule = typeof import('../src/netmon/capture/index.js');
type DissectorsModule = typeof import('../src/netmon/dissectors/index.js');
type DicomModule = typeof import('../src/netmon/dissectors/dicom/dissector.js');
type Hl7Module = typeof import('../src/netmon/dissectors/hl7/dissector.js');
type PipelineModule = typeof import('../src/netmon/pipeline/read-capture.js');

const MB = 1_000_000;
const round = (n: number, d = 1) => Math.round(n * 10 ** d) / 10 ** d;

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

/**
 * `runs` passes per configuration after a first, cold one; steady-state throughput is the best of
 * the later passes. Both are reported, each against tshark.
 */
export async function benchCapture(opts: { file: string; tshark?: boolean; runs?: number }): Promise<Record<string, number | string>> {
  const size = statSync(opts.file).size;
  const runs = opts.runs ?? DEFAULT_RUNS;
  // The code `careguard` runs (tsc's build), loaded before the RSS sampling starts.
  const code = codeUnderTest();
  const { CaptureParser, recycledFileSource } = await loadModule<CaptureModule>('netmon/capture/index.ts');
  const { createDispatcher, Registry } = await loadModule<DissectorsModule>('netmon/dissectors/index.ts');
  const { dicomDissector } = await loadModule<DicomModule>('netmon/dissectors/dicom/dissector.ts');
  const { hl7Dissector } = await loadModule<Hl7Module>('netmon/dissectors/hl7/dissector.ts');
  const { readCaptureFile } = await loadModule<PipelineModule>('netmon/pipeline/read-capture.ts');
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);

  const read = await best(runs, async () => {
    let n = 0;
    for await (const chunk of recycledFileSource(opts.file)) n += chunk.length;
    return n;
  });
  const parse = await best(runs, async () => {
    let packets = 0;
    const parser = new CaptureParser(() => packets++);
    for await (const chunk of recycledFileSource(opts.file)) parser.push(chunk);
    parser.end();
    return packets;
  });
  // The full pipeline the product runs: decode, flows, content detection and every dissector.
  let observations = 0;
  const countObservation = () => {
    observations++;
  };
  const dissectOnce = () => readCaptureFile(opts.file, { onFlowStart: (key) => createDispatcher(key, countObservation) });
  const cold = await timed(dissectOnce);
  const observationsPerPass = observations;
  let delivered = 0;
  const full = await best(runs, () =>
    readCaptureFile(opts.file, {
      onFlowStart: () => ({
        onData: (_dir, d) => {
          delivered += d.length;
        },
      }),
    }),
  );
  const dissected = await best(runs, dissectOnce);
  // The same pass with only the DICOM and HL7 dissectors: exactly the fields the tshark reference extracts.
  let dicomHl7Observations = 0;
  const dicomHl7 = new Registry([dicomDissector, hl7Dissector]);
  const dicomHl7Only = await best(runs, () => readCaptureFile(opts.file, { onFlowStart: (key) => dicomHl7.createDispatcher(key, () => dicomHl7Observations++) }));
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const stats = full.value;

  const result: Record<string, number | string> = {
    file: opts.file,
    codeUnderTest: code.kind === 'compiled' ? 'compiled build (dist/)' : `source through tsx: ${code.reason ?? ''}`,
    sizeMB: round(size / MB),
    packets: stats.packets,
    flows: stats.flows.flowsCreated,
    peakActiveFlows: stats.flows.peakActiveFlows,
    runsPerConfiguration: runs,
    reassembledMBPerPass: round(delivered / runs / MB),
    readOnlyMBps: round(size / MB / read.seconds),
    readOnlyMBpsCpu: round(size / MB / read.cpuSeconds),
    parseMBps: round(size / MB / parse.seconds),
    parsePacketsPerSec: Math.round(parse.value / parse.seconds),
    pipelineMBps: round(size / MB / full.seconds),
    pipelinePacketsPerSec: Math.round(stats.packets / full.seconds),
    pipelineSeconds: round(full.seconds, 2),
    pipelineCpuSeconds: round(full.cpuSeconds, 2),
    /** decode + flows as a share of reading the bytes alone (CPU time) */
    pipelineVsReadOnly: round(read.cpuSeconds / full.cpuSeconds, 3),
    dissectColdSeconds: round(cold.seconds, 2),
    dissectColdCpuSeconds: round(cold.cpuSeconds, 2),
    dissectMBps: round(size / MB / dissected.seconds),
    dissectPacketsPerSec: Math.round(dissected.value.packets / dissected.seconds),
    dissectSeconds: round(dissected.seconds, 2),
    dissectRunsSeconds: dissected.all.join(' '),
    dissectCpuSeconds: round(dissected.cpuSeconds, 2),
    dissectMBpsCpu: round(size / MB / dissected.cpuSeconds),
    dicomHl7OnlySeconds: round(dicomHl7Only.seconds, 2),
    dicomHl7OnlyRunsSeconds: dicomHl7Only.all.join(' '),
    dicomHl7OnlyCpuSeconds: round(dicomHl7Only.cpuSeconds, 2),
    dicomHl7OnlyObservations: dicomHl7Observations / runs,
    observations: observationsPerPass,
    peakRssMB: round(peakRss / 2 ** 20),
    maxRssMB: round(process.resourceUsage().maxRSS / 1024),
    peakBufferedMB: round(stats.flows.peakBufferedBytes / MB, 2),
    decodeErrors: Object.values(stats.decodeErrors).reduce((a, b) => a + b, 0),
    captureErrors: stats.captureErrors.length,
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
