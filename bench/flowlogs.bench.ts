/**
 * @module Flow record decoding (issue 4): NetFlow v5, v9 and IPFIX datagrams generated first (not
 * timed), then decoded on one core, best of 5. Reference in the same run: reading every byte of
 * the same datagrams (a 32-bit sum), the least any decoder must do.
 */
import { FlowDecoder } from '../src/netmon/flowlogs/netflow/decoder.js';
import { ipfixPackets, syntheticFlows, v5Packets, v9Packets } from '../src/netmon/flowlogs/testing/flows.js';

function bestOf(rounds: number, run: () => void): number {
  let best = Infinity;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    run();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

export async function benchFlowLogs(opts: { flows: number }): Promise<Record<string, number | string>> {
  const now = 1_700_000_000_000;
  const flows = syntheticFlows(opts.flows, 99, now);
  const plan = { exportMs: now, perPacket: 30, templateEvery: 20 };
  const out: Record<string, number | string> = { flows: opts.flows };
  for (const [name, packets] of [['netflow-v5', v5Packets(flows, plan)], ['netflow-v9', v9Packets(flows, plan)], ['ipfix', ipfixPackets(flows, plan)]] as const) {
    const bytes = packets.reduce((s, p) => s + p.length, 0);
    let records = 0;
    const decodeMs = bestOf(5, () => {
      const d = new FlowDecoder();
      records = 0;
      for (const p of packets) records += d.decode(p, { address: '192.0.2.1', port: 2055 }, now).records.length;
    });
    let sum = 0;
    const readMs = bestOf(5, () => {
      for (const p of packets) for (let i = 0; i < p.length; i++) sum = (sum + p[i]!) | 0;
    });
    out[`${name} records/s`] = Math.round((records / decodeMs) * 1000);
    out[`${name} MB/s`] = Math.round(((bytes / decodeMs) * 1000) / 1e5) / 10;
    out[`${name} decode / read-bytes time (ratio)`] = Math.round((decodeMs / readMs) * 10) / 10;
    if (sum === 0.5) out.never = sum; // keeps the reference loop from being optimized away
  }
  out['peak RSS (MB)'] = Math.round((process.resourceUsage().maxRSS * 1024) / 1e6);
  return out;
}
