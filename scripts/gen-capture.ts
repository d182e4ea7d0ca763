/**
 * @module Writes a large synthetic pcap for benchmarks, streaming (memory stays flat whatever the
 * size): `tsx scripts/gen-capture.ts --size-mb 1024 --out big.pcap [--seed 7] [--concurrency 64]`.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { PcapWriter } from '../src/netmon/capture/testing/pcap-writer.js';
import { syntheticPackets } from '../src/netmon/capture/testing/synthetic-capture.js';

const BATCH = 1 << 20;

export async function generateCapture(opts: { out: string; sizeMb: number; seed?: number; concurrency?: number }): Promise<{ bytes: number; packets: number }> {
  const target = Math.floor(opts.sizeMb * 1_000_000);
  const writer = new PcapWriter({ snaplen: 262144 });
  const out = createWriteStream(opts.out);
  out.write(writer.header());
  let bytes = 24;
  let packets = 0;
  let batch = new Uint8Array(BATCH);
  let used = 0;
  for (const p of syntheticPackets({ seed: opts.seed, concurrency: opts.concurrency })) {
    if (bytes >= target) break;
    const need = 16 + p.data.length;
    if (used + need > batch.length) {
      if (!out.write(batch.subarray(0, used))) await once(out, 'drain');
      batch = new Uint8Array(Math.max(BATCH, need));
      used = 0;
    }
    used += writer.recordInto({ ts: p.ts, data: p.data }, batch, used);
    bytes += need;
    packets++;
  }
  out.write(batch.subarray(0, used));
  out.end();
  await once(out, 'finish');
  return { bytes, packets };
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  const { values } = parseArgs({
    options: { 'size-mb': { type: 'string', default: '100' }, out: { type: 'string' }, seed: { type: 'string', default: '1' }, concurrency: { type: 'string', default: '64' } },
  });
  if (values.out === undefined) {
    console.error('usage: tsx scripts/gen-capture.ts --size-mb N --out file.pcap [--seed S] [--concurrency C]');
    process.exit(2);
  }
  const started = Date.now();
  const r = await generateCapture({ out: values.out, sizeMb: Number(values['size-mb']), seed: Number(values.seed), concurrency: Number(values.concurrency) });
  console.log(JSON.stringify({ ...r, file: values.out, seconds: (Date.now() - started) / 1000 }));
}
