import { describe, expect, it } from 'vitest';
import { AdvisoryIndex, matchTarget, TargetIndex } from './advisory-index.js';
import { matchAdvisory } from './match.js';
import { withProductContext } from './target.js';
import { csaf, csafTree, nvd, osv, product, semverRange, target } from './testing.js';

const lodash = osv([{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [semverRange('0', '4.17.21')] }]);
const express = osv([{ package: { ecosystem: 'npm', name: 'express' }, ranges: [semverRange('0', '4.19.2')] }]);
const busybox = nvd('CVE-2018-1000500', [[[{ criteria: 'cpe:2.3:a:busybox:busybox:*:*:*:*:*:*:*:*', versionEndExcluding: '1.32.0' }]]]);
const pumpAdvisory = csaf(csafTree('Acme Medical', 'PumpOS', [['<= 2.6A', 'P1']]), { known_affected: ['P1'] });

const targets = [
  target({ ref: 'c1', name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20' }),
  target({ ref: 'c2', name: 'express', version: '4.19.2', purl: 'pkg:npm/express@4.19.2' }),
  target({ ref: 'c3', name: 'busybox', version: '1.31.1', cpes: ['cpe:2.3:a:busybox:busybox:1.31.1:*:*:*:*:*:*:*'] }),
  product('Acme Medical', 'PumpOS', '2.6', { id: 'prod-1' }),
];

describe('AdvisoryIndex', () => {
  const index = new AdvisoryIndex();
  for (const a of [lodash, express, busybox, pumpAdvisory]) index.add(a);

  it('returns only the advisories sharing a key with a target', () => {
    expect(index.size).toBe(4);
    expect(index.candidates(targets[0]!)).toEqual([lodash]);
    expect(index.candidates(targets[2]!)).toEqual([busybox]);
    expect(index.candidates(target({ name: 'left-pad', version: '1.0.0', purl: 'pkg:npm/left-pad@1.0.0' }))).toEqual([]);
  });

  it('matchTarget gives the same matches as matchAdvisory over all targets', () => {
    const viaIndex = targets.flatMap((t) => matchTarget(index, t));
    const viaAdvisory = [lodash, express, busybox, pumpAdvisory].flatMap((a) => matchAdvisory(a, targets));
    const key = (m: { advisoryId: string; componentRef: string }) => `${m.advisoryId} ${m.componentRef}`;
    expect(viaIndex.map(key).sort()).toEqual(viaAdvisory.map(key).sort());
    expect(viaIndex).toHaveLength(3);
  });

  it('replaces an advisory with the same id and removes it by id', () => {
    const idx = new AdvisoryIndex();
    idx.add(lodash);
    idx.add({ ...lodash, affected: [] });
    expect(idx.size).toBe(1);
    expect(matchTarget(idx, targets[0]!)).toEqual([]);
    idx.remove(lodash.id);
    expect(idx.size).toBe(0);
    expect(idx.candidates(targets[0]!)).toEqual([]);
    idx.remove('unknown');
  });

  it('drops an advisory when a withdrawn version of it arrives', () => {
    const idx = new AdvisoryIndex();
    idx.add(lodash);
    idx.add({ ...lodash, withdrawn: '2024-03-01T00:00:00.000Z' });
    expect(idx.size).toBe(0);
    expect(matchTarget(idx, targets[0]!)).toEqual([]);
  });

  it('decides "running on" requirements from the target product context', () => {
    const idf = nvd('CVE-2020-13595', [[[{ criteria: 'cpe:2.3:a:espressif:esp-idf:*:*:*:*:*:*:*:*', versionEndIncluding: '4.2' }], [{ criteria: 'cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*', vulnerable: false }]]]);
    const idx = new AdvisoryIndex();
    idx.add(idf);
    const [sdk, chip] = withProductContext([
      target({ name: 'esp-idf', version: '4.1', cpes: ['cpe:2.3:a:espressif:esp-idf:4.1:*:*:*:*:*:*:*'] }),
      target({ name: 'ESP32', cpes: ['cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*'] }),
    ]);
    expect(matchTarget(idx, sdk!)[0]?.needsReview).toBe(false);
    expect(matchTarget(idx, chip!)).toEqual([]);
    expect(matchTarget(idx, target({ name: 'esp-idf', version: '4.1', cpes: ['cpe:2.3:a:espressif:esp-idf:4.1:*:*:*:*:*:*:*'] }))[0]?.needsReview).toBe(true);
  });
});

describe('matching the same component in many product versions', () => {
  it('gives each product its own match with its own ids and unshared evidence', () => {
    const spec = { ref: 'lib', name: 'lodash', version: '4.17.20', purl: 'pkg:npm/lodash@4.17.20' };
    const [a, b] = matchAdvisory(lodash, [target(spec, 'p1'), target(spec, 'p2')]);
    expect([a?.productId, b?.productId]).toEqual(['p1', 'p2']);
    expect({ ...a, productId: 'x' }).toEqual({ ...b, productId: 'x' });
    expect(a?.evidence).not.toBe(b?.evidence);
    expect(matchAdvisory(lodash, [target({ ...spec, version: '4.17.21', purl: 'pkg:npm/lodash@4.17.21' }, 'p3')])).toEqual([]);
  });

  it('still decides "running on" per product', () => {
    const idf = nvd('CVE-2020-13595', [[[{ criteria: 'cpe:2.3:a:espressif:esp-idf:*:*:*:*:*:*:*:*', versionEndIncluding: '4.2' }], [{ criteria: 'cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*', vulnerable: false }]]]);
    const sdk = { name: 'esp-idf', version: '4.1', cpes: ['cpe:2.3:a:espressif:esp-idf:4.1:*:*:*:*:*:*:*'] };
    const ms = matchAdvisory(idf, [target(sdk, 'with'), target({ name: 'ESP32', cpes: ['cpe:2.3:h:espressif:esp32:-:*:*:*:*:*:*:*'] }, 'with'), target(sdk, 'without')]);
    expect(ms.map((m) => [m.productId, m.needsReview])).toEqual([['with', false], ['without', true]]);
  });
});

describe('TargetIndex', () => {
  it('returns the targets a new advisory can match, so only they are re-matched', () => {
    const ti = new TargetIndex();
    for (const t of targets) ti.add(t);
    expect(ti.size).toBe(4);
    expect(ti.candidates(lodash)).toEqual([targets[0]]);
    expect(ti.candidates(pumpAdvisory)).toEqual([targets[3]]);
    expect(matchAdvisory(lodash, ti.candidates(lodash))).toHaveLength(1);
  });
});
