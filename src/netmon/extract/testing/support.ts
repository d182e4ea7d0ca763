/**
 * @module Test support for extraction: captures written to a temporary directory with the capture
 * testing writers (pcap in µs or ns, pcapng with several interfaces, link types and resolutions),
 * the packets of any capture bytes read back with the project's own reader, and an extraction's
 * output gathered into one array.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readPackets, type ByteSource } from '../../capture/index.js';
import { concatBytes, writePcap, type PcapRecordInput } from '../../capture/testing/pcap-writer.js';
import { PcapngWriter, type InterfaceSpec } from '../../capture/testing/pcapng-writer.js';
import type { Extraction } from '../extract.js';

export const tempDir = (prefix: string): string => mkdtempSync(path.join(tmpdir(), prefix));

export const T0 = 1_700_000_000_000_000;

/** What a packet is, for comparing a source and an extracted copy. */
export interface PacketFacts {
  frame: number;
  ts: number;
  tsNanos: number;
  linkType: number;
  origLen: number;
  data: number[];
}

export async function* bytesSource(bytes: Uint8Array, chunk = 4096): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += chunk) yield bytes.slice(at, at + chunk);
}

/** Every packet of a capture, as read by readPackets. */
export async function packetsOf(bytes: Uint8Array): Promise<PacketFacts[]> {
  return packetsFrom(bytesSource(bytes));
}

export async function packetsFrom(source: ByteSource): Promise<PacketFacts[]> {
  const out: PacketFacts[] = [];
  for await (const p of readPackets(source)) out.push({ frame: p.frame, ts: p.ts, tsNanos: p.tsNanos, linkType: p.linkType, origLen: p.origLen, data: Array.from(p.data) });
  return out;
}

/** The same packets without their frame numbers (an extract numbers its packets from 1). */
export const unnumbered = (ps: readonly PacketFacts[]): Omit<PacketFacts, 'frame'>[] => ps.map(({ frame: _f, ...rest }) => rest);

export async function outputOf(extraction: Extraction): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of extraction.chunks()) parts.push(c.slice());
  return concatBytes(parts);
}

export function pcapFile(dir: string, name: string, records: PcapRecordInput[], opts: { nanosecond?: boolean; linkType?: number } = {}): string {
  const file = path.join(dir, name);
  writeFileSync(file, writePcap(records, opts));
  return file;
}

export interface PcapngPacket {
  interfaceId: number;
  /** nanoseconds since the epoch */
  tsNs: bigint;
  data: Uint8Array;
}

export function pcapngBytes(interfaces: InterfaceSpec[], packets: PcapngPacket[]): Uint8Array {
  const w = new PcapngWriter();
  return concatBytes([w.shb(), ...interfaces.map((i) => w.idb(i)), ...packets.map((p) => w.epb(p.interfaceId, p.tsNs, p.data))]);
}
