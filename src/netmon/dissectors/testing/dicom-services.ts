/**
 * @module Whole DICOM conversations for the query/retrieve, worklist, storage commitment and MPPS services
 * (PS3.4 C, J, K, F): association, the DIMSE exchange with identifiers and responses as toolkits send
 * them, release. Unit tests assert on them; the property tests mutate them (seeds.ts).
 */
import type { Step } from './harness.js';
import { associateAc, associateRq, commandSet, pData, pdv, releaseRp, releaseRq, type AssociateOptions, type CommandOptions } from './dicom.js';

export const UID = {
  implicitLe: '1.2.840.10008.1.2',
  ct: '1.2.840.10008.5.1.4.1.1.2',
  worklistFind: '1.2.840.10008.5.1.4.31',
  studyFind: '1.2.840.10008.5.1.4.1.2.2.1',
  studyMove: '1.2.840.10008.5.1.4.1.2.2.2',
  studyGet: '1.2.840.10008.5.1.4.1.2.2.3',
  storageCommitment: '1.2.840.10008.1.20.1',
  storageCommitmentInstance: '1.2.840.10008.1.20.1.1',
  mpps: '1.2.840.10008.3.1.2.3.3',
} as const;

export const C = {
  store: 0x0001, get: 0x0010, find: 0x0020, move: 0x0021, cancel: 0x0fff,
  eventReport: 0x0100, set: 0x0120, action: 0x0130, create: 0x0140, rsp: 0x8000,
} as const;

/** a small identifier / attribute list: the dissector counts data sets and never reads them */
const DATA = new Uint8Array(40).fill(0x20);

/** one command (and its data set when `dataSet`) in one P-DATA-TF */
export function message(ctx: number, o: CommandOptions): Uint8Array {
  return o.dataSet ? pData(pdv(ctx, 3, commandSet(o)), pdv(ctx, 2, DATA)) : pData(pdv(ctx, 3, commandSet(o)));
}

/** association of `calling` to `called` with one context per abstract syntax (ids 1, 3, 5, ...), all accepted */
export function associate(calling: string, called: string, abstractSyntaxes: readonly string[]): Step[] {
  const contexts = abstractSyntaxes.map((abstractSyntax, i) => ({ id: 2 * i + 1, abstractSyntax, transferSyntaxes: [UID.implicitLe] }));
  const rq: AssociateOptions = { calling, called, versionName: 'OFFIS_DCMTK_367', contexts };
  return [
    ['c2s', associateRq(rq)],
    ['s2c', associateAc({ ...rq, results: contexts.map((c) => ({ id: c.id, result: 0, transferSyntax: UID.implicitLe })) })],
  ];
}

const release: Step[] = [['c2s', releaseRq()], ['s2c', releaseRp()]];

/** Modality worklist query: two pending matches (0xFF00), then success. */
export function worklistFind(): Step[] {
  return [
    ...associate('CT_SCANNER1', 'RIS_MWL', [UID.worklistFind]),
    ['c2s', message(1, { command: C.find, sopClassUid: UID.worklistFind, messageId: 1, priority: 0, dataSet: true })],
    ['s2c', message(1, { command: C.find | C.rsp, sopClassUid: UID.worklistFind, respondingTo: 1, status: 0xff00, dataSet: true })],
    ['s2c', message(1, { command: C.find | C.rsp, sopClassUid: UID.worklistFind, respondingTo: 1, status: 0xff00, dataSet: true })],
    ['s2c', message(1, { command: C.find | C.rsp, sopClassUid: UID.worklistFind, respondingTo: 1, status: 0x0000 })],
    ...release,
  ];
}

/** Study Root C-FIND cancelled by the SCU after the first match: C-CANCEL-RQ, then status Cancel (0xFE00). */
export function cancelledFind(): Step[] {
  return [
    ...associate('VIEWER1', 'PACS_SCP', [UID.studyFind]),
    ['c2s', message(1, { command: C.find, sopClassUid: UID.studyFind, messageId: 9, priority: 2, dataSet: true })],
    ['s2c', message(1, { command: C.find | C.rsp, sopClassUid: UID.studyFind, respondingTo: 9, status: 0xff00, dataSet: true })],
    ['c2s', message(1, { command: C.cancel, respondingTo: 9 })],
    ['s2c', message(1, { command: C.find | C.rsp, sopClassUid: UID.studyFind, respondingTo: 9, status: 0xfe00 })],
    ...release,
  ];
}

/**
 * Study Root C-MOVE to STORESCP: a pending response with counts, then "sub-operations complete, one or more
 * failures" (0xB000); a second C-MOVE is refused for lack of resources (0xA701) with an error comment.
 */
