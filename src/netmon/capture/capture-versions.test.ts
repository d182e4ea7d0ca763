import { describe, expect, it } from 'vitest';
import { HandledVersions, newestIndex, orderCaptureFiles, sameFileVersion, type CaptureFileEntry } from './capture-versions.js';
import type { FirstPacket } from './first-packet-time.js';

/** Packet times in seconds of 2023 (µs since the epoch); modification times in ms. */
const T0 = 1_700_000_000_000_000;
const at = (s: number, tsNanos = 0): FirstPacket => ({ kind: 'packet', ts: T0 + s * 1_000_000, tsNanos });
const NONE: FirstPacket = { kind: 'none' };
const JUNK: FirstPacket = { kind: 'unparseable', code: 'capture.unknown-format', message: 'not a capture' };
const NOW_MS = 1_800_000_000_000;

let nextIno = 100;
function entry(name: string, first: FirstPacket, more: Partial<CaptureFileEntry> = {}): CaptureFileEntry {
  return { name, path: `/ring/${name}`, dev: 1, ino: nextIno++, size: 1000, mtimeMs: NOW_MS, first, ...more };
}
const names = (es: readonly CaptureFileEntry[]) => es.map((e) => e.name);

describe('orderCaptureFiles', () => {
  it('orders by first packet, whatever the names say', () => {
    expect(names(orderCaptureFiles([entry('a.pcap', at(30)), entry('b.pcap', at(10)), entry('c.pcap', at(20))]))).toEqual(['b.pcap', 'c.pcap', 'a.pcap']);
  });

  it('orders a wrapped ring: the rewritten cap.pcap0 after cap.pcap2', () => {
    expect(names(orderCaptureFiles([entry('cap.pcap0', at(40)), entry('cap.pcap1', at(20)), entry('cap.pcap2', at(30))]))).toEqual(['cap.pcap1', 'cap.pcap2', 'cap.pcap0']);
  });

  it('tells first packets apart by their nanoseconds, and breaks exact ties in natural name order', () => {
    const ordered = orderCaptureFiles([entry('cap.pcap10', at(5)), entry('cap.pcap2', at(5)), entry('x.pcap', at(5, 2)), entry('w.pcap', at(5, 1))]);
    expect(names(ordered)).toEqual(['cap.pcap2', 'cap.pcap10', 'w.pcap', 'x.pcap']);
  });

  it('puts files without a packet yet last, in natural name order', () => {
    const ordered = orderCaptureFiles([entry('new10.pcap', NONE), entry('b.pcap', at(2)), entry('new2.pcap', NONE), entry('a.pcap', at(1))]);
    expect(names(ordered)).toEqual(['a.pcap', 'b.pcap', 'new2.pcap', 'new10.pcap']);
  });

  it('places a file without a packet that was last written before the latest first packet at its modification time, not last', () => {
    // A header-only file left by an earlier run: it cannot be the one being written now.
    const stale = entry('zzz.pcap', NONE, { mtimeMs: (T0 + 15_000_000) / 1000 });
    expect(names(orderCaptureFiles([entry('a.pcap', at(10)), stale, entry('b.pcap', at(20))]))).toEqual(['a.pcap', 'zzz.pcap', 'b.pcap']);
  });

  it('keeps a file that is no capture in its natural name place, the captures ordered around it', () => {
    const ordered = orderCaptureFiles([entry('cap.pcap3', at(1)), entry('cap.pcap1', at(3)), entry('cap.pcap2', JUNK), entry('cap.pcap10', at(2))]);
    expect(names(ordered)).toEqual(['cap.pcap3', 'cap.pcap2', 'cap.pcap10', 'cap.pcap1']);
  });

  it('names the newest capture as the one being written, never one that is no capture', () => {
    const ordered = orderCaptureFiles([entry('a.pcap', at(1)), entry('b.pcap', at(2)), entry('z.pcap', JUNK)]);
    expect(ordered[newestIndex(ordered)]?.name).toBe('b.pcap');
    expect(newestIndex(orderCaptureFiles([entry('z.pcap', JUNK)]))).toBe(-1);
    expect(newestIndex([])).toBe(-1);
  });
});

describe('HandledVersions', () => {
  it('keeps a file that only grew as the version handled, gaining its first packet once it has one', () => {
    const v = new HandledVersions();
    const fresh = entry('cap.pcap0', NONE, { size: 24 });
    v.add(fresh);
    const grown = { ...fresh, size: 5000, first: at(1) };
    v.sync([grown]);
    expect(v.has(grown)).toBe(true);
    // Now known by its first packet: the same size with another first packet is a rewrite.
    expect(v.has({ ...grown, first: at(2) })).toBe(false);
    expect(v.has({ ...grown, size: 9000 })).toBe(true);
  });

  it('sees a rewritten ring file as a new version: another first packet, or shorter than before, or another inode', () => {
    const v = new HandledVersions();
    const old = entry('cap.pcap0', at(1), { size: 1_000_000 });
    v.add(old);
    expect(v.has(old)).toBe(true);
    expect(v.has({ ...old, first: at(50), size: 2_000_000 })).toBe(false);
    expect(v.has({ ...old, first: NONE, size: 24 })).toBe(false);
    expect(v.has({ ...old, size: 999_999 })).toBe(false);
    expect(v.has({ ...old, ino: old.ino + 1 })).toBe(false);
    expect(v.has({ ...old, path: '/ring/cap.pcap1' })).toBe(false);
  });

  it('does not take a truncated file that is seen again later, grown, for the version handled', () => {
    const v = new HandledVersions();
    const old = entry('cap.pcap0', NONE, { size: 500 });
    v.add(old);
    v.sync([{ ...old, size: 24 }]);
    expect(v.has({ ...old, size: 24 })).toBe(false);
  });

  it('compares two looks at one file the same way', () => {
    const listed = entry('cap.pcap0', at(1), { size: 500 });
    expect(sameFileVersion(listed, { ...listed, size: 800 })).toBe(true);
    expect(sameFileVersion(listed, { ...listed, size: 800, first: at(9) })).toBe(false);
    expect(sameFileVersion(listed, { ...listed, size: 24, first: NONE })).toBe(false);
    expect(sameFileVersion({ ...listed, first: NONE }, { ...listed, size: 800 })).toBe(true);
  });

  it('remembers only files still present, however many have come and gone', () => {
    const v = new HandledVersions();
    const live: CaptureFileEntry[] = [];
    for (let i = 0; i < 10_000; i++) {
      const e = entry(`ring_${i}.pcapng`, at(i));
      v.add(e);
      live.push(e);
      // A dumpcap ring of 5 files: the oldest is deleted as a new one starts.
      if (live.length > 5) live.shift();
      v.sync(live);
    }
    expect(v.size).toBe(5);
    expect(live.every((e) => v.has(e))).toBe(true);
  });
});
