import { describe, expect, it } from 'vitest';
import { statusCategory, type StatusCategory } from './dimse.js';
import { describeStatus, describeStatusIn, statusTableFor, type StatusTable } from './status-names.js';

/**
 * The standard's tables, transcribed here independently of status-names.ts: code ("A7xx" is a range),
 * service status column, further meaning. Sources: PS3.7 Annex C class table and sections C.1-C.5
 * (dicom.nema.org part07 chapter_c, sect_C.4.2); PS3.4 B.2-1 (sect_B.2.3), C.4-1/C.4-2/C.4-3 and K.4-1
 * (with the current wording of PS3.2 N.7.3.2.1 / N.7.3.2.7), F.7.2-2, F.8.2-2, CC.2.7-1; the general
 * status names as PS3.2 Tables N.7-40 and N.7-44 list them.
 */
type Row = [code: string, category: StatusCategory, name: string];

const GENERAL: Row[] = [
  ['0000', 'success', 'Success'],
  ['FE00', 'cancel', 'Cancel'],
  ['0107', 'warning', 'Attribute List warning'],
  ['0116', 'warning', 'Attribute Value out of range'],
  ['0105', 'failure', 'No such Attribute'],
  ['0106', 'failure', 'Invalid Attribute Value'],
  ['0110', 'failure', 'Processing Failure'],
  ['0111', 'failure', 'Duplicate SOP Instance'],
  ['0112', 'failure', 'No such SOP Instance'],
  ['0113', 'failure', 'No such Event Type'],
  ['0114', 'failure', 'No such argument'],
  ['0115', 'failure', 'Invalid argument value'],
  ['0117', 'failure', 'Invalid SOP Instance'],
  ['0118', 'failure', 'No such SOP Class'],
  ['0119', 'failure', 'Class-Instance conflict'],
  ['0120', 'failure', 'Missing Attribute'],
  ['0121', 'failure', 'Missing Attribute Value'],
  ['0122', 'failure', 'Refused: SOP Class not supported'],
  ['0123', 'failure', 'No such action'],
  ['0124', 'failure', 'Refused: Not authorized'],
  ['0210', 'failure', 'Duplicate invocation'],
  ['0211', 'failure', 'Unrecognized operation'],
  ['0212', 'failure', 'Mistyped argument'],
  ['0213', 'failure', 'Resource limitation'],
];

const STORE: Row[] = [
  ['0000', 'success', 'Success'],
  ['A7xx', 'failure', 'Refused: Out of Resources'],
  ['A9xx', 'failure', 'Error: Data Set does not match SOP Class'],
  ['Cxxx', 'failure', 'Error: Cannot understand'],
  ['B000', 'warning', 'Coercion of Data Elements'],
  ['B007', 'warning', 'Data Set does not match SOP Class'],
  ['B006', 'warning', 'Elements Discarded'],
];

const FIND_BOTH: Row[] = [
  ['0000', 'success', 'Matching is complete - No final Identifier is supplied.'],
  ['A700', 'failure', 'Refused: Out of Resources'],
  ['A900', 'failure', 'Error: Data Set does not match SOP Class'],
  ['Cxxx', 'failure', 'Failed: Unable to process'],
  ['FE00', 'cancel', 'Matching terminated due to Cancel request'],
  ['FF00', 'pending', 'Matches are continuing - Current Match is supplied and any Optional Keys were supported in the same manner as Required Keys.'],
];
const FIND: Row[] = [...FIND_BOTH, ['FF01', 'pending', 'Matches are continuing - Warning that one or more Optional Keys were not supported for existence and/or matching for this Identifier.']];
const WORKLIST: Row[] = [...FIND_BOTH, ['FF01', 'pending', 'Matches are continuing - Warning that one or more Optional Keys were not supported for existence for this Identifier.']];

const RETRIEVE_BOTH: Row[] = [
  ['A701', 'failure', 'Refused: Out of resources - Unable to calculate number of matches'],
  ['A702', 'failure', 'Refused: Out of resources - Unable to perform sub-operations'],
  ['A900', 'failure', 'Error: Data Set does not match SOP Class'],
  ['Cxxx', 'failure', 'Failed: Unable to process'],
  ['FE00', 'cancel', 'Sub-operations terminated due to Cancel Indication'],
  ['FF00', 'pending', 'Sub-operations are continuing'],
];
const MOVE: Row[] = [
  ...RETRIEVE_BOTH,
  ['A801', 'failure', 'Refused: Move Destination unknown'],
  ['B000', 'warning', 'Sub-operations Complete - One or more Failures'],
  ['0000', 'success', 'Sub-operations Complete - No Failures'],
];
const GET: Row[] = [
  ...RETRIEVE_BOTH,
  ['B000', 'warning', 'Sub-operations Complete - One or more Failures or Warnings'],
  ['0000', 'success', 'Sub-operations Complete - No Failures or Warnings'],
];
const FRAMES: Row[] = [
  ['AA00', 'failure', 'None of the frames requested were found in the SOP Instance'],
  ['AA01', 'failure', 'Unable to create new object for this SOP class'],
  ['AA02', 'failure', 'Unable to extract frames'],
  ['AA03', 'failure', 'Time-based request received for a non-time-based original SOP Instance'],
  ['AA04', 'failure', 'Invalid Request'],
];
const N_GET: Row[] = [['0001', 'warning', 'Requested optional Attributes are not supported']];

