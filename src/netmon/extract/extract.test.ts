/**
 * Extraction by frames from generated captures on disk: the output, read back by the project's own
 * reader, holds exactly the selected packets (bytes, original timestamps, link types); pcap when one
 * link type, with the source's µs or ns resolution, pcapng with an interface per link type otherwise;
 * frames asked for and not there are reported; a directory's frames run on across its files.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureParser, fileSource, LinkType } from '../capture/index.js';
import { ethernet, ipv4, sll, tcpFrame, udp, udpFrame } from '../capture/testing/frames.js';
import { prepareExtraction } from './extract.js';
import { filePart, localCaptureParts } from './file-parts.js';
import { parseFrameList } from './frame-ranges.js';
import { outputOf, packetsFrom, packetsOf, pcapFile, pcapngBytes, T0, tempDir, unnumbered, type PacketFacts } from './testing/support.js';
import { isoToMicros } from './time-window.js';

const dir = tempDir('cg-extract-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const payload = (i: number) => Uint8Array.from({ length: 10 + (i % 7) }, (_, k) => (i * 31 + k) & 0xff);
/** 40 packets: TCP one way and back, and UDP syslog, 1 ms apart, with sub-µs parts for ns files */
const records = Array.from({ length: 40 }, (_, i) => ({
  ts: T0 + i * 1000 + 7,
  nanos: (i * 37) % 1000,
  data: i % 2 === 0 ? tcpFrame('10.0.0.5', '10.0.0.9', { sport: 40000, dport: 104, seq: i, flags: 0x18, payload: payload(i) }) : udpFrame('10.0.0.7', '10.0.0.200', 5000, 514, payload(i)),
}));

const sourcePackets = async (file: string): Promise<PacketFacts[]> => packetsFrom(fileSource(file));
const magic = (b: Uint8Array) => Array.from(b.subarray(0, 4), (x) => x.toString(16).padStart(2, '0')).join('');

async function extract(file: string, frames: string) {
  const extraction = await prepareExtraction(await localCaptureParts(file), { frames: parseFrameList(frames) }, { name: file });
  const out = await outputOf(extraction);
  return { extraction, out };
}

describe('extraction by frames', () => {
  const usFile = pcapFile(dir, 'us.pcap', records);
  const nsFile = pcapFile(dir, 'ns.pcap', records, { nanosecond: true });

  it('writes exactly the frames of a list and ranges, bytes and µs timestamps unchanged, as a µs pcap', async () => {
    const { extraction, out } = await extract(usFile, '3,10-12,40,1');
    const source = await sourcePackets(usFile);
    const wanted = source.filter((p) => [1, 3, 10, 11, 12, 40].includes(p.frame));
    expect(unnumbered(await packetsOf(out))).toEqual(unnumbered(wanted));
    expect(magic(out)).toBe('d4c3b2a1');
    expect(extraction.summary).toMatchObject({ format: 'pcap', packets: 6, bytes: out.length, linkTypes: [LinkType.ETHERNET], framesNotFound: [], faults: [] });
    expect(extraction.mediaType).toBe('application/vnd.tcpdump.pcap');
  });

  it('keeps nanosecond timestamps and magic for a nanosecond pcap', async () => {
    const { out } = await extract(nsFile, '2-4');
    const back = await packetsOf(out);
    expect(magic(out)).toBe('4d3cb2a1');
    expect(back.map((p) => p.tsNanos)).toEqual([37, 74, 111]);
    expect(unnumbered(back)).toEqual(unnumbered((await sourcePackets(nsFile)).slice(1, 4)));
  });

  it('reports frames asked for past the end, and writes the ones there', async () => {
    const { extraction, out } = await extract(usFile, '39-45,100');
    expect(extraction.summary.framesNotFound).toEqual([{ first: 41, last: 45 }, { first: 100, last: 100 }]);
    expect((await packetsOf(out)).length).toBe(2);
  });

  it('refuses a selection none of whose frames the capture holds, saying which frames it has', async () => {
    await expect(extract(usFile, '41-50')).rejects.toThrow(expect.objectContaining({ code: 'netmon.packets_not_found', message: expect.stringContaining('it holds frames 1-40') }));
  });

  it('keeps only the packets inside a capture-time window', async () => {
    const parts = await localCaptureParts(usFile);
    const from = isoToMicros(new Date((T0 + 5000) / 1000).toISOString(), 'from');
    const to = isoToMicros(new Date((T0 + 8000) / 1000).toISOString(), 'to');
    const out = await outputOf(await prepareExtraction(parts, { frames: parseFrameList('1-40'), from, to }, { name: usFile }));
    // frames 6-8 are at T0 + 5.007, 6.007 and 7.007 ms
    expect((await packetsOf(out)).map((p) => p.ts)).toEqual([T0 + 5007, T0 + 6007, T0 + 7007]);
  });
});

