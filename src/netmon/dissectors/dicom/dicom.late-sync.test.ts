import { describe, expect, it } from 'vitest';
import { SKIP_REST } from '../../model.js';
import { createDispatcher } from '../registry.js';
import { SELECTED_BY } from '../support/late-sync.js';
import { associateAc, associateRq, commandSet, pData, pdv, type AssociateOptions } from '../testing/dicom.js';
import { C } from '../testing/dicom-services.js';
import { byteByByte, comparable, concat, fixedChunks, flowKey, type Step } from '../testing/harness.js';
import { dispatchFlow, perDirection, seenFrom } from '../testing/late-sync.js';

const CT = '1.2.840.10008.5.1.4.1.1.2';
const IMPLICIT = '1.2.840.10008.1.2';
const MiB = 1024 * 1024;
const rq: AssociateOptions = { calling: 'CT01', called: 'PACS', versionName: 'OFFIS_DCMTK_367', contexts: [{ id: 3, abstractSyntax: CT, transferSyntaxes: [IMPLICIT] }] };
// pixel data as a modality sends it: no byte 0x04, so no PDU header anywhere in it
const pixels = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => ((i * 31 + seed * 17) % 251) | 0x10);
const storeRq = (id: number) => pData(pdv(3, 3, commandSet({ command: C.store, sopClassUid: CT, messageId: id, dataSet: true, affectedSopInstanceUid: `1.2.3.${id}` })));
const storeRsp = (id: number, status = 0) => pData(pdv(3, 3, commandSet({ command: C.store | C.rsp, sopClassUid: CT, respondingTo: id, status })));

/** A C-STORE association as toolkits send it, data sets in 1 MiB P-DATA-TF PDUs (12 + MiB - 12 bytes each). */
function association(): { steps: Step[]; firstBigPdu: number; afterBigPdu: number } {
  const assoc = associateRq(rq);
  const big = pData(pdv(3, 0, pixels(MiB - 12)));
  const steps: Step[] = [
    ['c2s', assoc],
    ['s2c', associateAc({ ...rq, results: [{ id: 3, result: 0, transferSyntax: IMPLICIT }] })],
    ['c2s', storeRq(7)],
    ['c2s', big],
    ['c2s', pData(pdv(3, 2, pixels(200_000, 2)))],
    ['s2c', storeRsp(7)],
    ['c2s', concat(storeRq(8), pData(pdv(3, 2, pixels(30_000, 3))))],
    ['s2c', storeRsp(8, 0xb000)],
  ];
  const firstBigPdu = assoc.length + storeRq(7).length;
  return { steps, firstBigPdu, afterBigPdu: firstBigPdu + big.length };
}

describe('dicom late sync: a direction whose first 4 KiB lie inside a large P-DATA-TF', () => {
  const { steps, firstBigPdu, afterBigPdu } = association();
  // the monitor starts 10 KiB inside the first 1 MiB PDU; the server side after its A-ASSOCIATE-AC
  const seen = seenFrom(steps, { c2s: firstBigPdu + 10 * 1024, s2c: (steps[1]?.[1] as Uint8Array).length });
  const syncedAt = afterBigPdu - (firstBigPdu + 10 * 1024);

  it('reads it from the next PDU on port 104, marked as selected by port after content detection failed', () => {
    const { obs, dispatcher } = dispatchFlow(flowKey('tcp', 104), seen);
    expect(dispatcher.state).toBe('late-sync');
    expect(dispatcher.producer).toBe('dicom@1.6.0');
    expect(obs.filter((o) => o.kind.endsWith('.malformed'))).toEqual([]);
    expect(obs.filter((o) => o.kind === 'dicom.dimse').map((o) => [o.dir, o.fields.command, o.fields.messageId ?? o.fields.respondingTo, o.fields.statusCategory, o.fields.lateSync])).toEqual([
      ['s2c', 'C-STORE-RSP', 7, 'success', { selectedBy: SELECTED_BY, syncedAfterBytes: 0 }],
      ['c2s', 'C-STORE-RQ', 8, null, { selectedBy: SELECTED_BY, syncedAfterBytes: syncedAt }],
      ['s2c', 'C-STORE-RSP', 8, 'warning', { selectedBy: SELECTED_BY, syncedAfterBytes: 0 }],
    ]);
    // the last fragment of the data set in progress is patient data crossing in cleartext
    const dataSet = obs.find((o) => o.kind === 'dicom.data-set');
    expect(dataSet?.fields).toMatchObject({ bytes: 200_000, lateSync: { selectedBy: SELECTED_BY, syncedAfterBytes: syncedAt } });
    expect(dataSet?.findings?.map((f) => f.code)).toEqual(['dicom.cleartext-phi']);
    // the existing mid-stream markers, and the late sync of each direction
    expect(obs.find((o) => o.kind === 'dicom.association-summary')?.fields).toMatchObject({
      midStream: true,
      sawAssociate: false,
      commands: { 'C-STORE-RQ': 1, 'C-STORE-RSP': 2 },
      lateSync: {
        selectedBy: SELECTED_BY,
        scanLimit: 64 * MiB,
        c2s: { state: 'synced', syncedAfterBytes: syncedAt, carriedBytes: 0 },
        s2c: { state: 'synced', syncedAfterBytes: 0, carriedBytes: 0 },
      },
    });
  });

  it('gives the same observations in any chunking', () => {
    const key = flowKey('tcp', 104);
    const whole = dispatchFlow(key, seen).obs;
    const baseline = perDirection(whole);
    expect([baseline.c2s.length, baseline.s2c.length, baseline.flow.length]).toEqual([2, 2, 1]);
    // in segments of a real network each direction's observations also keep their place between the other's
    expect(comparable(dispatchFlow(key, seen, fixedChunks(1460)).obs)).toEqual(comparable(whole));
    for (const chunker of [byteByByte, fixedChunks(7), fixedChunks(1460)]) expect(perDirection(dispatchFlow(key, seen, chunker).obs)).toEqual(baseline);
  });

  it('leaves the same bytes unclassified on a port of no late-sync dissector, as before', () => {
    for (const port of [40000, 4242]) {
      const { obs, dispatcher } = dispatchFlow(flowKey('tcp', port), seen);
      expect(dispatcher.state).toBe('unclassified');
      expect(dispatcher.producer).toBeUndefined();
      expect(dispatcher.lateSync).toBeUndefined();
      expect(obs).toEqual([]);
    }
  });

  it('still lets content decide first: a whole association on port 104 is read as before, without lateSync fields', () => {
    const { obs, dispatcher } = dispatchFlow(flowKey('tcp', 104), steps);
    expect(dispatcher.state).toBe('dissecting');
    expect(obs.map((o) => o.kind)).toEqual(['dicom.associate-rq', 'dicom.associate-ac', 'dicom.dimse', 'dicom.data-set', 'dicom.dimse', 'dicom.dimse', 'dicom.dimse', 'dicom.association-summary']);
    expect(obs.filter((o) => 'lateSync' in o.fields)).toEqual([]);
  });
});

