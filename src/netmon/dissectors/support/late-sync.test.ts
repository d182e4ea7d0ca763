import { describe, expect, it } from 'vitest';
import type { Direction } from '../../model.js';
import type { LateSyncState } from '../contract.js';
import { LateSyncFlow, type ScanningConsumer } from './late-sync.js';
import type { ScanProgress } from './stream-start.js';

const undecided: ScanProgress = { decided: false, lost: false, synced: false, scannedBytes: 10, carriedBytes: 4 };

/** a consumer whose searches are fixed by the test */
function consumerWith(scans: Record<Direction, ScanProgress | null>): ScanningConsumer {
  return { onData: () => undefined, scanOf: (dir) => scans[dir], sinceGap: () => false };
}

const flowOver = (inner: ScanningConsumer) => new LateSyncFlow('rd', () => undefined, { overlap: 0, scanLimit: 100 }, () => inner);

describe('LateSyncFlow: what a direction status can say', () => {
  it('names every state a search can be in: scanning, synced, opened, given-up', () => {
    const states = (scan: ScanProgress): LateSyncState => flowOver(consumerWith({ c2s: scan, s2c: undecided })).status().c2s.state;
    expect([
      states(undecided),
      states({ ...undecided, decided: true, synced: true }),
      states({ ...undecided, decided: true }),
      states({ ...undecided, lost: true }),
    ]).toEqual(['scanning', 'synced', 'opened', 'given-up']);
  });

  it('treats a direction without a search as a bug in the dissector instead of reporting a state for it', () => {
    const flow = flowOver(consumerWith({ c2s: undecided, s2c: null }));
    expect(() => flow.status()).toThrow(/rd late sync: the consumer has no search for s2c/);
    expect(() => flow.onData('s2c', new Uint8Array(1), { frame: 1, ts: 1 })).toThrow(/no search for s2c/);
  });
});
