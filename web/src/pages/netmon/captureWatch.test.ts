import { describe, expect, it } from 'vitest';
import type { CaptureWatchStatus } from '../../api/netmon.js';
import { watchHeadline, watchRows, watchTone } from './captureWatch.js';

type Enabled = Extract<CaptureWatchStatus, { enabled: true }>;
const base: Enabled = { enabled: true, directory: '/var/lib/careguard/captures', state: 'watching', startedAt: '2026-11-29T08:00:00.000Z', filesIngested: 12, filesSkipped: 3, filesFailed: 0, packetsIngested: 1_234_567, filesWaiting: 0 };

describe('capture watch wording', () => {
  it('says what the watch is doing: the file it ingests by name, waiting, or failing with its retry time', () => {
    expect(watchHeadline({ ...base, state: 'ingesting', currentFile: { path: '/var/lib/careguard/captures/cap.pcap7', since: base.startedAt } })).toBe('Ingesting cap.pcap7');
    expect(watchHeadline(base)).toBe('Waiting for the next completed file');
    expect(watchHeadline({ ...base, state: 'error', retryAt: '2026-11-29T08:01:00.000Z' })).toMatch(/^Failing; retrying at /);
    expect(watchHeadline({ ...base, state: 'stopped' })).toBe('Stopped');
  });

  it('is calm while files go in, warns once a file failed, and alarms while the watch itself fails', () => {
    expect(watchTone(base)).toBe('ok');
    expect(watchTone({ ...base, filesFailed: 1 })).toBe('warn');
    expect(watchTone({ ...base, state: 'error' })).toBe('bad');
    expect(watchTone({ ...base, filesWaiting: 2 })).toBe('ok');
    expect(watchTone({ ...base, filesWaiting: 3 })).toBe('warn');
  });

  it('says whether ingest keeps up with the capture', () => {
    const waiting = (n: number) => new Map(watchRows({ ...base, filesWaiting: n })).get('Waiting');
    expect(waiting(0)).toBe('none: ingest keeps up with the capture');
    expect(waiting(1)).toBe('1 complete file');
    expect(waiting(5)).toMatch(/^5 complete files \(ingest falls behind/);
  });

  it('lists counts, the last file with its outcome and the last error naming its file and code', () => {
    const rows = new Map(
      watchRows({
        ...base,
        lastFile: { path: '/var/lib/careguard/captures/cap.pcap9', outcome: 'skipped', captureId: 'cap_1', at: base.startedAt },
        lastError: { code: 'netmon.unreadable_capture', message: 'not a pcap or pcapng capture', file: '/var/lib/careguard/captures/cap.pcap8', at: base.startedAt },
      }),
    );
    expect(rows.get('Directory')).toBe('/var/lib/careguard/captures');
    expect(rows.get('Files')).toBe('12 ingested · 3 skipped · 0 failed');
    expect(rows.get('Packets')).toBe('1,234,567');
    expect(rows.get('Last file')).toMatch(/^cap\.pcap9: already ingested, skipped at /);
    expect(rows.get('Last error')).toMatch(/^cap\.pcap8: not a pcap or pcapng capture \[netmon\.unreadable_capture\] at /);
    expect(watchRows(base).map(([k]) => k)).toEqual(['Directory', 'Since', 'Files', 'Packets', 'Waiting']);
  });
});
