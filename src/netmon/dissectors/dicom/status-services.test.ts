import { describe, expect, it } from 'vitest';
import { statusCategory, type StatusCategory } from './dimse.js';
import { describeStatus, describeStatusIn, statusTableFor, type StatusTable } from './status-names.js';
import { indexBySopClass } from './status-services.js';

/**
 * The standard's service-specific rows, transcribed here independently of status-tables-services.ts: code,
 * service status column, further meaning. Sources: PS3.4 (2024) H.4-4, H.4.1.2.1.2, H.4.2.2.1.2-1, H.4-9,
 * H.4.3.1.2.1.2-1, H.4.3.2.2.1.2-1, H.4.9.2.1.2-1 (print); CC.2.1-2, CC.2.2-2, CC.2.3-3, CC.2.5-4, CC.2.6-1,
 * CC.2.7-1 (UPS); Q.2-1; GG.4-1; S.3.2.1.4 and S.3.2.3.4-1. Every code a table does not list must read as the
 * PS3.7 general status of that code (or stay unnamed), which status-names.test.ts checks on its own.
 */
type Row = [code: number, category: StatusCategory, name: string];

const PRINT: Row[] = [
  [0xb600, 'warning', 'Memory allocation not supported'],
  [0xb601, 'warning', 'Film session printing (collation) is not supported'],
  [0xb602, 'warning', 'Film Session SOP Instance hierarchy does not contain Image Box SOP Instances (empty page)'],
  [0xb603, 'warning', 'Film Box SOP Instance hierarchy does not contain Image Box SOP Instances (empty page)'],
  [0xb604, 'warning', 'Image size is larger than image box size, the image has been demagnified.'],
  [0xb605, 'warning', "Requested Min Density or Max Density outside of printer's operating range. The printer will use its respective minimum or maximum density value instead."],
  [0xb609, 'warning', 'Image size is larger than the Image Box size. The Image has been cropped to fit.'],
  [0xb60a, 'warning', 'Image size or Combined Print Image size is larger than the Image Box size. Image or Combined Print Image has been decimated to fit.'],
  [0xc600, 'failure', 'Failed: Film Session SOP Instance hierarchy does not contain Film Box SOP Instances'],
  [0xc601, 'failure', 'Failed: Unable to create Print Job SOP Instance; print queue is full'],
  [0xc602, 'failure', 'Failed: Unable to create Print Job SOP Instance; print queue is full'],
  [0xc603, 'failure', 'Failed: Image size is larger than image box size'],
  [0xc605, 'failure', 'Failed: Insufficient memory in printer to store the image'],
  [0xc613, 'failure', 'Failed: Combined Print Image size is larger than the Image Box size'],
  [0xc616, 'failure', 'Failed: There is an existing Film Box that has not been printed and N-ACTION at the Film Session level is not supported. A new Film Box will not be created when a previous Film Box has not been printed.'],
];

const NOT_A_UPS: Row = [0xc307, 'failure', 'Failed: Specified SOP Instance UID does not exist or is not a UPS Instance managed by this SCP'];
const UPS_N_ACTION: Row[] = [
  [0xb301, 'warning', 'Deletion Lock not granted.'],
  [0xb304, 'warning', 'The UPS is already in the requested state of CANCELED'],
  [0xb306, 'warning', 'The UPS is already in the requested state of COMPLETED'],
  [0xc300, 'failure', 'Failed: The UPS may no longer be updated'],
  [0xc301, 'failure', 'Failed: The correct Transaction UID was not provided'],
  [0xc302, 'failure', 'Failed: The UPS is already IN PROGRESS'],
  [0xc303, 'failure', 'Failed: The UPS may only become SCHEDULED via N-CREATE, not N-SET or N-ACTION'],
  [0xc304, 'failure', 'Failed: The UPS has not met final state requirements for the requested state change'],
  NOT_A_UPS,
  [0xc308, 'failure', 'Failed: Receiving AE-TITLE is Unknown to this SCP'],
  [0xc310, 'failure', 'Failed: The UPS is not yet in the "IN PROGRESS" state'],
  [0xc311, 'failure', 'Failed: The UPS is already COMPLETED'],
  [0xc312, 'failure', 'Failed: The performer cannot be contacted'],
  [0xc313, 'failure', 'Failed: Performer chooses not to cancel'],
  [0xc314, 'failure', 'Failed: Specified action not appropriate for specified instance'],
  [0xc315, 'failure', 'Failed: SCP does not support Event Reports'],
];
const UPS_N_CREATE: Row[] = [
  [0xb300, 'warning', 'The UPS was created with modifications'],
  [0xc309, 'failure', 'Failed: The provided value of UPS State was not "SCHEDULED".'],
];
const UPS_N_SET: Row[] = [
  [0x0001, 'warning', 'Requested optional Attributes are not supported.'],
  [0xb305, 'warning', 'Coerced invalid values to valid values'],
  [0xc310, 'failure', 'Failed: The UPS is not in the "IN PROGRESS" state'],
  [0xc301, 'failure', 'Failed: The correct Transaction UID was not provided'],
  [0xc300, 'failure', 'Failed: The UPS may no longer be updated'],
  NOT_A_UPS,
];
const UPS_N_GET: Row[] = [[0x0001, 'warning', 'Requested optional Attributes are not supported'], NOT_A_UPS];