describe('dicom late sync: scan limit and bounds', () => {
  it('gives a direction up at the scan limit, says so, skips the rest and holds at most one window meanwhile', () => {
    const obs: string[] = [];
    const d = createDispatcher(flowKey('tcp', 104), (o) => obs.push(o.kind), { lateSyncScanLimit: 256 * 1024 });
    let answer = 0;
    let maxCarried = 0;
    let sent = 0;
    for (let frame = 1; answer !== SKIP_REST && frame < 1000; frame++) {
      answer = d.onData('c2s', pixels(1460, frame), { frame, ts: frame });
      sent += 1460;
      maxCarried = Math.max(maxCarried, d.lateSync?.c2s.carriedBytes ?? 0, d.heldBytes);
    }
    expect(answer).toBe(SKIP_REST);
    // given up within the chunk that reached 256 KiB
    expect(sent - 256 * 1024).toBeLessThan(1460);
    expect(maxCarried).toBeLessThanOrEqual(16 * 1024);
    expect(d.lateSync?.c2s).toEqual({ state: 'given-up', scannedBytes: 256 * 1024, carriedBytes: 0, syncedAfterBytes: null });
    expect(d.producer).toBeUndefined();
    d.onClose('fin', { frame: 2000, ts: 2000 });
    expect(obs).toEqual(['dicom.late-sync-given-up']);
  });

  it('reports the give-up as dicom.late-sync-given-up and nothing else', () => {
    const stream = pixels(300 * 1024, 5);
    const { obs, dispatcher } = dispatchFlow(flowKey('tcp', 11112), [['c2s', stream]], fixedChunks(1460), { lateSyncScanLimit: 100_000 });
    expect(obs.map((o) => [o.kind, o.dir, o.producer, o.fields])).toEqual([['dicom.late-sync-given-up', 'c2s', 'dicom@1.6.0', { selectedBy: SELECTED_BY, scannedBytes: 100_000, scanLimit: 100_000 }]]);
    expect(dispatcher.producer).toBeUndefined();
    expect(dispatcher.lateSync?.s2c.state).toBe('scanning');
  });

  it('carries at most one 4 KiB window per direction while scanning, whatever the chunking', () => {
    for (const size of [1, 7, 1000, 5000]) {
      const d = createDispatcher(flowKey('tcp', 104), () => undefined, { maxHeldBytes: 2048 });
      let max = 0;
      const stream = pixels(40_000, size);
      for (let pos = 0, frame = 1; pos < stream.length; pos += size, frame++) {
        d.onData('c2s', stream.slice(pos, pos + size), { frame, ts: frame });
        max = Math.max(max, d.lateSync?.c2s.carriedBytes ?? 0);
      }
      expect(d.state).toBe('late-sync');
      expect(d.lateSync?.c2s).toMatchObject({ state: 'scanning', scannedBytes: 40_000 });
      expect(max).toBeLessThanOrEqual(4096);
    }
  });
});