const SERVICES: [StatusTable, Row[]][] = [
  ['storage', STORE],
  ['find', FIND],
  ['worklist-find', WORKLIST],
  ['move', MOVE],
  ['get', GET],
  ['composite-root-move', [...MOVE, ...FRAMES]],
  ['composite-root-get', [...GET, ...FRAMES]],
  ['n-get', N_GET],
  ['general', []],
];

/** the codes a table row stands for: one, or every value of an "xx" range */
function codesOf(code: string): number[] {
  const low = parseInt(code.replace(/x/g, '0'), 16);
  const high = parseInt(code.replace(/x/g, 'F'), 16);
  return Array.from({ length: high - low + 1 }, (_, i) => low + i);
}

/** the service's rows over the general ones, as the standard layers them */
function expectedTable(rows: Row[]): Map<number, Row> {
  const byCode = new Map<number, Row>();
  for (const row of [...GENERAL, ...rows]) for (const c of codesOf(row[0])) byCode.set(c, row);
  return byCode;
}

describe('DIMSE status names per service', () => {
  it.each(SERVICES)('names exactly the codes the standard lists for %s, with its wording and class', (table, rows) => {
    const expected = expectedTable(rows);
    const named: number[] = [];
    for (let code = 0; code <= 0xffff; code++) {
      const got = describeStatusIn(table, code);
      if (got) named.push(code);
      const want = expected.get(code);
      if (want === undefined) continue;
      expect(got?.name, `0x${code.toString(16)} in ${table}`).toBe(want[2]);
      expect(statusCategory(code), `class of 0x${code.toString(16)}`).toBe(want[1]);
      expect(got?.meaning.length).toBeGreaterThan(10);
    }
    expect(named).toEqual([...expected.keys()].sort((a, b) => a - b));
  });

  it('matches ranges as ranges: every A7xx, A9xx and Cxxx of C-STORE, but only A700 and A900 of C-FIND', () => {
    for (const code of [0xa700, 0xa742, 0xa7ff]) expect(describeStatusIn('storage', code)?.name).toBe('Refused: Out of Resources');
    for (const code of [0xa900, 0xa9ff]) expect(describeStatusIn('storage', code)?.name).toBe('Error: Data Set does not match SOP Class');
    for (const code of [0xc000, 0xc123, 0xcfff]) expect(describeStatusIn('storage', code)?.name).toBe('Error: Cannot understand');
    expect(describeStatusIn('storage', 0xa6ff)).toBeUndefined();
    expect(describeStatusIn('storage', 0xa800)).toBeUndefined();
    expect(describeStatusIn('find', 0xa700)?.name).toBe('Refused: Out of Resources');
    expect(describeStatusIn('find', 0xa701)).toBeUndefined();
    expect(describeStatusIn('find', 0xc001)?.name).toBe('Failed: Unable to process');
  });

  it('gives the same code the meaning of the service that answered', () => {
    const b000 = (command: string) => describeStatus(command, undefined, 0xb000)?.name;
    expect([b000('C-STORE-RSP'), b000('C-MOVE-RSP'), b000('C-GET-RSP'), b000('N-SET-RSP')]).toEqual([
      'Coercion of Data Elements',
      'Sub-operations Complete - One or more Failures',
      'Sub-operations Complete - One or more Failures or Warnings',
      undefined,
    ]);
    expect(describeStatus('C-FIND-RSP', undefined, 0xfe00)?.name).toBe('Matching terminated due to Cancel request');
    expect(describeStatus('C-MOVE-RSP', undefined, 0xfe00)?.name).toBe('Sub-operations terminated due to Cancel Indication');
    expect(describeStatus('N-ACTION-RSP', '1.2.840.10008.1.20.1', 0xfe00)?.name).toBe('Cancel');
    expect(describeStatus('C-ECHO-RSP', '1.2.840.10008.1.1', 0x0122)?.name).toBe('Refused: SOP Class not supported');
    expect(describeStatus('C-STORE-RSP', '1.2.840.10008.5.1.4.1.1.2', 0x0124)?.name).toBe('Refused: Not authorized');
  });

  it('tells a modality worklist FIND from a query/retrieve FIND by the SOP class', () => {
    expect(statusTableFor('C-FIND-RSP', '1.2.840.10008.5.1.4.31')).toBe('worklist-find');
    expect(statusTableFor('C-FIND-RSP', '1.2.840.10008.5.1.4.1.2.2.1')).toBe('find');
    expect(statusTableFor('C-FIND-RSP', undefined)).toBe('find');
    expect(describeStatus('C-FIND-RSP', '1.2.840.10008.5.1.4.31', 0xff01)?.name).toMatch(/not supported for existence for this Identifier/);
    expect(describeStatus('C-FIND-RSP', '1.2.840.10008.5.1.4.1.2.2.1', 0xff01)?.name).toMatch(/existence and\/or matching/);
  });

  it('names frame-level retrieve failures only for the composite instance root retrieve SOP classes', () => {
    expect(describeStatus('C-MOVE-RSP', '1.2.840.10008.5.1.4.1.2.4.2', 0xaa02)?.name).toBe('Unable to extract frames');
    expect(describeStatus('C-GET-RSP', '1.2.840.10008.5.1.4.1.2.4.3', 0xaa00)?.name).toBe('None of the frames requested were found in the SOP Instance');
    expect(describeStatus('C-MOVE-RSP', '1.2.840.10008.5.1.4.1.2.2.2', 0xaa02)).toBeUndefined();
    expect(describeStatus('C-MOVE-RSP', '1.2.840.10008.5.1.4.1.2.4.2', 0xa801)?.name).toBe('Refused: Move Destination unknown');
  });

  it('reads an MPPS N-SET processing failure with Error ID A710 as "may no longer be updated", other 0110s as general', () => {
    const mpps = '1.2.840.10008.3.1.2.3.3';
    expect(describeStatus('N-SET-RSP', mpps, 0x0110, 0xa710)).toEqual({ name: 'Processing Failure', meaning: expect.stringMatching(/^Performed Procedure Step Object may no longer be updated/) });
    expect(describeStatus('N-SET-RSP', mpps, 0x0110)?.meaning).toBe('A general failure occurred while the SCP processed the operation.');
    expect(describeStatus('N-CREATE-RSP', mpps, 0x0110, 0xa710)?.meaning).toBe('A general failure occurred while the SCP processed the operation.');
    expect(describeStatus('N-SET-RSP', '1.2.840.10008.5.1.4.34.6.1', 0x0110, 0xa710)?.meaning).not.toMatch(/Performed Procedure Step/);
  });

  it('names 0001 for N-GET only, and storage commitment N-ACTION / N-EVENT-REPORT with the general statuses', () => {
    expect(describeStatus('N-GET-RSP', '1.2.840.10008.3.1.2.3.5', 0x0001)?.name).toBe('Requested optional Attributes are not supported');
    expect(describeStatus('N-CREATE-RSP', '1.2.840.10008.3.1.2.3.3', 0x0001)).toBeUndefined();
    expect(statusTableFor('N-ACTION-RSP', '1.2.840.10008.1.20.1')).toBe('general');
    expect(statusTableFor('N-EVENT-REPORT-RSP', '1.2.840.10008.1.20.1')).toBe('general');
    expect(describeStatus('N-ACTION-RSP', '1.2.840.10008.1.20.1', 0x0123)?.name).toBe('No such action');
    expect(describeStatus('N-EVENT-REPORT-RSP', '1.2.840.10008.1.20.1', 0x0113)?.name).toBe('No such Event Type');
  });

  it('leaves requests and unlisted codes unnamed while their class still comes from PS3.7', () => {
    expect(statusTableFor('C-STORE-RQ', undefined)).toBeUndefined();
    expect(describeStatus('C-STORE-RQ', undefined, 0)).toBeUndefined();
    for (const [command, code, category] of [
      ['C-STORE-RSP', 0xa123, 'failure'],
      ['C-STORE-RSP', 0xb001, 'warning'],
      ['C-FIND-RSP', 0xb000, 'warning'],
      ['C-ECHO-RSP', 0xff00, 'pending'],
      ['N-SET-RSP', 0x0150, 'failure'],
      ['C-STORE-RSP', 0xd000, 'unknown'],
    ] as const) {
      expect(describeStatus(command, undefined, code), `0x${code.toString(16)}`).toBeUndefined();
      expect(statusCategory(code)).toBe(category);
    }
  });
});

describe('statusCategory (PS3.7 Annex C status classes)', () => {
  it.each([
    ['success', [0x0000]],
    ['warning', [0x0001, 0x0107, 0x0116, 0xb000, 0xb006, 0xbfff]],
    ['failure', [0xa000, 0xa700, 0xafff, 0xc000, 0xcfff, 0x0100, 0x0105, 0x0122, 0x01ff, 0x0200, 0x0213, 0x02ff]],
    ['cancel', [0xfe00]],
    ['pending', [0xff00, 0xff01]],
    // outside every class: the standard forbids them, so they are not counted as failures
    ['unknown', [0x0002, 0x00ff, 0x0300, 0x9fff, 0xd000, 0xefff, 0xfe01, 0xff02, 0xffff]],
  ] as const)('classes as %s', (category, codes) => {
    expect(codes.map((c) => statusCategory(c))).toEqual(codes.map(() => category));
  });
});
