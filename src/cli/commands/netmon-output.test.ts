import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { PcapWriter } from '../../netmon/capture/testing/pcap-writer.js';
import type { IngestResult } from '../../netmon/ingest.js';
import { analyzeCapture } from '../../netmon/report.js';
import type { CliIO } from '../context.js';
import { printIngest } from './netmon-output.js';

async function printed(r: IngestResult): Promise<string> {
  const stdout = new PassThrough();
  const out: Buffer[] = [];
  stdout.on('data', (c: Buffer) => out.push(c));
  const io: CliIO = { stdout, stderr: new PassThrough(), isTTY: false };
  printIngest(io, r);
  stdout.end();
  await new Promise((resolve) => setImmediate(resolve));
  return Buffer.concat(out).toString('utf8');
}

describe('netmon ingest output', () => {
  it('lists the identity claims that were not merged on, with who holds them', async () => {
    const header = new PcapWriter().header();
    const report = await analyzeCapture({ bytes: (async function* () { yield header; })(), name: 'empty.pcap' });
    const claimant = { key: 'mac:02:1e:c0:00:00:0b', name: 'Pump ICU-3 bed 7', macs: ['02:1e:c0:00:00:0b'], ips: ['10.20.1.66'], claims: [] };
    const claim = { kind: 'serial' as const, value: 'BX-77120045', key: { kind: 'serial' as const, value: 'BX-77120045' }, manufacturer: 'Baxter', frame: 4 };
    const result: IngestResult = {
      report,
      devices: { reported: 2, created: 1, updated: 0, unchanged: 1 },
      alerts: { created: 1, folded: 0 },
      deviceIds: {},
      identityConflicts: [{ claimant, claim, basis: 'record', owners: [{ id: 'dev_pump', name: 'Infusion pump 7', macs: ['02:1e:c0:00:00:0a'] }], rivals: [] }],
    };
    const text = await printed(result);
    expect(text).toContain('identity conflicts (not merged on; alert identity.conflict): 1\n');
    expect(text).toContain('  Pump ICU-3 bed 7 (02:1e:c0:00:00:0b, 10.20.1.66) declares serial BX-77120045 (frame 4), held by Infusion pump 7 [02:1e:c0:00:00:0a]\n');
    // nothing is printed about conflicts when there are none
    expect(await printed({ ...result, identityConflicts: [] })).not.toContain('identity conflicts');
  });
});
