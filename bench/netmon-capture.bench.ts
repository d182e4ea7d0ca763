/**
 * @module Capture ingest benchmark: reading the bytes alone vs framing packets vs the whole
 * decode + flow-tracking + TCP-reassembly pipeline (with a consumer on every flow, standing in for
 * dissectors), in MB/s and packets/s on one core, with peak RSS. Optionally times tshark on the same
 * file. Standalone: `tsx bench/netmon-capture.bench.ts --file big.pcap [--tshark]`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { CaptureParser, recycledFileSource } from '../src/netmon/capture/index.js';
import { createDispatcher, Registry } from '../src/netmon/dissectors/index.js';
import { dicomDissector } from '../src/netmon/dissectors/dicom/dissector.js';
import { hl7Dissector } from '../src/netmon/dissectors/hl7/dissector.js';
import { readCaptureFile } from '../src/netmon/pipeline/read-capture.js';

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

export async function benchCapture(opts: { file: string; tshark?: boolean }): Promise<Record<string, number | string>> {
  const size = statSync(opts.file).size;

  const read = await timed(async () => {
    let n = 0;
    for await (const chunk of recycledFileSource(opts.file)) n += chunk.length;
    return n;
  });

  const parse = await timed(async () => {
    let packets = 0;
    const parser = new CaptureParser(() => packets++);
    for await (const chunk of recycledFileSource(opts.file)) parser.push(chunk);
    parser.end();
    return packets;
  });

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 20);
  let delivered = 0;
  const full = await timed(() =>
    readCaptureFile(opts.file, {
      onFlowStart: () => ({
        onData: (_dir, d) => {
          delivered += d.length;
        },
      }),
    }),
  );
  // The full pipeline the product runs: decode, flows, content detection and every dissector.
  let observations = 0;
  const countObservation = () => {
    observations++;
  };
  const dissected = await timed(() => readCaptureFile(opts.file, { onFlowStart: (key) => createDispatcher(key, countObservation) }));
  // The same pass with only the DICOM and HL7 dissectors: exactly the fields the tshark reference extracts.
  let dicomHl7Observations = 0;
  const dicomHl7 = new Registry([dicomDissector, hl7Dissector]);
  const dicomHl7Only = await timed(() => readCaptureFile(opts.file, { onFlowStart: (key) => dicomHl7.createDispatcher(key, () => dicomHl7Observations++) }));
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const stats = full.value;

  const result: Record<string, number | string> = {
    file: opts.file,
    sizeMB: round(size / MB),
    packets: stats.packets,
    flows: stats.flows.flowsCreated,
    peakActiveFlows: stats.flows.peakActiveFlows,
    reassembledMB: round(delivered / MB),
    readOnlyMBps: round(size / MB / read.seconds),
    parseMBps: round(size / MB / parse.seconds),
    parsePacketsPerSec: Math.round(parse.value / parse.seconds),
    pipelineMBps: round(size / MB / full.seconds),
    pipelinePacketsPerSec: Math.round(stats.packets / full.seconds),
    pipelineSeconds: round(full.seconds, 2),
    pipelineCpuSeconds: round(full.cpuSeconds, 2),
    pipelineMBpsCpu: round(size / MB / full.cpuSeconds),
    pipelinePacketsPerCpuSec: Math.round(stats.packets / full.cpuSeconds),
    readOnlyMBpsCpu: round(size / MB / read.cpuSeconds),
    /** pipeline throughput as a share of reading the bytes alone (CPU time) */
    pipelineVsReadOnly: round(read.cpuSeconds / full.cpuSeconds, 3),
    dissectMBps: round(size / MB / dissected.seconds),
    dissectPacketsPerSec: Math.round(dissected.value.packets / dissected.seconds),
    dissectCpuSeconds: round(dissected.cpuSeconds, 2),
    dissectMBpsCpu: round(size / MB / dissected.cpuSeconds),
    dicomHl7OnlySeconds: round(dicomHl7Only.seconds, 2),
    dicomHl7OnlyCpuSeconds: round(dicomHl7Only.cpuSeconds, 2),
    dicomHl7OnlyObservations: dicomHl7Observations,
    observations,
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
    result.tsharkSeconds = round(t.seconds, 2);
    // tshark runs in a child process: compare wall-clock times.
    result.speedupVsTshark = round(t.seconds / full.seconds, 2);
    // The reference: tshark extracting the same DICOM and HL7 fields our dissectors report.
    const fields = await timed(async () =>
      execFileSync(
        'tshark',
        ['-n', '-r', opts.file, '-d', 'tcp.port==11112,dicom', '-d', 'tcp.port==104,dicom', '-d', 'tcp.port==2575,hl7', '-Y', 'dicom.pdu.type==1 || hl7.message.type', '-T', 'fields', '-e', 'ip.src', '-e', 'dicom.assoc.ae.calling', '-e', 'dicom.assoc.ae.called', '-e', 'hl7.message.type'],
        { stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1024 * 1024 * 1024 },
      ),
    );
    result.tsharkDicomHl7FieldsSeconds = round(fields.seconds, 2);
    result.speedupVsTsharkFieldsWithDissectors = round(fields.seconds / dissected.seconds, 2);
    result.speedupVsTsharkFieldsDicomHl7Only = round(fields.seconds / dicomHl7Only.seconds, 2);
  }
  return result;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { values } = parseArgs({ options: { file: { type: 'string' }, tshark: { type: 'boolean', default: false } } });
  if (values.file === undefined) {
    console.error('usage: tsx bench/netmon-capture.bench.ts --file capture.pcap [--tshark]');
    process.exit(2);
  }
  console.log(JSON.stringify(await benchCapture({ file: values.file, tshark: values.tshark }), null, 2));
}
