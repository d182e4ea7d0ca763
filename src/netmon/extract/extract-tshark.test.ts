/**
 * The extracted files as Wireshark reads them: tshark's frame lengths and epoch times (to the
 * nanosecond) of the extract equal those of the selected frames of the source, for a nanosecond
 * pcap, a microsecond pcap and a pcapng of several link types. Skipped with a printed reason when
 * tshark is missing, except under CI=true where its absence fails.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasCommand } from '../capture/testing/tools.js';
import { LinkType } from '../capture/index.js';
import { ethernet, ipv4, ipv6, sll, tcp, tcpFrame, udp } from '../capture/testing/frames.js';
import { prepareExtraction } from './extract.js';
import { localCaptureParts } from './file-parts.js';
import { parseFlowSelector } from './flow-selector.js';
import { parseFrameList } from './frame-ranges.js';
import type { PacketSelection } from './model.js';
import { outputOf, pcapFile, pcapngBytes, T0, tempDir } from './testing/support.js';

const available = hasCommand('tshark');
if (!available && process.env.CI === 'true') throw new Error('CI requires tshark for the extraction check (.ci/run installs it)');
if (!available) console.warn('skipping the extraction tshark check: tshark is not installed (apt-get install tshark)');

const dir = tempDir('cg-extract-tshark-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** "len<TAB>epoch" per frame, optionally only the frames numbered */
function tsharkFrames(file: string, frames?: readonly number[]): string[] {
  const filter = frames === undefined ? [] : ['-Y', `frame.number in {${frames.join(',')}}`];
  const out = execFileSync('tshark', ['-n', '-r', file, ...filter, '-T', 'fields', '-e', 'frame.len', '-e', 'frame.time_epoch'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').filter((l) => l.trim() !== '');
}

async function extractTo(source: string, sel: PacketSelection, name: string): Promise<string> {
  const out = path.join(dir, name);
  writeFileSync(out, await outputOf(await prepareExtraction(await localCaptureParts(source), sel, { name: source })));
  return out;
}

const tcpRecords = Array.from({ length: 30 }, (_, i) => ({
  ts: T0 + i * 1500 + 3,
  nanos: (i * 113) % 1000,
  data: i % 3 === 2 ? ethernet({ etherType: 0x86dd, payload: ipv6({ src: 'fd00::5', dst: 'fd00::9', nextHeader: 6, payload: tcp({ sport: 50000, dport: 443, seq: i, flags: 0x18, payload: new Uint8Array(i) }) }) }) : tcpFrame('10.0.0.5', '10.0.0.9', { sport: 40000, dport: 104, seq: i, flags: 0x18, payload: new Uint8Array(i + 1) }, i % 3 === 1 ? [42] : undefined),
}));

describe.skipIf(!available)('extracted captures read by tshark', () => {
  it('gives the lengths and nanosecond times of the selected frames of a nanosecond pcap', async () => {
    const source = pcapFile(dir, 'ns.pcap', tcpRecords, { nanosecond: true });
    const out = await extractTo(source, { frames: parseFrameList('2,5-9,30') }, 'ns-frames.pcap');
    const lines = tsharkFrames(out);
    expect(lines).toEqual(tsharkFrames(source, [2, 5, 6, 7, 8, 9, 30]));
    expect(lines[0]).toMatch(/\.\d{9}$/);
  });

  it('gives the frames of a flow of a microsecond pcap, both directions and VLAN-tagged ones included', async () => {
    const source = pcapFile(dir, 'us.pcap', tcpRecords);
    const out = await extractTo(source, { flow: parseFlowSelector('tcp 10.0.0.9:104 10.0.0.5:40000') }, 'us-flow.pcap');
    const flowFrames = tcpRecords.flatMap((_, i) => (i % 3 === 2 ? [] : [i + 1]));
    const lines = tsharkFrames(out);
    expect(lines).toHaveLength(flowFrames.length);
    expect(lines).toEqual(tsharkFrames(source, flowFrames));
  });

  it('gives the frames of a pcapng of several link types and resolutions', async () => {
    const interfaces = [{ linkType: LinkType.ETHERNET, tsresol: 9 }, { linkType: LinkType.LINUX_SLL }, { linkType: LinkType.RAW, tsresol: 9 }];
    const packets = Array.from({ length: 12 }, (_, i) => {
      const ip = ipv4({ src: '10.1.0.1', dst: '10.1.0.2', proto: 17, payload: udp({ sport: 7000 + i, dport: 53, payload: new Uint8Array(i + 3) }) });
      const data = i % 3 === 0 ? ethernet({ etherType: 0x0800, payload: ip }) : i % 3 === 1 ? sll(0x0800, ip) : ip;
      return { interfaceId: i % 3, tsNs: BigInt(T0) * 1000n + BigInt(i) * 2_000_777n, data };
    });
    const source = path.join(dir, 'multi.pcapng');
    writeFileSync(source, pcapngBytes(interfaces, packets));
    const out = await extractTo(source, { frames: parseFrameList('1-4,9') }, 'multi-frames.pcapng');
    const lines = tsharkFrames(out);
    expect(lines).toHaveLength(5);
    expect(lines).toEqual(tsharkFrames(source, [1, 2, 3, 4, 9]));
  });
});
