import { describe, expect, it } from 'vitest';
import { DEFAULT_STDIN_CHECKPOINT_SECONDS } from './netmon-flags.js';
import { checkpointSeconds } from './netmon-segments.js';

describe('--checkpoint-seconds', () => {
  it('defaults to checkpoints for stdin only (not for a file, nor for a Zeek log on stdin), and 0 turns them off', () => {
    expect(checkpointSeconds('-', {})).toBe(DEFAULT_STDIN_CHECKPOINT_SECONDS);
    expect(checkpointSeconds('-', { format: 'zeek' })).toBeUndefined();
    expect(checkpointSeconds('cap.pcap', {})).toBeUndefined();
    expect(checkpointSeconds('cap.pcap', { checkpointSeconds: '60' })).toBe(60);
    expect(checkpointSeconds('-', { checkpointSeconds: '0' })).toBeUndefined();
  });

  it.each(['', 'abc', '0.5', '-3', 'Infinity'])('refuses %j, naming the flag and the accepted values', (given) => {
    expect(() => checkpointSeconds('-', { checkpointSeconds: given })).toThrow(/--checkpoint-seconds must be 0 \(one capture at the end\) or at least 1, found/);
  });
});