export function studyMove(errorComment = 'Unable to calculate number of matches'): Step[] {
  const rsp = { command: C.move | C.rsp, sopClassUid: UID.studyMove } as const;
  return [
    ...associate('WORKSTATION1', 'PACS_SCP', [UID.studyMove]),
    ['c2s', message(1, { command: C.move, sopClassUid: UID.studyMove, messageId: 5, priority: 1, moveDestination: 'STORESCP', dataSet: true })],
    ['s2c', message(1, { ...rsp, respondingTo: 5, status: 0xff00, subOperations: { remaining: 2, completed: 1, failed: 0, warning: 0 } })],
    ['s2c', message(1, { ...rsp, respondingTo: 5, status: 0xb000, subOperations: { completed: 2, failed: 1, warning: 0 }, dataSet: true })],
    ['c2s', message(1, { command: C.move, sopClassUid: UID.studyMove, messageId: 6, priority: 0, moveDestination: 'STORESCP', dataSet: true })],
    ['s2c', message(1, { ...rsp, respondingTo: 6, status: 0xa701, errorComment, subOperations: { completed: 0, failed: 0, warning: 0 } })],
    ...release,
  ];
}

/** The C-STORE a C-MOVE causes, on its own association to the move destination: it names the originator. */
export function storeForMove(): Step[] {
  return [
    ...associate('PACS_SCP', 'STORESCP', [UID.ct]),
    ['c2s', message(1, { command: C.store, sopClassUid: UID.ct, messageId: 1, priority: 0, affectedSopInstanceUid: '1.2.3.4.5.6.7', moveOriginatorAe: 'WORKSTATION1', moveOriginatorMessageId: 5, dataSet: true })],
    ['s2c', message(1, { command: C.store | C.rsp, sopClassUid: UID.ct, respondingTo: 1, affectedSopInstanceUid: '1.2.3.4.5.6.7', status: 0 })],
    ...release,
  ];
}

/** Study Root C-GET: the SCP sends the C-STORE back on the same association (SCP role for CT), then the counts. */
export function studyGet(): Step[] {
  return [
    ...associate('VIEWER1', 'PACS_SCP', [UID.studyGet, UID.ct]),
    ['c2s', message(1, { command: C.get, sopClassUid: UID.studyGet, messageId: 3, priority: 0, dataSet: true })],
    ['s2c', message(3, { command: C.store, sopClassUid: UID.ct, messageId: 100, priority: 0, affectedSopInstanceUid: '1.2.3.4.5.6.8', dataSet: true })],
    ['c2s', message(3, { command: C.store | C.rsp, sopClassUid: UID.ct, respondingTo: 100, affectedSopInstanceUid: '1.2.3.4.5.6.8', status: 0 })],
    ['s2c', message(1, { command: C.get | C.rsp, sopClassUid: UID.studyGet, respondingTo: 3, status: 0xff00, subOperations: { remaining: 0, completed: 1, failed: 0, warning: 0 } })],
    ['s2c', message(1, { command: C.get | C.rsp, sopClassUid: UID.studyGet, respondingTo: 3, status: 0, subOperations: { remaining: 0, completed: 1, failed: 0, warning: 0 } })],
    ...release,
  ];
}

/** Storage commitment push model: N-ACTION (request commitment) and the SCP's N-EVENT-REPORT (failures exist). */
export function storageCommitment(): Step[] {
  const sc = UID.storageCommitment;
  const instance = UID.storageCommitmentInstance;
  return [
    ...associate('CT_SCANNER1', 'PACS_SCP', [sc]),
    ['c2s', message(1, { command: C.action, requestedSopClassUid: sc, messageId: 11, requestedSopInstanceUid: instance, actionTypeId: 1, dataSet: true })],
    ['s2c', message(1, { command: C.action | C.rsp, sopClassUid: sc, respondingTo: 11, status: 0, affectedSopInstanceUid: instance, actionTypeId: 1 })],
    ['s2c', message(1, { command: C.eventReport, sopClassUid: sc, messageId: 1, affectedSopInstanceUid: instance, eventTypeId: 2, dataSet: true })],
    ['c2s', message(1, { command: C.eventReport | C.rsp, sopClassUid: sc, respondingTo: 1, status: 0, affectedSopInstanceUid: instance, eventTypeId: 2 })],
    ...release,
  ];
}

/** MPPS: N-CREATE "IN PROGRESS" then N-SET "COMPLETED" on the instance the modality created. */
export function mpps(instance = '1.2.826.0.1.3680043.2.1125.1.42'): Step[] {
  return [
    ...associate('CT_SCANNER1', 'RIS_MPPS', [UID.mpps]),
    ['c2s', message(1, { command: C.create, sopClassUid: UID.mpps, messageId: 21, affectedSopInstanceUid: instance, dataSet: true })],
    ['s2c', message(1, { command: C.create | C.rsp, sopClassUid: UID.mpps, respondingTo: 21, status: 0, affectedSopInstanceUid: instance })],
    ['c2s', message(1, { command: C.set, requestedSopClassUid: UID.mpps, messageId: 22, requestedSopInstanceUid: instance, dataSet: true })],
    ['s2c', message(1, { command: C.set | C.rsp, sopClassUid: UID.mpps, respondingTo: 22, status: 0, affectedSopInstanceUid: instance })],
    ...release,
  ];
}
