import { describe, expect, it } from 'vitest';
import { SKIP_REST, type Observation } from '../../model.js';
import { createDispatcher } from '../registry.js';
import { SELECTED_BY } from '../support/late-sync.js';
import { associateAc, associateRq, commandSet, pData, pdv, releaseRp, releaseRq, type AssociateOptions } from '../testing/dicom.js';
import { C } from '../testing/dicom-services.js';
import { dispatchGaps, dissectGaps, losing, playGaps, type GapStep } from '../testing/gaps.js';
import { byteByByte, concat, fixedChunks, flowKey, whole, type Step } from '../testing/harness.js';
import { perDirection } from '../testing/late-sync.js';
import { dicomDissector } from './dissector.js';

const key = flowKey('tcp', 104);
const CT = '1.2.840.10008.5.1.4.1.1.2';
const IMPLICIT = '1.2.840.10008.1.2';
const rq: AssociateOptions = { calling: 'CT01', called: 'PACS', contexts: [{ id: 3, abstractSyntax: CT, transferSyntaxes: [IMPLICIT] }] };
// pixel data without byte 0x04: no PDU header anywhere in it
const pixels = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => ((i * 31 + seed * 17) % 251) | 0x10);
const storeRq = (id: number) => pData(pdv(3, 3, commandSet({ command: C.store, sopClassUid: CT, messageId: id, dataSet: true, affectedSopInstanceUid: `1.2.3.${id}` })));
const storeRsp = (id: number, status = 0) => pData(pdv(3, 3, commandSet({ command: C.store | C.rsp, sopClassUid: CT, respondingTo: id, status })));
const dataPdu = (n: number, seed: number) => pData(pdv(3, 2, pixels(n, seed)));
const BIG = dataPdu(64 * 1024 - 12, 1);

/** C-STOREs of three images, the first in one 64 KiB data PDU, answered with success, a warning and a failure, then a release */
function association(): { steps: Step[]; bigAt: number; rsp2At: number } {
  const steps: Step[] = [
    ['c2s', associateRq(rq)],
    ['s2c', associateAc({ ...rq, results: [{ id: 3, result: 0, transferSyntax: IMPLICIT }] })],
    ['c2s', concat(storeRq(1), BIG)],
    ['s2c', storeRsp(1)],
    ['c2s', concat(storeRq(2), dataPdu(3000, 2))],
    ['s2c', storeRsp(2, 0xb000)],
    ['c2s', concat(storeRq(3), dataPdu(2000, 3))],
    ['s2c', storeRsp(3, 0xa700)],
    ['c2s', releaseRq()],
    ['s2c', releaseRp()],
  ];
  const bigAt = associateRq(rq).length + storeRq(1).length;
  const rsp2At = (steps[1]?.[1] as Uint8Array).length + storeRsp(1).length;
  return { steps, bigAt, rsp2At };
}

const events = (obs: readonly Observation[]) =>
  obs.filter((o) => o.dir !== undefined).map((o) => [o.dir, o.kind.slice(6), o.fields.command ?? null, o.fields.statusName ?? null, o.fields.resyncedAfterGap ?? null, o.fields.afterGap ?? null]);
const summaryOf = (obs: readonly Observation[]) => obs.find((o) => o.kind === 'dicom.association-summary')?.fields;
const noGaps = { gaps: 0, lostBytes: 0, resyncs: 0, skippedBytes: 0, givenUp: false };

