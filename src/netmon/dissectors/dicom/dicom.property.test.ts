import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { associateAc, associateRq, commandSet, pData, pdv, releaseRp, releaseRq } from '../testing/dicom.js';
import { flowKey, type Chunker, type Step, cycling, outcome as outcomeOf } from '../testing/harness.js';
import { checkHostileBytes } from '../testing/late-sync.js';
import { dicomDissector } from './dissector.js';

const key = flowKey('tcp', 104);
const CT = '1.2.840.10008.5.1.4.1.1.2';
const rq = { calling: 'CT01', called: 'PACS', versionName: 'OFFIS_DCMTK_367', contexts: [{ id: 3, abstractSyntax: CT, transferSyntaxes: ['1.2.840.10008.1.2'] }] };

function store(dataBytes: number, commandSplit: number): Step[] {
  const cmd = commandSet({ command: 0x0001, sopClassUid: CT, messageId: 7, dataSet: true });
  const cut = commandSplit % (cmd.length + 1);
  return [
    ['c2s', associateRq(rq)],
    ['s2c', associateAc({ ...rq, results: [{ id: 3, result: 0, transferSyntax: '1.2.840.10008.1.2' }] })],
    // the command either whole or in two fragments, then the data set in two PDVs
    ['c2s', cut === 0 ? pData(pdv(3, 3, cmd)) : pData(pdv(3, 1, cmd.subarray(0, cut)), pdv(3, 3, cmd.subarray(cut)))],
    ['c2s', pData(pdv(3, 0, new Uint8Array(dataBytes >> 1)), pdv(3, 2, new Uint8Array(dataBytes - (dataBytes >> 1))))],
    ['s2c', pData(pdv(3, 3, commandSet({ command: 0x8001, respondingTo: 7, status: 0 })))],
    ['c2s', releaseRq()],
    ['s2c', releaseRp()],
  ];
}

const outcome = (steps: readonly Step[], chunker?: Chunker) => outcomeOf(dicomDissector, key, steps, chunker);

describe('dicom dissector on mutated conversations', () => {
  it('throws only DissectorError and gives the same result in any chunking', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40_000 }),
        fc.nat(200),
        fc.array(fc.record({ step: fc.nat(), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { maxLength: 4 }),
        fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 8 }),
        (dataBytes, split, edits, sizes) => {
          const steps = store(dataBytes, split).map(([dir, b]) => [dir, b.slice()] as const);
          for (const e of edits) {
            const b = steps[e.step % steps.length]![1];
            if (b.length > 0) b[e.at % Math.min(b.length, 400)] = e.value;
          }
          expect(outcome(steps, cycling(sizes))).toEqual(outcome(steps));
        },
      ),
      { numRuns: Number(process.env.CAREGUARD_PROPERTY_RUNS ?? 150) },
    );
  });
});

describe('dicom late sync on ports 104 and 11112 (content detection failed)', () => {
  // P-DATA-TF headers (04 00), small lengths, odd context ids, control bytes 0-3, command bytes
  const alphabet = [0x04, 0x00, 0x01, 0x02, 0x03, 0x05, 0x06, 0x0c, 0x10, 0x20, 0x80, 0xff];
  for (const port of [104, 11112]) {
    it(`random and hostile bytes on port ${port} never fault, stay bounded, and random ones produce no observation`, () => {
      const runs = Number(process.env.CAREGUARD_PROPERTY_RUNS ?? 100);
      expect(checkHostileBytes({ port, protocol: 'dicom', alphabet, maxCarried: 4096, numRuns: runs })).toBeGreaterThan(runs / 2);
    });
  }
});
