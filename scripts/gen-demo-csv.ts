/**
 * @module Writes the deterministic demo hospital as a CSV fixture in the generic CareGuard import
 * layout, streaming (memory stays flat whatever the count):
 * `tsx scripts/gen-demo-csv.ts --devices 100000 --out devices.csv [--seed 42]`.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeDemoCsv } from '../src/inventory/demo/index.js';

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '3000' },
    seed: { type: 'string', default: '42' },
    out: { type: 'string' },
  },
});

const devices = Number(values.devices);
const seed = Number(values.seed);
if (!values.out || !Number.isInteger(devices) || devices < 0 || !Number.isInteger(seed)) {
  process.stderr.write('usage: tsx scripts/gen-demo-csv.ts --devices N --out file.csv [--seed S]\n');
  process.exit(2);
}
const out = resolve(values.out);
const started = performance.now();
const bytes = await writeDemoCsv(out, { seed, count: devices });
process.stdout.write(`wrote ${devices} devices (${bytes} bytes, seed ${seed}) to ${out} in ${Math.round(performance.now() - started)} ms\n`);
