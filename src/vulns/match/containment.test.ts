import { describe, expect, it } from 'vitest';
import { allVersions, constraintsRange, exactVersions } from '../../core/versions/index.js';
import type { AffectedProduct } from '../model.js';
import { containment } from './containment.js';

const entry = (over: Partial<AffectedProduct>): AffectedProduct => ({ ranges: [], versions: [], fixed: [], status: 'known_affected', classification: 'range', confidence: 1, needsReview: false, ...over });
const git = constraintsRange('git', [[{ op: '>=', version: 'cf41627411886000429bde058a6594fb7f6d6d47' }, { op: '<', version: '03b825811ed4af0addcdf6e75bacb3dc1c4c5940' }]]);

describe('containment', () => {
  it('decides with the entry scheme and reports the deciding range and its specificity', () => {
    const e = entry({ ranges: [constraintsRange('npm', [[{ op: '<', version: '1.0.0' }]]), exactVersions('npm', ['2.0.0'])] });
    expect(containment(e, '0.9.0')).toMatchObject({ result: 'yes', rangeIndex: 0, specificity: 2 });
    expect(containment(e, '2.0.0')).toMatchObject({ result: 'yes', rangeIndex: 1, specificity: 3 });
    expect(containment(e, '1.5.0')).toMatchObject({ result: 'no' });
  });

  it('ignores commit ranges for release versions, and uses them for commit versions', () => {
    const e = entry({ ranges: [git, constraintsRange('deb', [[{ op: '<', version: '1.0-2' }]])] });
    expect(containment(e, '1.0-1').result).toBe('yes');
    expect(containment(e, '1.0-2').result).toBe('no');
    expect(containment(entry({ ranges: [git] }), '1.0.2').reason).toContain('only commit ranges');
    expect(containment(entry({ ranges: [exactVersions('git', ['cf41627'])] }), 'CF41627').result).toBe('yes');
  });

  it('answers unknown, never no, without ranges or without a version (unless all versions are affected)', () => {
    expect(containment(entry({}), '1.0').result).toBe('unknown');
    expect(containment(entry({ ranges: [constraintsRange('npm', [[{ op: '<', version: '1.0.0' }]])] }), undefined).result).toBe('unknown');
    expect(containment(entry({ ranges: [allVersions('generic')] }), undefined)).toMatchObject({ result: 'yes', specificity: 1 });
  });

  it('shows the version text as the advisory wrote it', () => {
    expect(containment(entry({ versionText: '2.3.6 and  below', ranges: [constraintsRange('generic', [[{ op: '<=', version: '2.3.6' }]])] }), '2.3.5').rangeText).toBe('2.3.6 and  below');
  });
});
