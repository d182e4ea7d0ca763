/** CaptureParser.subMicrosecond: the timestamp resolution a file declares, per interface, for writers that keep it. */
import { describe, expect, it } from 'vitest';
import { CaptureParser } from './parser.js';
import { udpFrame } from './testing/frames.js';
import { concatBytes, writePcap } from './testing/pcap-writer.js';
import { PcapngWriter } from './testing/pcapng-writer.js';

const frame = udpFrame('10.0.0.1', '10.0.0.2', 1, 2, Uint8Array.of(1));

/** interface id -> subMicrosecond, asked while each packet is handed on */
function resolutions(bytes: Uint8Array): Record<number, boolean> {
  const out: Record<number, boolean> = {};
  const parser: CaptureParser = new CaptureParser((p) => (out[p.interfaceId] = parser.subMicrosecond(p.interfaceId)));
  parser.push(bytes);
  parser.end();
  return out;
}

describe('CaptureParser.subMicrosecond', () => {
  it('follows the pcap magic', () => {
    expect(resolutions(writePcap([{ ts: 1, data: frame }]))).toEqual({ 0: false });
    expect(resolutions(writePcap([{ ts: 1, data: frame }], { nanosecond: true }))).toEqual({ 0: true });
    expect(resolutions(writePcap([{ ts: 1, data: frame }], { nanosecond: true, littleEndian: false }))).toEqual({ 0: true });
  });

  it('follows each pcapng interface if_tsresol: finer than 1 µs from 10^-7 s and from 2^-20 s', () => {
    const w = new PcapngWriter();
    const tsresols = [undefined, 3, 7, 9, 0x80 | 19, 0x80 | 20];
    const bytes = concatBytes([w.shb(), ...tsresols.map((tsresol) => w.idb({ linkType: 1, ...(tsresol === undefined ? {} : { tsresol }) })), ...tsresols.map((_, i) => w.epb(i, 1_000_000_000n, frame))]);
    expect(resolutions(bytes)).toEqual({ 0: false, 1: false, 2: true, 3: true, 4: false, 5: true });
  });

  it('answers false before any header has been read', () => {
    expect(new CaptureParser(() => undefined).subMicrosecond(0)).toBe(false);
  });
});
