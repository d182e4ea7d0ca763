import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { untrustedInputs } from '../sources/testing/fuzz.js';
import { VexParseError } from './errors.js';
import { exportCsafVex } from './export/csaf.js';
import { exportCycloneDxVex } from './export/cyclonedx.js';
import { exportOpenVex } from './export/openvex.js';
import { parseVex } from './import/parse.js';
import { fixtureText } from './testing/helpers.js';
import { base } from './testing/sample.js';

const publisher = { category: 'vendor', name: 'Acme', namespace: 'https://acme.test' } as const;
const small = { ...base, findings: base.findings.slice(12) };
const SEEDS: Record<string, string[]> = {
  cyclonedx: [fixtureText('cyclonedx-every-state.cdx-1.5.json'), JSON.stringify(exportCycloneDxVex(small))],
  csaf: [fixtureText('csaf-vex-every-status.json'), JSON.stringify(exportCsafVex({ ...small, publisher }))],
  openvex: [fixtureText('openvex-every-status.json'), fixtureText('openvex-0.0.2-legacy.json'), JSON.stringify(exportOpenVex({ ...small, author: 'Acme' }))],
};

// a small real CISA advisory when the shared data is there (the fixtures cover the same shapes otherwise)
const real = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/data/csaf/icsma/icsma-20-049-01.json');
try {
  SEEDS.csaf!.push(readFileSync(real, 'utf8'));
} catch {
  // absent locally: the hand-written CSAF seeds still exercise every branch of the importer
}

function onlyTypedErrors(input: string): void {
  try {
    parseVex(input, 'fuzz.json');
  } catch (e) {
    if (!(e instanceof VexParseError)) throw e;
    expect(e.location?.file).toBe('fuzz.json');
  }
}

describe('parseVex on untrusted input', () => {
  it.each(Object.keys(SEEDS))('throws nothing but VexParseError on random and mutated %s documents', (format) => {
    fc.assert(fc.property(untrustedInputs(SEEDS[format]!), onlyTypedErrors), { numRuns: 600 });
  });

  it('names a JSON pointer for every structural error in a parsed document', () => {
    fc.assert(
      fc.property(untrustedInputs(Object.values(SEEDS).flat()), (input) => {
        try {
          parseVex(input, 'fuzz.json');
        } catch (e) {
          if (!(e instanceof VexParseError)) throw e;
          if (e.code !== 'vex.invalid_json' && e.code !== 'vex.too_large') expect(typeof e.pointer).toBe('string');
        }
      }),
      { numRuns: 600 },
    );
  });

  it('terminates on deeply nested JSON with a typed error or a result', () => {
    const deep = `${'['.repeat(20000)}${']'.repeat(20000)}`;
    onlyTypedErrors(deep);
    onlyTypedErrors(`{"bomFormat":"CycloneDX","specVersion":"1.6","vulnerabilities":[{"id":"x","analysis":{"state":${deep}}}]}`);
    expect(() => parseVex(`{"bomFormat":"CycloneDX","specVersion":"1.6","vulnerabilities":[{"id":"x","analysis":{"state":${deep}}}]}`, 'deep.json')).toThrow(
      expect.objectContaining({ code: 'vex.invalid', location: expect.objectContaining({ pointer: '/vulnerabilities/0/analysis/state' }) }),
    );
  });
});
