import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCpeAttribute, cpeMatchContains, cpeMatches, cpeMatchToRange, formatCpe23, parseCpe23, type Cpe } from './cpe.js';
import { formatRange } from './range.js';

function cpe(s: string): Cpe {
  const r = parseCpe23(s);
  if (!r.ok) throw new Error(`${s}: ${r.error.message}`);
  return r.value;
}

describe('CPE 2.3 formatted strings', () => {
  it('parses ANY, NA and escaped colons', () => {
    const c = cpe('cpe:2.3:o:microsoft:windows_10_1607:-:*:*:*:*:*:x64:*');
    expect(c.version).toEqual({ kind: 'na' });
    expect(c.update).toEqual({ kind: 'any' });
    expect(c.targetHw).toMatchObject({ kind: 'value', literal: 'x64' });
    expect(cpe('cpe:2.3:a:foo\\:bar:baz:1.0:*:*:*:*:*:*:*').vendor).toMatchObject({ literal: 'foo:bar' });
  });

  it('round-trips through formatting, re-escaping special characters', () => {
    const s = 'cpe:2.3:a:x.org:libxpm\\!:3.5\\.1:*:*:*:*:*:*:*';
    expect(formatCpe23(cpe(s))).toBe('cpe:2.3:a:x.org:libxpm\\!:3.5.1:*:*:*:*:*:*:*');
  });

  it.each([
    ['cpe:2.3:a:foo:bar', 'expected 13'],
    ['cpe:2.2:a:foo:bar:1:*:*:*:*:*:*:*', 'must start with "cpe:2.3:"'],
    ['cpe:2.3:x:foo:bar:1:*:*:*:*:*:*:*', 'part must be'],
    ['cpe:2.3:a:fo*o:bar:1:*:*:*:*:*:*:*', 'only allowed at the start or end'],
    ['cpe:2.3:a::bar:1:*:*:*:*:*:*:*', 'empty attribute'],
    ['cpe:2.3:a:foo:bar:1 2:*:*:*:*:*:*:*', 'not allowed'],
    ['cpe:2.3:a:foo:bar:1:*:*:*:*:*:*:\\', 'dangling escape'],
  ])('rejects %j', (s, message) => {
    const r = parseCpe23(s);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain(message);
  });

  it('matches attributes per NISTIR 7696 (ANY, NA, wildcards, case-insensitive)', () => {
    const any = { kind: 'any' } as const;
    const na = { kind: 'na' } as const;
    const v = (literal: string, prefix = '', suffix = '') => ({ kind: 'value', literal, prefix, suffix }) as const;
    expect(compareCpeAttribute(any, v('x'))).toBe('superset');
    expect(compareCpeAttribute(na, v('x'))).toBe('disjoint');
    expect(compareCpeAttribute(v('X'), v('x'))).toBe('equal');
    expect(compareCpeAttribute(v('x'), any)).toBe('subset');
    expect(compareCpeAttribute(v('win', '', '*'), v('windows'))).toBe('superset');
    expect(compareCpeAttribute(v('1.', '', '?'), v('1.2'))).toBe('superset');
    expect(compareCpeAttribute(v('1.', '', '?'), v('1.23'))).toBe('disjoint');
    expect(compareCpeAttribute(v('x'), v('x', '', '*'))).toBe('undefined');
  });

  it('matches a concrete component CPE against a pattern', () => {
    const pattern = cpe('cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*');
    expect(cpeMatches(pattern, cpe('cpe:2.3:a:openssl:openssl:1.0.2k:*:*:*:*:*:*:*'))).toBe(true);
    expect(cpeMatches(pattern, cpe('cpe:2.3:a:wolfssl:wolfssl:5.0:*:*:*:*:*:*:*'))).toBe(false);
  });
});

describe('NVD match criteria with version bounds', () => {
  const busybox = cpe('cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:*');

  it('turns versionEndExcluding into a typed range and tests firmware versions against it', () => {
    expect(formatRange(cpeMatchToRange(busybox, { versionEndExcluding: '1.29.0' }))).toBe('< 1.29.0');
    expect(cpeMatchContains(busybox, { versionEndExcluding: '1.29.0' }, cpe('cpe:2.3:a:busybox:busybox:1.28.4:*:*:*:*:*:*:*'))).toBe('yes');
    expect(cpeMatchContains(busybox, { versionEndExcluding: '1.29.0' }, cpe('cpe:2.3:a:busybox:busybox:1.36.1:*:*:*:*:*:*:*'))).toBe('no');
  });

  it('uses a literal criterion version as an exact match and ANY without bounds as all versions', () => {
    const xz = cpe('cpe:2.3:a:tukaani:xz:5.6.0:*:*:*:*:*:*:*');
    expect(formatRange(cpeMatchToRange(xz, {}))).toBe('5.6.0');
    expect(cpeMatchToRange(busybox, {}).kind).toBe('all');
  });

  it('says no for another product and unknown when the component version is ANY', () => {
    const linux = cpe('cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*');
    const bounds = { versionStartIncluding: '5.10', versionEndExcluding: '5.10.200' };
    expect(cpeMatchContains(linux, bounds, cpe('cpe:2.3:a:busybox:busybox:1.0:*:*:*:*:*:*:*'))).toBe('no');
    expect(cpeMatchContains(linux, bounds, cpe('cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*'))).toBe('unknown');
    expect(cpeMatchContains(linux, bounds, cpe('cpe:2.3:o:linux:linux_kernel:5.10.150:*:*:*:*:*:*:*'))).toBe('yes');
  });

  it('never throws on random or mutated CPE strings', () => {
    const seed = 'cpe:2.3:a:x.org:libxpm\\!:3.5.1:*:*:*:*:*:*:*';
    const mutated = fc.tuple(fc.nat(), fc.string({ maxLength: 3 })).map(([i, ins]) => seed.slice(0, i % seed.length) + ins + seed.slice((i % seed.length) + 1));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), mutated), (s) => {
        const r = parseCpe23(s);
        if (r.ok) {
          formatCpe23(r.value);
          cpeMatches(r.value, r.value);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
