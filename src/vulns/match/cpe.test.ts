import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareCpes, readCpe, versionOfCpe } from './cpe.js';

const cpe = (s: string) => {
  const c = readCpe(s);
  if (!c) throw new Error(s);
  return c;
};

describe('CPE identity for matching', () => {
  it('reads CPE 2.3 strings and CPE 2.2 URIs into the same vendor:product key', () => {
    expect(cpe('cpe:2.3:o:redhat:enterprise_linux:8:*:*:*:*:*:*:*').key).toBe('redhat:enterprise_linux');
    expect(cpe('cpe:/o:redhat:enterprise_linux:8').key).toBe('redhat:enterprise_linux');
    expect(versionOfCpe(cpe('cpe:/o:redhat:enterprise_linux:8').cpe)).toBe('8');
    expect(cpe('cpe:/a:x.org:libxpm:3.5%2E1').key).toBe('x.org:libxpm');
  });

  it('gives no key when vendor or product is a wildcard, and rejects non-CPE text', () => {
    expect(cpe('cpe:2.3:a:*:openssl:1.0:*:*:*:*:*:*:*').key).toBeUndefined();
    expect(readCpe('openssl 1.0.2')).toBeUndefined();
    expect(readCpe('cpe:2.3:a:foo')).toBeUndefined();
    expect(readCpe('cpe:/x:foo:bar')).toBeUndefined();
  });

  it('folds a literal update into the version (1.3 + rc1 → 1.3-rc1), as the NVD normalizer does', () => {
    expect(versionOfCpe(cpe('cpe:2.3:a:open62541:open62541:1.3:rc1:*:*:*:*:*:*').cpe)).toBe('1.3-rc1');
    expect(versionOfCpe(cpe('cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:*:*').cpe)).toBeUndefined();
  });

  it('treats an unstated (*) attribute of the component CPE as compatible, a different literal as a mismatch', () => {
    const crit = cpe('cpe:2.3:a:gitlab:gitlab:*:*:*:*:community:*:*:*').cpe;
    expect(compareCpes(crit, cpe('cpe:2.3:a:gitlab:gitlab:14.4.0:*:*:*:*:*:*:*').cpe)).toMatchObject({ ok: true, confidence: 1 });
    expect(compareCpes(crit, cpe('cpe:2.3:a:gitlab:gitlab:14.4.0:*:*:*:enterprise:*:*:*').cpe)).toEqual({ ok: false });
  });

  it("accepts part 'a' for an 'o' criterion with lower confidence, never hardware for software", () => {
    const os = cpe('cpe:2.3:o:linux:linux_kernel:*:*:*:*:*:*:*:*').cpe;
    expect(compareCpes(os, cpe('cpe:2.3:a:linux:linux_kernel:5.10:*:*:*:*:*:*:*').cpe)).toMatchObject({ ok: true, confidence: 0.85 });
    expect(compareCpes(os, cpe('cpe:2.3:h:linux:linux_kernel:-:*:*:*:*:*:*:*').cpe)).toEqual({ ok: false });
  });

  it('never throws on random or mutated input', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((x) => `cpe:/${x}`), fc.string().map((x) => `cpe:2.3:${x}`)), (x) => {
        const c = readCpe(x);
        if (c) expect(typeof versionOfCpe(c.cpe)).toMatch(/string|undefined/);
      }),
      { numRuns: 2000 },
    );
  });
});
