import { describe, expect, it } from 'vitest';
import { FileFrames } from './file-frames.js';

describe('FileFrames', () => {
  const files = () => {
    const f = new FileFrames(3);
    f.add('/cap/a.pcap', 1);
    f.add('/cap/b.pcap', 101);
    // c.pcap had no packets: it begins where d.pcap does
    f.add('/cap/c.pcap', 251);
    f.add('/cap/d.pcap', 251);
    return f;
  };

  it('names the file holding a run-wide frame and the frame number in it', () => {
    const f = files();
    expect(f.locate(101)).toEqual({ path: '/cap/b.pcap', frame: 1 });
    expect(f.locate(250)).toEqual({ path: '/cap/b.pcap', frame: 150 });
    expect(f.locate(251)).toEqual({ path: '/cap/d.pcap', frame: 1 });
    expect(f.locate(9000)).toEqual({ path: '/cap/d.pcap', frame: 8750 });
  });

  it('forgets the oldest files beyond its bound: their frames are not located', () => {
    // a.pcap was dropped when the fourth file came
    expect(files().locate(50)).toBeUndefined();
  });

  it('rewrites frame references, keeping what follows the frame, and leaves other references alone', () => {
    const f = files();
    expect(f.relocate('/cap#frame=120&observation=dicom.associate-rq', 120)).toBe('/cap/b.pcap#frame=20&observation=dicom.associate-rq');
    expect(f.relocate('/cap#frame=260', 260)).toBe('/cap/d.pcap#frame=10');
    expect(f.relocate('/cap#flow=17', 120)).toBe('/cap#flow=17');
    expect(f.relocate('/cap#frame=40', 40)).toBe('/cap#frame=40');
  });
});
