/**
 * The timed passes of the whole analysis `netmon report` makes (capture-passes.mjs measures the
 * dissection alone): flows, every dissector, passive discovery, baselines and the detection rules,
 * then the report's devices. Run by netmon-capture.bench.ts in a process of its own, so its memory is
 * not mixed with the dissection passes'.
 * `node bench/analysis-passes.mjs CODE_ROOT FILE RUNS` (CODE_ROOT: dist/, or src/ under `--import tsx`)
 * prints one JSON object: seconds (wall and CPU) of every pass (the first is cold), devices and
 * detections of the last, and peak RSS during the first pass and over all of them.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [root, file, runsArg] = process.argv.slice(2);
if (root === undefined || file === undefined) {
  console.error('usage: node bench/analysis-passes.mjs CODE_ROOT FILE [RUNS]');
  process.exit(2);
}
const runs = Number(runsArg ?? 3);
if (!Number.isInteger(runs) || runs < 2) {
  console.error(`RUNS must be an integer of at least 2 (the first pass is cold), found ${runsArg}`);
  process.exit(2);
}
const ext = root.endsWith('src') || root.endsWith('src/') ? '.ts' : '.js';
const { analyzeCapture } = await import(pathToFileURL(join(root, 'netmon/report' + ext)).href);

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 20);

const passes = [];
let firstPassPeakRss = 0;
let last;
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  last = await analyzeCapture(file, {});
  const c = process.cpuUsage(c0);
  passes.push({ seconds: (performance.now() - t0) / 1000, cpuSeconds: (c.user + c.system) / 1e6 });
  if (i === 0) firstPassPeakRss = Math.max(peakRss, process.memoryUsage().rss);
}
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

console.log(
  JSON.stringify({
    passes,
    packets: last.capture.packets,
    devices: last.devices.length,
    detections: last.detections.length,
    observations: last.capture.observations,
    firstPassPeakRss,
    peakRss,
  }),
);
