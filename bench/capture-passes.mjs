/**
 * The timed passes of the capture benchmark (netmon-capture.bench.ts), run in a process of their own:
 * plain `node` on the compiled build, as `careguard` runs it. Hosting the same compiled code in the
 * benchmark's tsx process measured 8-12% slower per pass (tsx's module hooks stay installed for the
 * life of the process); tshark, the reference, runs in its own process too.
 * `node bench/capture-passes.mjs CODE_ROOT FILE RUNS` (CODE_ROOT: dist/, or src/ under `--import tsx`)
 * prints one JSON object: seconds (wall and CPU) of every pass per configuration, counters, peak RSS.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, file, runsArg] = process.argv.slice(2);
if (root === undefined || file === undefined) {
  console.error('usage: node bench/capture-passes.mjs CODE_ROOT FILE [RUNS]');
  process.exit(2);
}
const runs = Number(runsArg ?? 5);
const ext = root.endsWith('src') || root.endsWith('src/') ? '.ts' : '.js';
const load = (path) => import(pathToFileURL(join(root, path + ext)).href);

const { CaptureParser, recycledFileSource } = await load('netmon/capture/index');
const { createDispatcher, Registry } = await load('netmon/dissectors/index');
const { dicomDissector } = await load('netmon/dissectors/dicom/dissector');
const { hl7Dissector } = await load('netmon/dissectors/hl7/dissector');
const { readCaptureFile } = await load('netmon/pipeline/read-capture');

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);

/** wall and CPU seconds (user + system of this process) of one pass */
async function timed(fn) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { seconds: (performance.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6, value };
}

/** every pass of `n`, and the value of the last */
async function passes(n, fn) {
  const all = [];
  let value;
  for (let i = 0; i < n; i++) {
    const t = await timed(fn);
    all.push({ seconds: t.seconds, cpuSeconds: t.cpuSeconds });
    value = t.value;
  }
  return { passes: all, value };
}

const read = await passes(runs, async () => {
  let n = 0;
  for await (const chunk of recycledFileSource(file)) n += chunk.length;
  return n;
});
const parse = await passes(runs, async () => {
  let packets = 0;
  const parser = new CaptureParser(() => packets++);
  for await (const chunk of recycledFileSource(file)) parser.push(chunk);
  parser.end();
  return packets;
});
// The full pipeline the product runs: decode, flows, content detection and every dissector.
let observations = 0;
const countObservation = () => {
  observations++;
};
const dissectOnce = () => readCaptureFile(file, { onFlowStart: (key) => createDispatcher(key, countObservation) });
const cold = await passes(1, dissectOnce);
const observationsPerPass = observations;
// decode + flows + reassembly, every byte handed to a consumer that only counts it
let delivered = 0;
const full = await passes(runs, () =>
  readCaptureFile(file, {
    onFlowStart: () => ({
      onData: (_dir, d) => {
        delivered += d.length;
      },
    }),
  }),
);
const dissect = await passes(runs, dissectOnce);
// The same pass with only the DICOM and HL7 dissectors: exactly the fields the tshark reference extracts.
let dicomHl7Observations = 0;
const dicomHl7 = new Registry([dicomDissector, hl7Dissector]);
const dicomHl7Only = await passes(runs, () => readCaptureFile(file, { onFlowStart: (key) => dicomHl7.createDispatcher(key, () => dicomHl7Observations++) }));
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

const stats = full.value;
console.log(
  JSON.stringify({
    read: read.passes,
    parse: parse.passes,
    parsePackets: parse.value,
    full: full.passes,
    cold: cold.passes[0],
    dissect: dissect.passes,
    dissectPackets: dissect.value.packets,
    dicomHl7Only: dicomHl7Only.passes,
    observations: observationsPerPass,
    dicomHl7Observations: dicomHl7Observations / runs,
    deliveredPerPass: delivered / runs,
    packets: stats.packets,
    flows: stats.flows.flowsCreated,
    peakActiveFlows: stats.flows.peakActiveFlows,
    peakBufferedBytes: stats.flows.peakBufferedBytes,
    decodeErrors: Object.values(stats.decodeErrors).reduce((a, b) => a + b, 0),
    captureErrors: stats.captureErrors.length,
    peakRss,
    maxRss: process.resourceUsage().maxRSS * 1024,
  }),
);
