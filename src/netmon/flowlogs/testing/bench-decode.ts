/**
 * @module Quick decode throughput for NetFlow v5/v9 and IPFIX on one core:
 * `npx tsx src/netmon/flowlogs/testing/bench-decode.ts [flows]`. Datagrams are generated first
 * (not timed); the figure is decoded records per second and MB/s of datagram bytes.
 */
import { FlowDecoder } from '../netflow/decoder.js';
import { ipfixPackets, syntheticFlows, v5Packets, v9Packets } from './flows.js';

const n = Number(process.argv[2] ?? 200_000);
const now = 1_700_000_000_000;
const flows = syntheticFlows(n, 99, now);
const plan = { exportMs: now, perPacket: 30, templateEvery: 20 };
const sets: [string, Uint8Array[]][] = [
  ['netflow-v5', v5Packets(flows, plan)],
  ['netflow-v9', v9Packets(flows, plan)],
  ['ipfix', ipfixPackets(flows, plan)],
];

for (const [name, packets] of sets) {
  const bytes = packets.reduce((s, p) => s + p.length, 0);
  let best = Infinity;
  let records = 0;
  for (let round = 0; round < 5; round++) {
    const d = new FlowDecoder();
    const t0 = performance.now();
    records = 0;
    for (const p of packets) records += d.decode(p, { address: '192.0.2.1', port: 2055 }, now).records.length;
    best = Math.min(best, performance.now() - t0);
  }
  const perSec = (records / best) * 1000;
  console.log(`${name.padEnd(11)} ${records} records in ${packets.length} datagrams: ${(perSec / 1e6).toFixed(2)} M records/s, ${((bytes / best) * 1000 / 1e6).toFixed(0)} MB/s (best of 5, ${best.toFixed(0)} ms)`);
}
