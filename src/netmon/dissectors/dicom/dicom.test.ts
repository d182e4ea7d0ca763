import { describe, expect, it } from 'vitest';
import { DissectorError } from '../errors.js';
import { abort, associateAc, associateRj, associateRq, commandSet, pData, pdv, releaseRp, releaseRq, type AssociateOptions } from '../testing/dicom.js';
import { C, UID, associate, cancelledFind, mpps, storageCommitment, storeForMove, studyGet, studyMove, worklistFind } from '../testing/dicom-services.js';
import { byteByByte, comparable, concat, cycling, dissect, fixedChunks, flowKey, play, streamFeeder, u16le, u32le, type Step } from '../testing/harness.js';
import { dicomDissector } from './dissector.js';

const CT = '1.2.840.10008.5.1.4.1.1.2';
const ECHO = '1.2.840.10008.1.1';
const IMPLICIT = '1.2.840.10008.1.2';
const key = flowKey('tcp', 104);

const rq: AssociateOptions = {
  calling: 'CT_SCANNER1',
  called: 'PACS_SCP',
  versionName: 'OFFIS_DCMTK_367',
  contexts: [
    { id: 1, abstractSyntax: ECHO, transferSyntaxes: [IMPLICIT] },
    { id: 3, abstractSyntax: CT, transferSyntaxes: ['1.2.840.10008.1.2.1', IMPLICIT] },
  ],
};
const ac = associateAc({ ...rq, results: [{ id: 1, result: 0, transferSyntax: IMPLICIT }, { id: 3, result: 3, transferSyntax: IMPLICIT }] });

function storeConversation(dataBytes: number, status = 0xb007): Step[] {
  const data = new Uint8Array(dataBytes).fill(0x41);
  return [
    ['c2s', associateRq(rq)],
    ['s2c', ac],
    ['c2s', pData(pdv(3, 3, commandSet({ command: 0x0001, sopClassUid: CT, messageId: 7, dataSet: true })))],
    ['c2s', pData(pdv(3, 0, data.subarray(0, dataBytes >> 1)))],
    ['c2s', pData(pdv(3, 2, data.subarray(dataBytes >> 1)))],
    ['s2c', pData(pdv(3, 3, commandSet({ command: 0x8001, sopClassUid: CT, respondingTo: 7, status })))],
    ['c2s', releaseRq()],
    ['s2c', releaseRp()],
  ];
}

