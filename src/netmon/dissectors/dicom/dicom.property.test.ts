import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { associateAc, associateRq, commandSet, pData, pdv, releaseRp, releaseRq } from '../testing/dicom.js';
import { flowKey, type Chunker, type Step, cycling, outcome as outcomeOf } from '../testing/harness.js';
import { dispatchGaps, losing, type Loss } from '../testing/gaps.js';
import { checkHostileBytes, perDirection } from '../testing/late-sync.js';
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

describe('dicom with random gaps (a capture losing segments)', () => {
  // pixel data as modalities send it carries no byte 0x04 here, so no PDU header hides in it
  const pixels = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => ((i * 31 + seed * 17) % 251) | 0x10);
  const rqOpening = associateRq(rq);
  const acOpening = associateAc({ ...rq, results: [{ id: 3, result: 0, transferSyntax: '1.2.840.10008.1.2' }] });

  interface Pdu {
    dir: 'c2s' | 's2c';
    bytes: Uint8Array;
    /** the command it carries, as observed: [command, messageId or respondingTo] */
    command: [string, number] | null;
  }

  /** stores of data sets of the given sizes, in PDUs of at most 16 KiB, each answered; then the release */
  function conversation(sizes: readonly number[]): Pdu[] {
    const pdus: Pdu[] = [
      { dir: 'c2s', bytes: rqOpening, command: null },
      { dir: 's2c', bytes: acOpening, command: null },
    ];
    sizes.forEach((size, k) => {
      const id = k + 1;
      pdus.push({ dir: 'c2s', bytes: pData(pdv(3, 3, commandSet({ command: 0x0001, sopClassUid: CT, messageId: id, dataSet: true }))), command: ['C-STORE-RQ', id] });
      for (let at = 0; at < size || at === 0; at += 16_384) {
        const n = Math.min(16_384, size - at);
        pdus.push({ dir: 'c2s', bytes: pData(pdv(3, at + n >= size ? 2 : 0, pixels(Math.max(n, 1), id))), command: null });
      }
      pdus.push({ dir: 's2c', bytes: pData(pdv(3, 3, commandSet({ command: 0x8001, sopClassUid: CT, respondingTo: id, status: 0 }))), command: ['C-STORE-RSP', id] });
    });
    pdus.push({ dir: 'c2s', bytes: releaseRq(), command: null }, { dir: 's2c', bytes: releaseRp(), command: null });
    return pdus;
  }

  it('never faults, reads every command no loss touches and nothing else, the same in any chunking', () => {
    const runs = Number(process.env.CAREGUARD_PROPERTY_RUNS ?? 100);
    let resynced = 0;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40_000 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.record({ dir: fc.constantFrom<'c2s' | 's2c'>('c2s', 's2c'), from: fc.nat(), length: fc.integer({ min: 1, max: 3000 }) }), { maxLength: 10 }),
        fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 6 }),
        (sizes, cuts, chunks) => {
          const pdus = conversation(sizes);
          const steps: Step[] = pdus.map((p) => [p.dir, p.bytes]);
          // where each PDU starts in its direction's stream
          const at = new Map<Pdu, number>();
          const length = { c2s: 0, s2c: 0 };
          for (const p of pdus) {
            at.set(p, length[p.dir]);
            length[p.dir] += p.bytes.length;
          }
          // losses after each side's opening PDU (content detection has seen it), not overlapping
          const losses: Loss[] = [];
          for (const dir of ['c2s', 's2c'] as const) {
            let next = dir === 'c2s' ? rqOpening.length : acOpening.length;
            for (const c of cuts.filter((x) => x.dir === dir).sort((a, b) => a.from - b.from)) {
              const from = next + (c.from % 20_000);
              if (from + c.length >= length[dir]) break;
              losses.push({ dir, from, length: c.length });
              next = from + c.length + 1;
            }
          }
          const lossy = losing(steps, losses);
          const { obs } = dispatchGaps(key, lossy);
          expect(obs.filter((o) => o.kind.endsWith('.malformed') || o.kind.endsWith('.dissector-fault'))).toEqual([]);
          expect(perDirection(dispatchGaps(key, lossy, cycling(chunks)).obs)).toEqual(perDirection(obs));
          const touched = (p: Pdu) => losses.some((l) => l.dir === p.dir && l.from < (at.get(p) as number) + p.bytes.length && l.from + l.length > (at.get(p) as number));
          for (const dir of ['c2s', 's2c'] as const) {
            const read = obs.filter((o) => o.kind === 'dicom.dimse' && o.dir === dir).map((o) => [o.fields.command, o.fields.messageId ?? o.fields.respondingTo]);
            const intact = pdus.filter((p) => p.dir === dir && p.command !== null && !touched(p)).map((p) => p.command);
            expect(read).toEqual(intact);
          }
          const summary = obs.find((o) => o.kind === 'dicom.association-summary')?.fields as { gapResync: Record<'c2s' | 's2c', { gaps: number; givenUp: boolean }> };
          for (const dir of ['c2s', 's2c'] as const) expect(summary.gapResync[dir]).toMatchObject({ gaps: losses.filter((l) => l.dir === dir).length, givenUp: false });
          if (obs.some((o) => o.fields.resyncedAfterGap !== undefined)) resynced++;
        },
      ),
      { numRuns: runs },
    );
    // the property was exercised: commands were read after losses
    expect(resynced).toBeGreaterThan(runs / 4);
  });
});
