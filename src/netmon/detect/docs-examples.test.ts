/** The JSON examples in docs/netmon-detections.md are real: the policy parses, the snapshot loads. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { baselineFromJson, baselineToJson } from '../baseline/index.js';
import { parsePolicyText } from './policy-validate.js';
import { Topology } from './topology.js';

const doc = readFileSync(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/netmon-detections.md'), 'utf8');
const jsonAfter = (heading: string): string => {
  const at = doc.indexOf(heading);
  const start = doc.indexOf('```json\n', at) + '```json\n'.length;
  return doc.slice(start, doc.indexOf('```', start));
};

describe('docs/netmon-detections.md examples', () => {
  it('the example policy is valid and means what the text says', () => {
    const policy = parsePolicyText(jsonAfter('## Policy file'), { file: 'docs example' });
    const topo = new Topology(policy);
    expect(topo.info('10.20.1.5')).toMatchObject({ zone: { name: 'imaging' }, criticality: 'diagnostic', device: { deviceId: 'dev_01HZX3' } });
    expect(topo.info('10.99.0.1').zone?.name).toBe('corporate');
    expect(topo.info('52.10.1.1')).toMatchObject({ internet: true, zone: { name: 'vendor-cloud' } });
    expect(policy.rules['baseline.new-service']?.enabled).toBe(false);
  });

  it('the example baseline snapshot loads and writes back identically', () => {
    const raw = JSON.parse(jsonAfter('### Baseline snapshots')) as unknown;
    expect(baselineToJson(baselineFromJson(raw))).toEqual(raw);
  });
});
