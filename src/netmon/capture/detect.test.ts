import { describe, expect, it } from 'vitest';
import { describeUnknownMagic, detectCaptureFormat } from './detect.js';

describe('capture format sniffing', () => {
  it.each([
    ['d4 c3 b2 a1', { format: 'pcap', littleEndian: true, nanosecond: false }],
    ['a1 b2 c3 d4', { format: 'pcap', littleEndian: false, nanosecond: false }],
    ['4d 3c b2 a1', { format: 'pcap', littleEndian: true, nanosecond: true }],
    ['a1 b2 3c 4d', { format: 'pcap', littleEndian: false, nanosecond: true }],
    ['0a 0d 0d 0a', { format: 'pcapng' }],
  ])('recognises magic %s', (hex, expected) => {
    expect(detectCaptureFormat(Uint8Array.from(hex.split(' ').map((h) => parseInt(h, 16))))).toEqual(expected);
  });

  it('recognises nothing in fewer than four bytes or in other data', () => {
    expect(detectCaptureFormat(Uint8Array.of(0xd4, 0xc3, 0xb2))).toBeUndefined();
    expect(detectCaptureFormat(new TextEncoder().encode('MSH|'))).toBeUndefined();
  });

  it('names gzip and modified-pcap data in its description of unknown bytes', () => {
    expect(describeUnknownMagic(Uint8Array.of(0x1f, 0x8b, 8, 0))).toContain('gzip');
    expect(describeUnknownMagic(Uint8Array.of(0x34, 0xcd, 0xb2, 0xa1))).toContain('Kuznetzov');
    expect(describeUnknownMagic(Uint8Array.of(1, 2, 3, 4))).toBe('magic 01 02 03 04');
  });
});