const RELEVANT_PATIENT: Row[] = [
  [0xa700, 'failure', 'Refused: Out of resources'],
  [0xa900, 'failure', 'Error: Data Set does not match SOP Class'],
  [0xc000, 'failure', 'Failed: Unable to process'],
  [0xc100, 'failure', 'Failed: More than one match found'],
  [0xc200, 'failure', 'Failed: Unable to support requested template'],
  [0xfe00, 'cancel', 'Matching terminated due to Cancel request'],
  [0x0000, 'success', 'Matching is complete - No final Identifier is supplied.'],
  [0xff00, 'pending', 'Current Match is supplied.'],
];
const NON_PATIENT: Row[] = [
  [0xa700, 'failure', 'Refused: Out of resources'],
  [0xa900, 'failure', 'Error: Data Set does not match SOP Class'],
  [0xc000, 'failure', 'Error: Cannot understand'],
  [0x0000, 'success', 'Success'],
];
const MEDIA_CREATION: Row[] = [
  [0xa510, 'failure', 'Failed: An Initiate Media Creation action has already been received for this SOP Instance.'],
  [0xc201, 'failure', 'Failed: Media creation request already completed.'],
  [0xc202, 'failure', 'Failed: Media creation request already in progress and cannot be interrupted.'],
  [0xc203, 'failure', 'Failed: Cancellation denied for unspecified reason.'],
];

const SERVICES: [StatusTable, Row[]][] = [
  ['print', PRINT],
  ['ups-n-action', UPS_N_ACTION],
  ['ups-n-create', UPS_N_CREATE],
  ['ups-n-set', UPS_N_SET],
  ['ups-n-get', UPS_N_GET],
  ['relevant-patient-find', RELEVANT_PATIENT],
  ['non-patient-storage', NON_PATIENT],
  ['media-creation', MEDIA_CREATION],
];

const P = '1.2.840.10008.5.1.1.';
const Q = '1.2.840.10008.5.1.4.';
const PRINT_CLASSES = ['1', '2', '4', '4.1', '9', '14', '15', '16', '16.376', '18', '23'].map((s) => P + s);
const UPS_CLASSES = ['1', '2', '3', '4', '5'].map((s) => `${Q}34.6.${s}`);
const RELEVANT_PATIENT_CLASSES = ['37.1', '37.2', '37.3'].map((s) => Q + s);
const NON_PATIENT_CLASSES = ['38.1', '39.1', '43.1', '44.1', '45.1', '1.1.200.1', '1.1.200.3', '1.1.200.7', '1.1.201.1'].map((s) => Q + s);
/** Hanging Protocol, Color Palette, the three implant template models, Defined Procedure Protocol, Protocol Approval, Substance Administration */
const WORKLIST_STYLE_FIND_CLASSES = ['38.2', '39.2', '43.2', '44.2', '45.2', '20.1', '1.1.200.4', '41', '42'].map((s) => Q + s);
const MEDIA = P + '33';
const hex = (code: number) => `0x${code.toString(16)}`;