describe('extraction from pcapng', () => {
  const sllFrame = (i: number) => sll(0x0800, ipv4({ src: '10.1.0.1', dst: '10.1.0.2', proto: 17, payload: udp({ sport: 7000 + i, dport: 53, payload: payload(i) }) }));
  const rawFrame = (i: number) => ipv4({ src: '10.2.0.1', dst: '10.2.0.2', proto: 17, payload: udp({ sport: 8000 + i, dport: 123, payload: payload(i) }) });
  // interfaces: Ethernet in ns, Linux SLL in µs, raw IP in ns, and Ethernet again in µs
  const interfaces = [{ linkType: LinkType.ETHERNET, tsresol: 9 }, { linkType: LinkType.LINUX_SLL }, { linkType: LinkType.RAW, tsresol: 9 }, { linkType: LinkType.ETHERNET, tsresol: 6 }];
  const base = BigInt(T0) * 1000n;
  const packets = Array.from({ length: 24 }, (_, i) => {
    const iface = i % 4;
    const data = iface === 1 ? sllFrame(i) : iface === 2 ? rawFrame(i) : ethernet({ etherType: 0x0800, payload: ipv4({ src: '10.3.0.1', dst: '10.3.0.2', proto: 17, payload: udp({ sport: 9000 + i, dport: 514, payload: payload(i) }) }) });
    return { interfaceId: iface, tsNs: base + BigInt(i) * 1_000_123n + 456n, data };
  });
  const file = path.join(dir, 'multi.pcapng');
  writeFileSync(file, pcapngBytes(interfaces, packets));

  it('writes packets of several link types as pcapng, one interface per link type, each packet unchanged', async () => {
    const { extraction, out } = await extract(file, '1-8');
    expect(extraction.summary).toMatchObject({ format: 'pcapng', packets: 8, bytes: out.length, linkTypes: [LinkType.ETHERNET, LinkType.RAW, LinkType.LINUX_SLL] });
    expect(extraction.mediaType).toBe('application/x-pcapng');
    expect(unnumbered(await packetsOf(out))).toEqual(unnumbered((await sourcePackets(file)).slice(0, 8)));
  });

  it('declares nanosecond resolution on the interfaces whose packets had it, and not on the others', async () => {
    const { out } = await extract(file, '1-8');
    const resolution = new Map<number, boolean>();
    const parser: CaptureParser = new CaptureParser((p) => resolution.set(p.linkType, parser.subMicrosecond(p.interfaceId)));
    parser.push(out);
    parser.end();
    expect(Object.fromEntries(resolution)).toEqual({ [LinkType.ETHERNET]: true, [LinkType.RAW]: true, [LinkType.LINUX_SLL]: false });
  });

  it('writes packets of one link type as a pcap with the resolution of their interface', async () => {
    const sllOnly = await extract(file, '2,6,10');
    expect(sllOnly.extraction.summary.format).toBe('pcap');
    expect(magic(sllOnly.out)).toBe('d4c3b2a1');
    const rawOnly = await extract(file, '3,7');
    expect(magic(rawOnly.out)).toBe('4d3cb2a1');
    const back = await packetsOf(rawOnly.out);
    expect(back.map((p) => [p.linkType, p.tsNanos])).toEqual([[LinkType.RAW, (456 + 2 * 123) % 1000], [LinkType.RAW, (456 + 6 * 123) % 1000]]);
    expect(unnumbered(back)).toEqual(unnumbered((await sourcePackets(file)).filter((p) => p.frame === 3 || p.frame === 7)));
  });
});

describe('extraction from a directory read as one capture', () => {
  it('numbers frames on across the files in first-packet order, whatever their names', async () => {
    const ring = tempDir('cg-extract-ring-');
    // the later traffic in the file whose name sorts first
    pcapFile(ring, 'a.pcap', records.slice(20));
    pcapFile(ring, 'b.pcap', records.slice(0, 20));
    const parts = await localCaptureParts(ring);
    expect(parts.map((p) => path.basename(p.name))).toEqual(['b.pcap', 'a.pcap']);
    const out = await outputOf(await prepareExtraction(parts, { frames: parseFrameList('20-21,40') }, { name: ring }));
    const all = await sourcePackets(pcapFile(dir, 'whole.pcap', records));
    expect(unnumbered(await packetsOf(out))).toEqual(unnumbered(all.filter((p) => [20, 21, 40].includes(p.frame))));
    rmSync(ring, { recursive: true, force: true });
  });

  it('fails with netmon.capture_file_changed when a file is cut short between the two reads', async () => {
    const file = pcapFile(dir, 'shrinks.pcap', records);
    const part = filePart(file);
    const extraction = await prepareExtraction([part], { frames: parseFrameList('30') }, { name: file });
    pcapFile(dir, 'shrinks.pcap', records.slice(0, 10));
    utimesSync(file, new Date(), new Date());
    await expect(outputOf(extraction)).rejects.toThrow(expect.objectContaining({ code: 'netmon.capture_file_changed' }));
  });
});

describe('a capture file that changes between the two reads of an extraction', () => {
  it('fails rather than write the packets of a file rewritten at the same size (other times, other hosts)', async () => {
    const file = pcapFile(dir, 'rewritten.pcap', records);
    const extraction = await prepareExtraction(await localCaptureParts(file), { frames: parseFrameList('5') }, { name: file });
    // the same sizes an hour later: a ring buffer reusing the name
    writeFileSync(file, readFileSync(pcapFile(dir, 'later.pcap', records.map((r) => ({ ...r, ts: r.ts + 3_600_000_000 })))));
    await expect(outputOf(extraction)).rejects.toMatchObject({ code: 'netmon.capture_file_changed' });
  });

  it('refuses a FIFO planted where a recorded capture file was, at once instead of waiting for a writer', async () => {
    const fifo = path.join(dir, 'planted.pcap');
    execFileSync('mkfifo', [fifo]);
    const part = filePart(fifo, { expect: () => undefined });
    const started = Date.now();
    await expect(prepareExtraction([part], { frames: parseFrameList('1') }, { name: fifo })).rejects.toMatchObject({ code: 'netmon.capture_file_changed', message: expect.stringMatching(/not a regular file/) });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