describe('dicom after a gap: reads on from the next PDU', () => {
  const { steps, bigAt, rsp2At } = association();
  // a 1460-byte segment 20,000 bytes into the 64 KiB data PDU of the first C-STORE is lost
  const from = bigAt + 20_000;
  const skipped = bigAt + BIG.length - (from + 1460);

  it('a gap inside a 64 KiB data PDU: later commands, their statuses and the release are read, marked as after the gap', () => {
    const obs = dissectGaps(dicomDissector, key, losing(steps, [{ dir: 'c2s', from, length: 1460 }]));
    expect(events(obs)).toEqual([
      ['c2s', 'associate-rq', null, null, null, null],
      ['s2c', 'associate-ac', null, null, null, null],
      ['c2s', 'dimse', 'C-STORE-RQ', null, null, null],
      ['s2c', 'dimse', 'C-STORE-RSP', 'Success', null, null],
      // the first data set was in progress at the gap: not counted; the second is the first one seen
      ['c2s', 'dimse', 'C-STORE-RQ', null, 1, { gapBytes: 1460, skippedBytes: skipped }],
      ['c2s', 'data-set', null, null, 1, null],
      ['s2c', 'dimse', 'C-STORE-RSP', 'Coercion of Data Elements', null, null],
      ['c2s', 'dimse', 'C-STORE-RQ', null, 1, null],
      ['s2c', 'dimse', 'C-STORE-RSP', 'Refused: Out of Resources', null, null],
      ['c2s', 'release-rq', null, null, 1, null],
      ['s2c', 'release-rp', null, null, null, null],
    ]);
    expect(obs.filter((o) => o.kind === 'dicom.dimse' && o.dir === 'c2s').map((o) => o.fields.messageId)).toEqual([1, 2, 3]);
    expect(obs.find((o) => o.kind === 'dicom.data-set')?.fields).toMatchObject({ bytes: 3000, sopClassUid: CT });
    expect(summaryOf(obs)).toMatchObject({
      commands: { 'C-STORE-RQ': 3, 'C-STORE-RSP': 3 },
      dataSets: 2,
      dataSetBytes: 5000,
      released: true,
      midStream: false,
      sawAssociate: true,
      gapResync: { c2s: { gaps: 1, lostBytes: 1460, resyncs: 1, skippedBytes: skipped, givenUp: false }, s2c: noGaps },
    });
  });

  it('a gap in the SCP direction: the response it cut is lost, the later ones and the release are read', () => {
    const obs = dissectGaps(dicomDissector, key, losing(steps, [{ dir: 's2c', from: rsp2At + 20, length: 30 }]));
    expect(events(obs).filter(([dir]) => dir === 's2c')).toEqual([
      ['s2c', 'associate-ac', null, null, null, null],
      ['s2c', 'dimse', 'C-STORE-RSP', 'Success', null, null],
      ['s2c', 'dimse', 'C-STORE-RSP', 'Refused: Out of Resources', 1, { gapBytes: 30, skippedBytes: storeRsp(2, 0xb000).length - 50 }],
      ['s2c', 'release-rp', null, null, 1, null],
    ]);
    expect(obs.filter((o) => o.dir === 'c2s' && 'resyncedAfterGap' in o.fields)).toEqual([]);
    expect(summaryOf(obs)).toMatchObject({
      commands: { 'C-STORE-RQ': 3, 'C-STORE-RSP': 2 },
      responses: { success: 1, warning: 0, failure: 1 },
      gapResync: { c2s: noGaps, s2c: { gaps: 1, lostBytes: 30, resyncs: 1, skippedBytes: storeRsp(2, 0xb000).length - 50, givenUp: false } },
    });
  });

  it('gives the same observations per direction in any chunking, and through the dispatcher', () => {
    const lossy = losing(steps, [
      { dir: 'c2s', from, length: 1460 },
      { dir: 's2c', from: rsp2At + 20, length: 30 },
    ]);
    const baseline = perDirection(dissectGaps(dicomDissector, key, lossy));
    expect([baseline.c2s.length, baseline.s2c.length, baseline.flow.length]).toEqual([6, 4, 1]);
    for (const chunker of [byteByByte, fixedChunks(7), fixedChunks(1460)]) expect(perDirection(dissectGaps(dicomDissector, key, lossy, chunker))).toEqual(baseline);
    const { obs, dispatcher } = dispatchGaps(key, lossy, fixedChunks(1460));
    expect(dispatcher.producer).toBe('dicom@1.6.0');
    expect(perDirection(obs)).toEqual(baseline);
  });

  it('invents nothing from garbage after a gap: the direction is given up at the scan limit and skipped', () => {
    const lossy: GapStep[] = [...losing(steps.slice(0, 3), [{ dir: 'c2s', from, length: 1460 }]), ['c2s', pixels(300_000, 9)], ['c2s', concat(storeRq(2), releaseRq())]];
    for (const chunker of [fixedChunks(1460), fixedChunks(7)]) {
      const obs = dissectGaps(dicomDissector, key, lossy, chunker, { resyncScanLimit: 100_000 });
      expect(events(obs)).toEqual([
        ['c2s', 'associate-rq', null, null, null, null],
        ['s2c', 'associate-ac', null, null, null, null],
        ['c2s', 'dimse', 'C-STORE-RQ', null, null, null],
        ['c2s', 'resync-given-up', null, null, null, null],
      ]);
      expect(obs.find((o) => o.kind === 'dicom.resync-given-up')?.fields).toEqual({ gaps: 1, gapBytes: 1460, scannedBytes: 100_000, scanLimit: 100_000 });
      expect(summaryOf(obs)).toMatchObject({ gapResync: { c2s: { gaps: 1, lostBytes: 1460, resyncs: 0, skippedBytes: 0, givenUp: true }, s2c: noGaps } });
    }
    // once given up, flow tracking is asked to skip the rest of the direction
    const c = dicomDissector.create(key, () => undefined, { resyncScanLimit: 8192 });
    const meta = { frame: 1, ts: 1 };
    c.onData('c2s', associateRq(rq), meta);
    c.onGap?.('c2s', 100, meta);
    const answers = [1, 2, 3].map((seed) => c.onData('c2s', pixels(4096, seed), meta));
    expect(answers).toEqual([0, SKIP_REST, SKIP_REST]);
  });

  it('a direction still looking for its start keeps looking past a gap, without a resync', () => {
    // seen from inside the 64 KiB PDU on port 4242 (no sliding scan): its 4 KiB window is split by a gap
    const other = flowKey('tcp', 4242);
    const tail = BIG.subarray(BIG.length - 1000);
    const obs = dissectGaps(dicomDissector, other, [['c2s', tail.subarray(0, 500)], ['c2s', 'gap', 300], ['c2s', tail.subarray(800)], ['c2s', concat(storeRq(2), dataPdu(3000, 2))]]);
    expect(events(obs)).toEqual([
      ['c2s', 'dimse', 'C-STORE-RQ', null, null, null],
      ['c2s', 'data-set', null, null, null, null],
    ]);
    expect(summaryOf(obs)).toMatchObject({ midStream: true, gapResync: { c2s: { gaps: 1, lostBytes: 300, resyncs: 0, skippedBytes: 0, givenUp: false } } });
  });
});