describe('DIMSE status names of Print, UPS, Relevant Patient, Non-Patient Object Storage and Media Creation', () => {
  it.each(SERVICES)('names exactly the codes PS3.4 lists for %s, with its wording and class, over the general statuses', (table, rows) => {
    const byCode = new Map(rows.map((row) => [row[0], row]));
    const named: number[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const got = describeStatusIn(table, code);
      if (got) named.push(code);
      const want = byCode.get(code);
      if (want === undefined) {
        expect(got, `${hex(code)} in ${table}`).toEqual(describeStatusIn('general', code));
        continue;
      }
      expect(got?.name, `${hex(code)} in ${table}`).toBe(want[2]);
      expect(statusCategory(code), `class of ${hex(code)}`).toBe(want[1]);
      expect(got?.meaning.length).toBeGreaterThan(10);
    }
    for (const code of byCode.keys()) expect(named).toContain(code);
    expect(named.filter((code) => !byCode.has(code) && describeStatusIn('general', code) === undefined)).toEqual([]);
  });

  it('chooses the print table for N-CREATE, N-SET and N-ACTION of every print SOP class, the meta classes included', () => {
    for (const uid of PRINT_CLASSES) {
      for (const command of ['N-CREATE-RSP', 'N-SET-RSP', 'N-ACTION-RSP']) expect(statusTableFor(command, uid), `${command} ${uid}`).toBe('print');
      expect(statusTableFor('N-GET-RSP', uid)).toBe('n-get');
      expect(statusTableFor('N-EVENT-REPORT-RSP', uid)).toBe('general');
      expect(statusTableFor('N-DELETE-RSP', uid)).toBe('general');
      expect(statusTableFor('N-ACTION-RQ', uid)).toBeUndefined();
    }
    expect(describeStatus('N-ACTION-RSP', `${P}1`, 0xc600)?.meaning).toMatch(/holds no films/);
    expect(describeStatus('N-SET-RSP', `${P}4`, 0xc605)?.name).toBe('Failed: Insufficient memory in printer to store the image');
    expect(describeStatus('N-CREATE-RSP', `${P}23`, 0xb605)?.name).toMatch(/^Requested Min Density or Max Density/);
  });

  it('gives the same code the meaning of the service that answered: 0xC600, 0xB600, 0xA700', () => {
    const c600 = (command: string, uid: string | undefined) => describeStatus(command, uid, 0xc600)?.name;
    expect(c600('N-ACTION-RSP', `${P}9`)).toBe('Failed: Film Session SOP Instance hierarchy does not contain Film Box SOP Instances');
    expect(c600('C-STORE-RSP', '1.2.840.10008.5.1.4.1.1.2')).toBe('Error: Cannot understand');
    expect(c600('C-FIND-RSP', `${Q}1.2.2.1`)).toBe('Failed: Unable to process');
    expect(c600('N-SET-RSP', '1.2.840.10008.3.1.2.3.3')).toBeUndefined();
    expect(c600('N-CREATE-RSP', `${Q}33`)).toBeUndefined();
    expect(c600('N-ACTION-RSP', undefined)).toBeUndefined();
    expect(describeStatus('C-STORE-RSP', '1.2.840.10008.5.1.4.1.1.2', 0xb600)).toBeUndefined();
    expect(statusCategory(0xb600)).toBe('warning');
    expect(describeStatus('C-STORE-RSP', `${Q}38.1`, 0xa700)?.name).toBe('Refused: Out of resources');
    expect(describeStatus('C-FIND-RSP', `${Q}37.1`, 0xa700)?.meaning).toBe('The SCP refused the query for lack of resources.');
  });

  it('reads UPS statuses by command, whichever of the five UPS SOP classes names the response', () => {
    for (const uid of UPS_CLASSES) {
      expect(describeStatus('N-ACTION-RSP', uid, 0xc302)?.name).toBe('Failed: The UPS is already IN PROGRESS');
      for (const command of ['N-ACTION-RSP', 'N-SET-RSP', 'N-GET-RSP']) expect(describeStatus(command, uid, 0xc307)?.name).toBe(NOT_A_UPS[2]);
      expect(describeStatus('N-ACTION-RSP', uid, 0xc310)?.name).toBe('Failed: The UPS is not yet in the "IN PROGRESS" state');
      expect(describeStatus('N-SET-RSP', uid, 0xc310)?.name).toBe('Failed: The UPS is not in the "IN PROGRESS" state');
      expect(describeStatus('N-CREATE-RSP', uid, 0xb300)?.name).toBe('The UPS was created with modifications');
      expect(describeStatus('N-ACTION-RSP', uid, 0xb300)).toBeUndefined();
      expect(describeStatus('N-CREATE-RSP', uid, 0xc302)).toBeUndefined();
      expect(describeStatus('N-ACTION-RSP', uid, 0x0001)).toBeUndefined();
      expect(statusTableFor('N-EVENT-REPORT-RSP', uid)).toBe('general');
      expect(statusTableFor('C-FIND-RSP', uid)).toBe('worklist-find');
    }
    expect(describeStatus('N-ACTION-RSP', `${Q}31`, 0xc302)).toBeUndefined();
  });

  it('uses the worklist C-FIND wording (K.4-1) for the services that reuse or repeat it, and Q/R wording for their MOVE and GET', () => {
    const existenceOnly = /not supported for existence for this Identifier\.$/;
    for (const uid of WORKLIST_STYLE_FIND_CLASSES) {
      expect(statusTableFor('C-FIND-RSP', uid), uid).toBe('worklist-find');
      expect(describeStatus('C-FIND-RSP', uid, 0xff01)?.name).toMatch(existenceOnly);
    }
    expect(describeStatus('C-FIND-RSP', `${Q}1.2.1.1`, 0xff01)?.name).toMatch(/existence and\/or matching/);
    expect(statusTableFor('C-MOVE-RSP', `${Q}38.3`)).toBe('move');
    expect(statusTableFor('C-GET-RSP', `${Q}39.4`)).toBe('get');
    expect(describeStatus('C-MOVE-RSP', `${Q}20.2`, 0xa801)?.name).toBe('Refused: Move Destination unknown');
  });

  it('reads Relevant Patient Information Query C000, C100 and C200 as single codes and has no FF01', () => {
    for (const uid of RELEVANT_PATIENT_CLASSES) {
      expect(statusTableFor('C-FIND-RSP', uid)).toBe('relevant-patient-find');
      expect(describeStatus('C-FIND-RSP', uid, 0xc100)?.name).toBe('Failed: More than one match found');
      expect(describeStatus('C-FIND-RSP', uid, 0xc200)?.name).toBe('Failed: Unable to support requested template');
      expect(describeStatus('C-FIND-RSP', uid, 0xc001)).toBeUndefined();
      expect(describeStatus('C-FIND-RSP', uid, 0xff01)).toBeUndefined();
    }
    expect(describeStatus('C-FIND-RSP', `${Q}1.2.2.1`, 0xc100)?.name).toBe('Failed: Unable to process');
  });

  it('reads Non-Patient Object Storage failures as single codes and names no storage warnings', () => {
    for (const uid of NON_PATIENT_CLASSES) {
      expect(statusTableFor('C-STORE-RSP', uid), uid).toBe('non-patient-storage');
      expect(describeStatus('C-STORE-RSP', uid, 0xa700)?.name).toBe('Refused: Out of resources');
      for (const code of [0xa701, 0xa9ff, 0xc001, 0xb000, 0xb007]) expect(describeStatus('C-STORE-RSP', uid, code), hex(code)).toBeUndefined();
    }
    expect(describeStatus('C-STORE-RSP', '1.2.840.10008.5.1.4.1.1.2', 0xa701)?.name).toBe('Refused: Out of Resources');
    expect(describeStatus('C-STORE-RSP', '1.2.840.10008.5.1.4.1.1.2', 0xb000)?.name).toBe('Coercion of Data Elements');
  });

  it('names the Media Creation Management statuses for N-CREATE and N-ACTION and keeps its N-GET 0001', () => {
    expect(describeStatus('N-CREATE-RSP', MEDIA, 0xa510)?.meaning).toMatch(/already been started/);
    expect(describeStatus('N-ACTION-RSP', MEDIA, 0xc202)?.name).toBe('Failed: Media creation request already in progress and cannot be interrupted.');
    expect(describeStatus('N-GET-RSP', MEDIA, 0x0001)?.name).toBe('Requested optional Attributes are not supported');
    expect(statusTableFor('N-SET-RSP', MEDIA)).toBe('general');
    expect(describeStatus('N-ACTION-RSP', `${P}1`, 0xa510)).toBeUndefined();
  });

  it('keeps the general statuses for services PS3.4 gives no codes of their own: storage commitment, IAN, display system', () => {
    expect(statusTableFor('N-ACTION-RSP', '1.2.840.10008.1.20.1')).toBe('general');
    expect(statusTableFor('N-CREATE-RSP', `${Q}33`)).toBe('general');
    expect(statusTableFor('N-GET-RSP', `${P}40`)).toBe('n-get');
    expect(describeStatus('N-GET-RSP', `${P}40`, 0xb604)).toBeUndefined();
  });

  it('refuses a SOP class listed for two services, naming it', () => {
    const find = new Map([['C-FIND-RSP', 'find' as const]]);
    const store = new Map([['C-STORE-RSP', 'storage' as const]]);
    expect(indexBySopClass([[find, ['1.2.3']], [store, ['1.2.4']]]).get('1.2.4')?.get('C-STORE-RSP')).toBe('storage');
    expect(() => indexBySopClass([[find, ['1.2.3']], [store, ['1.2.3']]])).toThrow('status-services: SOP class 1.2.3 is listed for two services');
  });
});
