import { describe, expect, it } from 'vitest';
import { isId, newId } from '../core/index.js';
import { newDeviceId } from './ids.js';

describe('newDeviceId', () => {
  it('has the format of core ids with the dev prefix and sorts by time', () => {
    const a = newDeviceId(Date.UTC(2024, 0, 1));
    const b = newDeviceId(Date.UTC(2024, 0, 2));
    expect(isId(a)).toBe(true);
    expect(a).toMatch(/^dev_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(a.slice(0, 14)).toBe(newId('dev', Date.UTC(2024, 0, 1)).slice(0, 14));
    expect(a < b).toBe(true);
  });

  it('does not repeat across many ids in the same millisecond (pool refills included)', () => {
    const ids = new Set(Array.from({ length: 20_000 }, () => newDeviceId(1_700_000_000_000)));
    expect(ids.size).toBe(20_000);
  });
});