describe('dicom late sync after a gap', () => {
  it('a late-synced direction is scanning again after a gap, then synced, and the flow stays recognised', () => {
    const obs: Observation[] = [];
    const d = createDispatcher(key, (o) => obs.push(o));
    let frame = 0;
    const meta = () => ({ frame: ++frame, ts: frame });
    // seen from inside a 1 MiB data PDU: late sync finds the next PDU 200 KiB on
    const tail = pixels(200 * 1024, 4);
    for (let at = 0; at < tail.length; at += 1460) d.onData('c2s', tail.subarray(at, at + 1460), meta());
    d.onData('c2s', concat(storeRq(7), BIG.subarray(0, 5000)), meta());
    expect(d.state).toBe('late-sync');
    expect(d.lateSync?.c2s).toEqual({ state: 'synced', scannedBytes: tail.length, carriedBytes: 0, syncedAfterBytes: tail.length });
    d.onGap('c2s', 1460, meta());
    d.onData('c2s', BIG.subarray(6460, 9000), meta());
    expect(d.lateSync?.c2s).toMatchObject({ state: 'scanning', scannedBytes: 2540, syncedAfterBytes: null, sinceGap: true });
    expect(d.producer).toBe('dicom@1.6.0');
    const rest = BIG.length - 9000;
    for (const part of [BIG.subarray(9000), storeRq(8), releaseRq()]) d.onData('c2s', part, meta());
    expect(d.lateSync?.c2s).toEqual({ state: 'synced', scannedBytes: 2540 + rest, carriedBytes: 0, syncedAfterBytes: 2540 + rest, sinceGap: true });
    d.onClose('fin', meta());
    expect(obs.filter((o) => o.dir === 'c2s').map((o) => [o.kind, o.fields.messageId ?? null, o.fields.resyncedAfterGap ?? null, o.fields.lateSync])).toEqual([
      ['dicom.dimse', 7, null, { selectedBy: SELECTED_BY, syncedAfterBytes: tail.length }],
      ['dicom.dimse', 8, 1, { selectedBy: SELECTED_BY, syncedAfterBytes: 2540 + rest }],
      ['dicom.release-rq', null, 1, { selectedBy: SELECTED_BY, syncedAfterBytes: 2540 + rest }],
    ]);
    expect(summaryOf(obs)).toMatchObject({
      gapResync: { c2s: { gaps: 1, lostBytes: 1460, resyncs: 1, skippedBytes: 2540 + rest, givenUp: false }, s2c: noGaps },
      lateSync: { c2s: { state: 'synced', sinceGap: true } },
    });
  });

  it('repeated gaps every few segments keep the carry within one window and never fault', () => {
    const obs: Observation[] = [];
    const d = createDispatcher(key, (o) => obs.push(o), { maxHeldBytes: 1024, resyncScanLimit: 1 << 20 });
    let maxCarried = 0;
    const stream = concat(pixels(8000, 5), ...Array.from({ length: 40 }, (_, i) => concat(storeRq(i + 1), dataPdu(6000, i))));
    // every third 1460-byte segment is lost
    const steps: GapStep[] = [];
    for (let at = 0, n = 0; at < stream.length; at += 1460, n++) steps.push(n % 3 === 2 ? ['c2s', 'gap', 1460] : ['c2s', stream.subarray(at, at + 1460)]);
    playGaps(d, steps, whole, false, () => {
      maxCarried = Math.max(maxCarried, d.lateSync?.c2s.carriedBytes ?? 0);
    });
    const meta = () => ({ frame: 1e6, ts: 1e6 });
    d.onClose('fin', meta());
    expect(d.state).toBe('late-sync');
    expect(maxCarried).toBeLessThanOrEqual(4096);
    expect(obs.filter((o) => o.kind.endsWith('.malformed') || o.kind.endsWith('.dissector-fault'))).toEqual([]);
    const summary = summaryOf(obs) as { gapResync: { c2s: { gaps: number; resyncs: number } } };
    expect(summary.gapResync.c2s.gaps).toBe(steps.filter((step) => step[1] === 'gap').length);
    expect(summary.gapResync.c2s.resyncs).toBeGreaterThan(10);
    // every command read is one that was sent
    for (const o of obs.filter((x) => x.kind === 'dicom.dimse')) expect(o.fields).toMatchObject({ command: 'C-STORE-RQ', sopClassUid: CT });
  });
});