describe('dicom dissector', () => {
  it('reports AE titles, presentation contexts with SOP class, modality and transfer syntax names, and the dcmtk fingerprint', () => {
    const obs = dissect(dicomDissector, key, storeConversation(100));
    const req = obs.find((o) => o.kind === 'dicom.associate-rq');
    expect(req?.producer).toBe('dicom@1.6.0');
    expect(req?.fields).toMatchObject({
      callingAe: 'CT_SCANNER1',
      calledAe: 'PACS_SCP',
      applicationContextIsDicom: true,
      modalities: ['CT'],
      deviceHints: ['CT scanner'],
      implementationVersionName: 'OFFIS_DCMTK_367',
      software: { product: 'dcmtk', version: '3.6.7', source: 'implementation-version-name' },
      maxPduLength: 16384,
      userIdentity: null,
    });
    expect(req?.fields.presentationContexts).toEqual([
      { id: 1, abstractSyntax: ECHO, abstractSyntaxName: 'Verification', category: 'verification', modality: null, transferSyntaxes: [{ uid: IMPLICIT, name: 'Implicit VR Little Endian' }] },
      {
        id: 3, abstractSyntax: CT, abstractSyntaxName: 'CT Image Storage', category: 'storage', modality: 'CT',
        transferSyntaxes: [{ uid: '1.2.840.10008.1.2.1', name: 'Explicit VR Little Endian' }, { uid: IMPLICIT, name: 'Implicit VR Little Endian' }],
      },
    ]);
  });

  it('maps accepted and rejected presentation contexts back to the proposed abstract syntax', () => {
    const acObs = dissect(dicomDissector, key, storeConversation(10)).find((o) => o.kind === 'dicom.associate-ac');
    expect(acObs?.fields).toMatchObject({ accepted: true, acceptedContextCount: 1, rejectedContextCount: 1 });
    expect(acObs?.fields.presentationContexts).toEqual([
      expect.objectContaining({ id: 1, resultName: 'acceptance', abstractSyntaxName: 'Verification', transferSyntaxName: 'Implicit VR Little Endian' }),
      expect.objectContaining({ id: 3, resultName: 'abstract-syntax-not-supported', abstractSyntax: CT, transferSyntax: null }),
    ]);
  });

  it('reports DIMSE commands with status category and skips data-set bytes, the same in any chunking', () => {
    const steps = storeConversation(3000);
    const baseline = comparable(dissect(dicomDissector, key, steps));
    const dimse = baseline.filter((o) => o.kind === 'dicom.dimse').map((o) => o.fields);
    expect(dimse).toEqual([
      expect.objectContaining({ command: 'C-STORE-RQ', messageId: 7, sopClassName: 'CT Image Storage', modality: 'CT', dataSetPresent: true }),
      expect.objectContaining({ command: 'C-STORE-RSP', respondingTo: 7, statusHex: '0xb007', statusCategory: 'warning', statusName: 'Data Set does not match SOP Class' }),
    ]);
    expect(baseline.find((o) => o.kind === 'dicom.association-summary')?.fields).toMatchObject({ dataSets: 1, dataSetBytes: 3000, released: true, accepted: true });
    expect(baseline.find((o) => o.kind === 'dicom.data-set')?.findings?.[0]?.code).toBe('dicom.cleartext-phi');
    expect(comparable(dissect(dicomDissector, key, steps, byteByByte))).toEqual(baseline);
    expect(comparable(dissect(dicomDissector, key, steps, fixedChunks(7)))).toEqual(baseline);
  });

  it('streams a 64 MB data set without buffering it', () => {
    const big = 64 * 1024 * 1024;
    const obs: unknown[] = [];
    const c = dicomDissector.create(key, (o) => obs.push(o));
    play(c, [['c2s', associateRq(rq)], ['s2c', ac], ['c2s', pData(pdv(3, 3, commandSet({ command: 1, sopClassUid: CT, messageId: 1, dataSet: true })))]], undefined, false);
    const header = pData(pdv(3, 2, new Uint8Array(0))).subarray(0, 12);
    // rewrite lengths for one PDV of `big` bytes, then stream the payload in 1 MiB chunks
    const dv = new DataView(header.buffer);
    dv.setUint32(2, big + 6);
    dv.setUint32(6, big + 2);
    // fed as flow tracking feeds it, passing over the data-set bytes the dissector asks to skip
    let calls = 0;
    const feed = streamFeeder({ skips: true, onData: (dir, d, meta) => (calls++, c.onData(dir, d, meta)) });
    feed('c2s', header, { frame: 10, ts: 0 });
    const chunk = new Uint8Array(1024 * 1024);
    for (let i = 0; i < 64; i++) feed('c2s', chunk, { frame: 11 + i, ts: 0 });
    c.onClose?.('fin', { frame: 100, ts: 0 });
    expect(obs).toContainEqual(expect.objectContaining({ kind: 'dicom.association-summary', fields: expect.objectContaining({ dataSetBytes: big }) }));
    // the header chunk asks to skip all but the fragment's last byte: only the last 1 MiB chunk is read
    expect(calls).toBe(2);
  });

  it('flags a username + passcode user identity as cleartext credentials without recording the passcode', () => {
    const steps: Step[] = [['c2s', associateRq({ ...rq, identity: { type: 2, primary: 'radtech', secondary: 'S3cret!pw', positive: true } })]];
    const [req] = dissect(dicomDissector, key, steps);
    expect(req?.fields.userIdentity).toEqual({
      type: 2, typeName: 'username-and-passcode', username: 'radtech', passcodePresent: true, passcodeLength: 9, tokenLength: 0, positiveResponseRequested: true,
    });
    expect(req?.findings).toEqual([expect.objectContaining({ code: 'dicom.cleartext-credentials', severity: 'high' })]);
    expect(JSON.stringify(req)).not.toContain('S3cret');
  });

  it('flags a JWT identity as a replayable cleartext token and keeps only its length', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig';
    const [req] = dissect(dicomDissector, key, [['c2s', associateRq({ ...rq, identity: { type: 5, primary: jwt } })]]);
    expect(req?.fields.userIdentity).toMatchObject({ typeName: 'jwt', username: null, tokenLength: jwt.length });
    expect(req?.findings?.[0]?.code).toBe('dicom.cleartext-token');
    expect(JSON.stringify(req)).not.toContain('eyJ');
  });

  it('names rejection and abort reasons', () => {
    const obs = dissect(dicomDissector, key, [['c2s', associateRq(rq)], ['s2c', associateRj(1, 1, 7)], ['c2s', abort(2, 6)]]);
    expect(obs.find((o) => o.kind === 'dicom.associate-rj')?.fields).toMatchObject({ accepted: false, resultName: 'rejected-permanent', sourceName: 'service-user', reasonName: 'called-AE-title-not-recognized' });
    expect(obs.find((o) => o.kind === 'dicom.abort')?.fields).toMatchObject({ sourceName: 'service-provider', reasonName: 'invalid-PDU-parameter-value' });
  });

  it('rejects an unknown PDU type with its stream offset', () => {
    const c = dicomDissector.create(key, () => undefined);
    const first = associateRq(rq);
    c.onData('c2s', first, { frame: 1, ts: 0 });
    const err = (() => {
      try {
        c.onData('c2s', Uint8Array.of(0x09, 0, 0, 0, 0, 0), { frame: 2, ts: 0 });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DissectorError);
    expect(err).toMatchObject({ code: 'netmon.dicom.bad-pdu-type', byteOffset: first.length });
  });

  it('rejects a PDV whose length overruns its P-DATA-TF', () => {
    const bad = pData(pdv(1, 3, commandSet({ command: 0x30, messageId: 1 })));
    new DataView(bad.buffer).setUint32(6, 0xffff);
    expect(() => dissect(dicomDissector, key, [['c2s', associateRq(rq)], ['c2s', bad]])).toThrow(/PDV item length 65535/);
  });

  it('detects an A-ASSOCIATE-RQ by content and refuses other bytes', () => {
    const bytes = associateRq(rq);
    expect(dicomDissector.detect(bytes, 'c2s', flowKey('tcp', 9999))).toBe('yes');
    expect(dicomDissector.detect(bytes.subarray(0, 20), 'c2s', key)).toBe('need-more');
    expect(dicomDissector.detect(new TextEncoder().encode('GET / HTTP/1.1\r\n'), 'c2s', key)).toBe('no');
    expect(dicomDissector.detect(associateRj(1, 1, 1), 's2c', key)).toBe('yes');
  });
});

/** the dicom.dimse fields of a conversation, after checking that four chunkings give identical observations */
function dimseInAnyChunking(steps: readonly Step[]): Record<string, unknown>[] {
  const baseline = comparable(dissect(dicomDissector, key, steps));
  for (const chunker of [byteByByte, fixedChunks(5), fixedChunks(13), cycling([1, 7, 300, 2])]) {
    expect(comparable(dissect(dicomDissector, key, steps, chunker))).toEqual(baseline);
  }
  return baseline.filter((o) => o.kind === 'dicom.dimse').map((o) => o.fields);
}

const summaryOf = (steps: readonly Step[]) => dissect(dicomDissector, key, steps).find((o) => o.kind === 'dicom.association-summary')?.fields;

describe('dicom DIMSE services', () => {
  it('keeps the 1.0 fields of a C-STORE and adds the 1.1 and 1.2 fields, null when the command lacks them', () => {
    const [store] = dimseInAnyChunking(storeConversation(20));
    expect(store).toEqual({
      command: 'C-STORE-RQ', commandField: 1, presentationContextId: 3, messageId: 7, respondingTo: null, sopClassUid: CT,
      sopClassName: 'CT Image Storage', modality: 'CT', status: null, statusHex: null, statusCategory: null, dataSetPresent: true,
      priority: null, moveDestination: null,
      priorityName: null, affectedSopInstanceUid: null, requestedSopInstanceUid: null, eventTypeId: null, eventTypeName: null,
      actionTypeId: null, actionTypeName: null, subOperations: null, moveOriginatorAe: null, moveOriginatorMessageId: null,
      errorComment: null, errorId: null,
      statusName: null, statusMeaning: null,
    });
  });

  it('counts responses by status class per association and lists the warnings and failures by name', () => {
    const rsp = (messageId: number, status: number): Step => ['s2c', pData(pdv(3, 3, commandSet({ command: 0x8001, sopClassUid: CT, respondingTo: messageId, status })))];
    const steps: Step[] = [['c2s', associateRq(rq)], ['s2c', ac], rsp(1, 0xa700), rsp(2, 0x0000), rsp(3, 0xa700), rsp(4, 0xb000), rsp(5, 0xd001), ['c2s', releaseRq()], ['s2c', releaseRp()]];
    const summary = summaryOf(steps);
    expect(summary?.responses).toEqual({ success: 1, pending: 0, cancel: 0, warning: 1, failure: 2, unknown: 1 });
    expect(summary?.problemStatuses).toEqual([
      { command: 'C-STORE-RSP', statusHex: '0xa700', category: 'failure', name: 'Refused: Out of Resources', count: 2 },
      { command: 'C-STORE-RSP', statusHex: '0xb000', category: 'warning', name: 'Coercion of Data Elements', count: 1 },
      { command: 'C-STORE-RSP', statusHex: '0xd001', category: 'unknown', name: null, count: 1 },
    ]);
    expect(summary?.problemStatusesOverflow).toBe(0);
    // bounded: 16 distinct (response, status) pairs are listed, the rest counted
    const many: Step[] = [['c2s', associateRq(rq)], ['s2c', ac], ...Array.from({ length: 20 }, (_, i) => rsp(i + 1, 0xc000 + i))];
    const bounded = summaryOf(many);
    expect((bounded?.problemStatuses as unknown[]).length).toBe(16);
    expect(bounded?.problemStatusesOverflow).toBe(4);
    expect(bounded?.responses).toMatchObject({ failure: 20 });
  });

  it('names a C-STORE refused for lack of resources (0xA700) and explains it, in any chunking', () => {
    const rsp = dimseInAnyChunking(storeConversation(20, 0xa700)).find((d) => d.command === 'C-STORE-RSP');
    expect(rsp).toMatchObject({
      status: 0xa700, statusHex: '0xa700', statusCategory: 'failure', statusName: 'Refused: Out of Resources',
      statusMeaning: expect.stringMatching(/did not store the instance because it is out of resources/),
    });
    // another code of the A7xx range is the same refusal
    expect(dimseInAnyChunking(storeConversation(20, 0xa7c2)).at(-1)).toMatchObject({ statusCategory: 'failure', statusName: 'Refused: Out of Resources' });
  });

  it('keeps the category but no name for a status its service does not define, and flags codes outside every class', () => {
    expect(dimseInAnyChunking(storeConversation(20, 0xa123)).at(-1)).toMatchObject({ statusHex: '0xa123', statusCategory: 'failure', statusName: null, statusMeaning: null });
    expect(dimseInAnyChunking(storeConversation(20, 0xd001)).at(-1)).toMatchObject({ statusHex: '0xd001', statusCategory: 'unknown', statusName: null });
  });

  it('reports a modality worklist C-FIND with pending matches then success', () => {
    const steps = worklistFind();
    expect(dimseInAnyChunking(steps)).toEqual([
      expect.objectContaining({ command: 'C-FIND-RQ', messageId: 1, sopClassName: 'Modality Worklist Information Model - FIND', priority: 0, priorityName: 'medium', dataSetPresent: true }),
      expect.objectContaining({ command: 'C-FIND-RSP', respondingTo: 1, statusHex: '0xff00', statusCategory: 'pending', dataSetPresent: true }),
      expect.objectContaining({ command: 'C-FIND-RSP', respondingTo: 1, statusHex: '0xff00', statusCategory: 'pending', dataSetPresent: true }),
      expect.objectContaining({ command: 'C-FIND-RSP', respondingTo: 1, statusHex: '0x0000', statusCategory: 'success', dataSetPresent: false, statusName: 'Matching is complete - No final Identifier is supplied.' }),
    ]);
    // the query identifier and the two matches are data sets
    expect(summaryOf(steps)).toMatchObject({ commands: { 'C-FIND-RQ': 1, 'C-FIND-RSP': 3 }, dataSets: 3 });
  });

  it('reports C-CANCEL-RQ for the find it cancels and the cancel status that ends it', () => {
    const dimse = dimseInAnyChunking(cancelledFind());
    expect(dimse.map((d) => [d.command, d.respondingTo, d.statusCategory])).toEqual([
      ['C-FIND-RQ', null, null],
      ['C-FIND-RSP', 9, 'pending'],
      ['C-CANCEL-RQ', 9, null],
      ['C-FIND-RSP', 9, 'cancel'],
    ]);
    expect(dimse[3]?.statusName).toBe('Matching terminated due to Cancel request');
    expect(dimse[0]).toMatchObject({ sopClassName: 'Study Root Query/Retrieve - FIND', priorityName: 'low' });
    // C-CANCEL carries no SOP class: the presentation context names it
    expect(dimse[2]).toMatchObject({ commandField: 0x0fff, sopClassUid: UID.studyFind, dataSetPresent: false });
  });

  it('reports the C-MOVE destination, sub-operation counts, a completed-with-failures warning and a refusal with its comment', () => {
    const dimse = dimseInAnyChunking(studyMove());
    expect(dimse).toEqual([
      expect.objectContaining({ command: 'C-MOVE-RQ', messageId: 5, sopClassName: 'Study Root Query/Retrieve - MOVE', moveDestination: 'STORESCP', priorityName: 'high' }),
      expect.objectContaining({ command: 'C-MOVE-RSP', statusCategory: 'pending', subOperations: { remaining: 2, completed: 1, failed: 0, warning: 0 } }),
      expect.objectContaining({
        command: 'C-MOVE-RSP', statusHex: '0xb000', statusCategory: 'warning', statusName: 'Sub-operations Complete - One or more Failures',
        subOperations: { remaining: null, completed: 2, failed: 1, warning: 0 },
      }),
      expect.objectContaining({ command: 'C-MOVE-RQ', messageId: 6, moveDestination: 'STORESCP' }),
      expect.objectContaining({
        command: 'C-MOVE-RSP', respondingTo: 6, statusHex: '0xa701', statusCategory: 'failure', errorComment: 'Unable to calculate number of matches',
        statusName: 'Refused: Out of resources - Unable to calculate number of matches',
      }),
    ]);
    expect(dimse[1]?.statusName).toBe('Sub-operations are continuing');
  });

  it('keeps at most 64 characters of an error comment', () => {
    const long = `${'x'.repeat(63)}yz${'w'.repeat(200)}`;
    const refusal = dimseInAnyChunking(studyMove(long)).at(-1);
    expect(refusal?.errorComment).toBe(long.slice(0, 64));
  });

  it('names the C-MOVE originator on the C-STORE sub-operation it caused', () => {
    const [store, rsp] = dimseInAnyChunking(storeForMove());
    expect(store).toMatchObject({ command: 'C-STORE-RQ', affectedSopInstanceUid: '1.2.3.4.5.6.7', moveOriginatorAe: 'WORKSTATION1', moveOriginatorMessageId: 5 });
    expect(rsp).toMatchObject({ command: 'C-STORE-RSP', affectedSopInstanceUid: '1.2.3.4.5.6.7', moveOriginatorAe: null, statusCategory: 'success' });
  });

  it('reports a C-GET with the C-STORE sub-operation on the same association and the final counts', () => {
    const steps = studyGet();
    const dimse = dimseInAnyChunking(steps);
    expect(dimse.map((d) => [d.command, d.sopClassName])).toEqual([
      ['C-GET-RQ', 'Study Root Query/Retrieve - GET'],
      ['C-STORE-RQ', 'CT Image Storage'],
      ['C-STORE-RSP', 'CT Image Storage'],
      ['C-GET-RSP', 'Study Root Query/Retrieve - GET'],
      ['C-GET-RSP', 'Study Root Query/Retrieve - GET'],
    ]);
    expect(dimse[1]).toMatchObject({ presentationContextId: 3, messageId: 100, affectedSopInstanceUid: '1.2.3.4.5.6.8' });
    expect(dimse.at(-1)).toMatchObject({ respondingTo: 3, statusCategory: 'success', subOperations: { remaining: 0, completed: 1, failed: 0, warning: 0 } });
    expect(summaryOf(steps)).toMatchObject({ commands: { 'C-GET-RQ': 1, 'C-STORE-RQ': 1, 'C-STORE-RSP': 1, 'C-GET-RSP': 2 } });
  });

  it('names the storage commitment N-ACTION and N-EVENT-REPORT types with the well-known SOP instance', () => {
    const dimse = dimseInAnyChunking(storageCommitment());
    const instance = UID.storageCommitmentInstance;
    expect(dimse).toEqual([
      expect.objectContaining({
        command: 'N-ACTION-RQ', sopClassUid: UID.storageCommitment, sopClassName: 'Storage Commitment Push Model', requestedSopInstanceUid: instance,
        affectedSopInstanceUid: null, actionTypeId: 1, actionTypeName: 'Request Storage Commitment', dataSetPresent: true,
      }),
      expect.objectContaining({ command: 'N-ACTION-RSP', respondingTo: 11, affectedSopInstanceUid: instance, actionTypeName: 'Request Storage Commitment', statusCategory: 'success' }),
      expect.objectContaining({ command: 'N-EVENT-REPORT-RQ', affectedSopInstanceUid: instance, eventTypeId: 2, eventTypeName: 'Storage Commitment Request Complete - Failures Exist', actionTypeId: null }),
      expect.objectContaining({ command: 'N-EVENT-REPORT-RSP', eventTypeId: 2, eventTypeName: 'Storage Commitment Request Complete - Failures Exist', statusCategory: 'success' }),
    ]);
  });

  it('leaves event and action types of SOP classes without a table unnamed', () => {
    const steps: Step[] = [
      ...associate('A', 'B', [UID.mpps]),
      ['c2s', pData(pdv(1, 3, commandSet({ command: C.action, requestedSopClassUid: UID.mpps, messageId: 1, actionTypeId: 1 })))],
      ['s2c', pData(pdv(1, 3, commandSet({ command: C.eventReport, sopClassUid: UID.mpps, messageId: 1, eventTypeId: 1 })))],
    ];
    expect(dimseInAnyChunking(steps).map((d) => [d.actionTypeId, d.actionTypeName, d.eventTypeId, d.eventTypeName])).toEqual([
      [1, null, null, null],
      [null, null, 1, null],
    ]);
  });

  it('reports MPPS N-CREATE and N-SET with the affected and requested SOP instance', () => {
    const instance = '1.2.826.0.1.3680043.2.1125.1.42';
    const dimse = dimseInAnyChunking(mpps(instance));
    expect(dimse).toEqual([
      expect.objectContaining({ command: 'N-CREATE-RQ', sopClassName: 'Modality Performed Procedure Step', affectedSopInstanceUid: instance, requestedSopInstanceUid: null, dataSetPresent: true }),
      expect.objectContaining({ command: 'N-CREATE-RSP', respondingTo: 21, affectedSopInstanceUid: instance, statusCategory: 'success' }),
      expect.objectContaining({ command: 'N-SET-RQ', sopClassUid: UID.mpps, requestedSopInstanceUid: instance, affectedSopInstanceUid: null, dataSetPresent: true }),
      expect.objectContaining({ command: 'N-SET-RSP', respondingTo: 22, affectedSopInstanceUid: instance, statusCategory: 'success' }),
    ]);
  });

  it('reads an MPPS N-SET refused with Error ID A710 as a procedure step that may no longer be updated', () => {
    const instance = '1.2.826.0.1.3680043.2.1125.1.42';
    const steps: Step[] = [
      ...associate('CT_SCANNER1', 'RIS_MPPS', [UID.mpps]),
      ['c2s', pData(pdv(1, 3, commandSet({ command: C.set, requestedSopClassUid: UID.mpps, messageId: 23, requestedSopInstanceUid: instance, dataSet: false })))],
      ['s2c', pData(pdv(1, 3, commandSet({ command: C.set | C.rsp, sopClassUid: UID.mpps, respondingTo: 23, status: 0x0110, errorId: 0xa710, affectedSopInstanceUid: instance })))],
    ];
    expect(dimseInAnyChunking(steps).at(-1)).toMatchObject({
      command: 'N-SET-RSP', statusHex: '0x0110', statusCategory: 'failure', errorId: 0xa710, statusName: 'Processing Failure',
      statusMeaning: expect.stringMatching(/^Performed Procedure Step Object may no longer be updated/),
    });
  });

  it('rejects a sub-operation count shorter than its two bytes, naming the element and its stream offset', () => {
    const steps = associate('A', 'B', [UID.studyMove]);
    const cmd = concat(u16le(0), u16le(0x0100), u32le(2), u16le(0x8021), u16le(0), u16le(0x1022), u32le(1), Uint8Array.of(5));
    let err: unknown;
    try {
      dissect(dicomDissector, key, [...steps, ['s2c', pData(pdv(1, 3, cmd))]]);
    } catch (e) {
      err = e;
    }
    const ac = steps[1]?.[1] as Uint8Array;
    expect(err).toBeInstanceOf(DissectorError);
    // PDU header 6 + PDV header 6, then two element headers (8) and the command field value (2)
    expect(err).toMatchObject({ code: 'netmon.dicom.truncated', byteOffset: ac.length + 12 + 18 });
    expect((err as Error).message).toMatch(/number of failed sub-operations needs 2 bytes, 1 left/);
  });
});
