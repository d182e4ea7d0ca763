import { describe, expect, it } from 'vitest';
import { groupNote, observationEndpoints, observationFieldSummary } from './observations.js';

describe('observation views', () => {
  it('writes the endpoints client first, bracketing IPv6 addresses, and nothing without a flow', () => {
    expect(observationEndpoints({ flow: { transport: 'tcp', client: { ip: '10.0.0.5', port: 50000 }, server: { ip: '10.0.0.9', port: 443 } } })).toBe('10.0.0.5:50000 → 10.0.0.9:443');
    expect(observationEndpoints({ flow: { transport: 'udp', client: { ip: 'fe80::1', port: 546 }, server: { ip: 'ff02::1:2', port: 547 } } })).toBe('[fe80::1]:546 → [ff02::1:2]:547');
    expect(observationEndpoints({})).toBe('');
  });

  it('summarises scalar fields in order, skipping nulls and nested values, cut at the limit', () => {
    expect(observationFieldSummary({ sni: 'pacs.local', ja3: 'abc', extensions: [1, 2], alpn: null, resumed: false, version: 771 })).toBe('sni=pacs.local ja3=abc resumed=false version=771');
    expect(observationFieldSummary({ a: 'x'.repeat(50) }, 20)).toBe(`a=${'x'.repeat(17)}…`);
    expect(observationFieldSummary({ a: 'x'.repeat(50) }, 20)).toHaveLength(20);
  });

  it('explains a group count against the per-group share', () => {
    expect(groupNote(undefined, 10)).toBeUndefined();
    expect(groupNote(1, 10)).toBe('only one');
    expect(groupNote(7, 10)).toBe('7 in all');
    expect(groupNote(6918, 10)).toBe('6918 in all, first 10 kept');
    expect(groupNote(25, undefined)).toBe('25 in all');
  });
});
