import { describe, expect, it } from 'vitest';
import { SKIP_REST } from '../../model.js';
import { commandSet, pData, pdv, releaseRp, releaseRq } from '../testing/dicom.js';
import { C } from '../testing/dicom-services.js';
import { byteByByte, comparable, concat, cycling, dissect, fixedChunks, flowKey, play, streamFeeder, type Step } from '../testing/harness.js';
import { dicomDissector } from './dissector.js';

const CT = '1.2.840.10008.5.1.4.1.1.2';
const key = flowKey('tcp', 104);

describe('dicom associations seen from the middle', () => {
  // pixel data as a modality sends it: not a PDU header anywhere
  const pixels = (n: number, seed = 1) => Uint8Array.from({ length: n }, (_, i) => ((i * 31 + seed * 17) % 251) | 0x10);
  const storeRq = (id: number) => commandSet({ command: C.store, sopClassUid: CT, messageId: id, dataSet: true, affectedSopInstanceUid: `1.2.3.${id}` });
  const storeRsp = (id: number, status = 0) => pData(pdv(3, 3, commandSet({ command: C.store | C.rsp, sopClassUid: CT, respondingTo: id, status })));
  /** the end of a data PDV (message 7) whose start came before the capture */
  const tail = pixels(300, 9);
  const midStore: Step[] = [
    ['c2s', concat(tail, pData(pdv(3, 2, pixels(500))))],
    ['s2c', storeRsp(7)],
    ['c2s', concat(pData(pdv(3, 3, storeRq(8))), pData(pdv(3, 0, pixels(2000, 2))), pData(pdv(3, 2, pixels(1000, 3))))],
    ['s2c', storeRsp(8, 0xb000)],
    ['c2s', releaseRq()],
    ['s2c', releaseRp()],
  ];

  it('reads a C-STORE in progress from the next P-DATA-TF in both directions, the same in any chunking', () => {
    const baseline = comparable(dissect(dicomDissector, key, midStore));
    for (const chunker of [byteByByte, fixedChunks(5), fixedChunks(13), cycling([1, 7, 300, 2])]) {
      expect(comparable(dissect(dicomDissector, key, midStore, chunker))).toEqual(baseline);
    }
    expect(baseline.filter((o) => o.kind.endsWith('.malformed'))).toEqual([]);
    expect(baseline.filter((o) => o.kind === 'dicom.dimse').map((o) => [o.dir, o.fields.command, o.fields.sopClassName, o.fields.statusCategory])).toEqual([
      ['s2c', 'C-STORE-RSP', 'CT Image Storage', 'success'],
      ['c2s', 'C-STORE-RQ', 'CT Image Storage', null],
      ['s2c', 'C-STORE-RSP', 'CT Image Storage', 'warning'],
    ]);
    // the tail of the data set in progress is already patient data crossing in cleartext
    const dataSet = baseline.find((o) => o.kind === 'dicom.data-set');
    expect(dataSet?.fields).toMatchObject({ presentationContextId: 3, bytes: 500, sopClassUid: null });
    expect(dataSet?.findings?.map((f) => f.code)).toEqual(['dicom.cleartext-phi']);
    expect(baseline.find((o) => o.kind === 'dicom.association-summary')?.fields).toMatchObject({
      midStream: true,
      sawAssociate: false,
      accepted: null,
      released: true,
      dataSets: 2,
      dataSetBytes: 3500,
      commands: { 'C-STORE-RQ': 1, 'C-STORE-RSP': 2 },
      responses: expect.objectContaining({ success: 1, warning: 1 }),
    });
  });

  it('names the SOP class of a data set from the command before it on the same presentation context', () => {
    const steps: Step[] = [['c2s', concat(tail, pData(pdv(3, 3, storeRq(8))), pData(pdv(3, 2, pixels(64))))]];
    const obs = dissect(dicomDissector, key, steps, fixedChunks(9));
    expect(obs.find((o) => o.kind === 'dicom.data-set')?.fields).toMatchObject({ sopClassUid: CT, sopClassName: 'CT Image Storage', bytes: 64 });
  });

  it('asks to skip the data-set bytes of a large PDU read from the sync point', () => {
    const big = pData(pdv(3, 2, pixels(200_000)));
    let delivered = 0;
    const c = dicomDissector.create(key, () => undefined);
    const feed = streamFeeder({ skips: true, onData: (dir, d, meta) => ((delivered += d.length), c.onData(dir, d, meta)) });
    const stream = concat(tail, big, storeRsp(9));
    for (let i = 0; i < stream.length; i += 1460) feed('c2s', stream.slice(i, i + 1460), { frame: i, ts: 0 });
    const obs: string[] = [];
    const d = dicomDissector.create(key, (o) => obs.push(o.kind));
    play(d, [['c2s', stream]], fixedChunks(1460));
    expect(obs).toEqual(['dicom.data-set', 'dicom.dimse', 'dicom.association-summary']);
    expect(delivered).toBeLessThan(2 * 1460 + 4096);
  });

  it('detects a P-DATA-TF chain from any offset in the first 4 KiB, in either direction', () => {
    const cmdPdu = pData(pdv(3, 3, storeRq(8)));
    // a 16 KiB data PDU whose first fragment fills it: evidence once its first 12 bytes are in
    const large = pData(pdv(3, 0, pixels(16_378)));
    expect(dicomDissector.detect(concat(tail, large.subarray(0, 1160)), 'c2s', key)).toBe('yes');
    expect(dicomDissector.detect(concat(tail, large.subarray(0, 11)), 'c2s', key)).toBe('need-more');
    expect(dicomDissector.detect(concat(tail.subarray(0, 120), cmdPdu), 's2c', flowKey('tcp', 9999))).toBe('yes');
    // two PDVs per PDU: a command that parses, or a second P-DATA-TF after a whole one
    const twoPdvs = pData(pdv(3, 3, storeRq(8)), pdv(3, 2, pixels(40)));
    expect(dicomDissector.detect(concat(tail, twoPdvs), 'c2s', key)).toBe('yes');
    const dataPair = pData(pdv(5, 0, pixels(30)), pdv(5, 2, pixels(30)));
    expect(dicomDissector.detect(concat(tail, dataPair), 'c2s', key)).toBe('need-more');
    expect(dicomDissector.detect(concat(tail, dataPair, dataPair.subarray(0, 12)), 'c2s', key)).toBe('yes');
    // the same PDVs with an even context id, or a control byte with bit 2 set, are not DICOM
    const evenCtx = pData(pdv(4, 0, pixels(30)), pdv(4, 2, pixels(30)));
    expect(dicomDissector.detect(concat(tail, evenCtx, evenCtx), 'c2s', key)).toBe('no');
    const badControl = pData(pdv(5, 4, pixels(30)), pdv(5, 2, pixels(30)));
    expect(dicomDissector.detect(concat(tail, badControl, badControl), 'c2s', key)).toBe('no');
  });

  it('gives other protocols and random bytes no', () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    const http = enc('POST /api/v1/observations HTTP/1.1\r\nHost: 10.0.0.9\r\nContent-Type: application/json\r\nContent-Length: 4\r\n\r\n{}\r\n');
    const tls = concat(Uint8Array.of(0x17, 3, 3, 0x04, 0x00), pixels(1024), Uint8Array.of(0x17, 3, 3, 0, 0x40), pixels(64));
    const hl7 = concat(Uint8Array.of(0x0b), enc('MSH|^~\\&|ADT|HOSP|LIS|LAB|20240101||ADT^A08|MSG9|P|2.5\rPID|1||4711^^^MRN||DOE^JOHN\r'), Uint8Array.of(0x1c, 0x0d));
    const mqtt = concat(Uint8Array.of(0x32, 0x1d, 0, 0x17), enc('icu/bed4/monitor/vitals'), Uint8Array.of(0, 1), enc('{}'), Uint8Array.of(0x40, 2, 0, 1, 0xc0, 0));
    let seed = 7;
    const random = Uint8Array.from({ length: 4096 }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 255);
    for (const b of [http, tls, hl7, mqtt, random, random.subarray(0, 1460)]) {
      expect(dicomDissector.detect(b, 'c2s', key)).toBe('no');
      expect(dicomDissector.detect(b, 's2c', key)).toBe('no');
    }
  });

  it('on a port without late sync, stops reading a direction without a sync point in its first 4 KiB, without an error', () => {
    const obs: string[] = [];
    const c = dicomDissector.create(flowKey('tcp', 4242), (o) => obs.push(o.kind));
    expect(c.onData('c2s', pixels(3000), { frame: 1, ts: 0 })).toBe(0);
    expect(c.onData('c2s', pixels(3000, 2), { frame: 2, ts: 0 })).toBe(SKIP_REST);
    c.onClose?.('fin', { frame: 3, ts: 0 });
    expect(obs).toEqual([]);
  });

  it('on 104 and 11112 keeps looking past the first 4 KiB of a direction of an association content chose, the same in any chunking', () => {
    // the SCP's response proved DICOM; the SCU's side starts 10 KiB inside a large P-DATA-TF
    const steps: Step[] = [
      ['s2c', storeRsp(7)],
      ['c2s', concat(pixels(10_000), pData(pdv(3, 3, storeRq(8))), pData(pdv(3, 2, pixels(500, 2))))],
      ['s2c', storeRsp(8)],
    ];
    for (const port of [104, 11112]) {
      const k = flowKey('tcp', port);
      const obs = dissect(dicomDissector, k, steps);
      expect(obs.filter((o) => o.kind === 'dicom.dimse').map((o) => [o.dir, o.fields.command, o.fields.messageId ?? o.fields.respondingTo])).toEqual([
        ['s2c', 'C-STORE-RSP', 7],
        ['c2s', 'C-STORE-RQ', 8],
        ['s2c', 'C-STORE-RSP', 8],
      ]);
      expect(obs.find((o) => o.kind === 'dicom.data-set')?.fields).toMatchObject({ bytes: 500, sopClassUid: CT });
      expect(obs.some((o) => 'lateSync' in o.fields)).toBe(false);
      for (const chunker of [fixedChunks(7), fixedChunks(1460)]) expect(comparable(dissect(dicomDissector, k, steps, chunker))).toEqual(comparable(obs));
    }
    // on 4242 the same direction is not read
    expect(dissect(dicomDissector, flowKey('tcp', 4242), steps).filter((o) => o.dir === 'c2s')).toEqual([]);
  });
});
