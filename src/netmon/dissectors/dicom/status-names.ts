/**
 * @module Names and meanings of DIMSE response statuses. A status code means different things per service
 * (0xB000 is "Coercion of Data Elements" for C-STORE but "Sub-operations Complete - One or more Failures"
 * for C-MOVE), so the table is chosen by the response command and, where PS3.4 differs by SOP class,
 * the SOP class (status-services.ts). Names follow the standard's wording: PS3.4 service tables (B.2-1
 * C-STORE, C.4-1 C-FIND, C.4-2 C-MOVE, C.4-3 C-GET, K.4-1 worklist C-FIND, F.7.2-2 MPPS N-SET, F.8.2-2 N-GET,
 * Annex Y composite instance root retrieve here; Print Management, UPS, Relevant Patient Information Query,
 * Non-Patient Object Storage and Media Creation in status-tables-services.ts) first, then the general
 * statuses of PS3.7 Annex C that any service may return. Codes neither lists stay unnamed rather than being
 * guessed; their category still comes from the class.
 */

import { IMPLEMENTATION_DIGITS, one, range, type Row, type StatusDescription, type StatusTable } from './status-rows.js';
import { serviceStatusTable } from './status-services.js';
import { MEDIA_CREATION, NON_PATIENT_STORAGE, PRINT, RELEVANT_PATIENT_FIND, UPS_N_ACTION, UPS_N_CREATE, UPS_N_GET, UPS_N_SET } from './status-tables-services.js';

export type { StatusDescription, StatusTable } from './status-rows.js';

/** PS3.7 Annex C: general statuses (C.1 success, C.3 cancel, C.4 warnings, C.5 failures with a fixed code) */
const GENERAL: readonly Row[] = [
  one(0x0000, 'Success', 'The operation completed successfully.'),
  one(0xfe00, 'Cancel', 'The operation was terminated by a cancel request.'),
  one(0x0107, 'Attribute List warning', 'The operation was performed, but some attributes of the request were not recognised (listed in Attribute Identifier List (0000,1005)). Older editions: "Attribute List Error".'),
  one(0x0116, 'Attribute Value out of range', 'The operation was performed, but some attribute values of the request were out of range.'),
  one(0x0105, 'No such Attribute', 'The request names an attribute the SCP does not recognise.'),
  one(0x0106, 'Invalid Attribute Value', 'An attribute value in the request is not valid.'),
  one(0x0110, 'Processing Failure', 'A general failure occurred while the SCP processed the operation.'),
  one(0x0111, 'Duplicate SOP Instance', 'The SOP Instance UID of the new instance is already registered at the SCP.'),
  one(0x0112, 'No such SOP Instance', 'The SOP instance named in the request is not known to the SCP. Older editions: "No such object instance".'),
  one(0x0113, 'No such Event Type', 'The event type of the N-EVENT-REPORT is not recognised.'),
  one(0x0114, 'No such argument', 'The request carries an argument the SCP does not recognise.'),
  one(0x0115, 'Invalid argument value', 'An argument value of the request (such as the action or event information) is not valid.'),
  one(0x0117, 'Invalid SOP Instance', 'The SOP Instance UID of the request violates the UID construction rules. Older editions: "Invalid object instance".'),
  one(0x0118, 'No such SOP Class', 'The SOP class named in the request is not recognised by the SCP.'),
  one(0x0119, 'Class-Instance conflict', 'The SOP instance named in the request is not an instance of the SOP class named.'),
  one(0x0120, 'Missing Attribute', 'A required attribute is missing from the request.'),
  one(0x0121, 'Missing Attribute Value', 'A required attribute of the request has no value.'),
  one(0x0122, 'Refused: SOP Class not supported', 'The SCP does not support the SOP class of the request.'),
  one(0x0123, 'No such action', 'The action type of the N-ACTION is not recognised.'),
  one(0x0124, 'Refused: Not authorized', 'The SCP refused the operation: the requester is not authorized to perform it.'),
  one(0x0210, 'Duplicate invocation', 'The Message ID is already in use by another outstanding operation on this association.'),
  one(0x0211, 'Unrecognized operation', 'The operation is not one of those agreed for this SOP class.'),
  one(0x0212, 'Mistyped argument', 'An argument of the request has the wrong type.'),
  one(0x0213, 'Resource limitation', 'The SCP did not perform the operation for lack of resources.'),
];

/** PS3.4 Table B.2-1 */
const STORAGE: readonly Row[] = [
  one(0x0000, 'Success', 'The SCP has stored the SOP instance.'),
  range(0xa700, 0xff00, 'Refused: Out of Resources', 'The SCP did not store the instance because it is out of resources (for example storage space).'),
  range(0xa900, 0xff00, 'Error: Data Set does not match SOP Class', 'The SCP did not store the instance because the data set does not conform to the SOP class of the request.'),
  range(0xc000, 0xf000, 'Error: Cannot understand', `The SCP did not store the instance because it could not understand the data set; ${IMPLEMENTATION_DIGITS}.`),
  one(0xb000, 'Coercion of Data Elements', 'The instance was stored, but the SCP changed the values of some data elements.'),
  one(0xb007, 'Data Set does not match SOP Class', 'The instance was stored although the data set does not fully conform to its SOP class.'),
  one(0xb006, 'Elements Discarded', 'The instance was stored, but the SCP discarded some data elements.'),
];

const FIND_COMMON: readonly Row[] = [
  one(0x0000, 'Matching is complete - No final Identifier is supplied.', 'The query finished; every match was sent in the pending responses before this one.'),
  one(0xa700, 'Refused: Out of Resources', 'The SCP refused the query for lack of resources.'),
  one(0xa900, 'Error: Data Set does not match SOP Class', 'The query identifier does not match the information model of the SOP class. Older editions: "Identifier does not match SOP Class".'),
  range(0xc000, 0xf000, 'Failed: Unable to process', `The SCP could not process the query; ${IMPLEMENTATION_DIGITS}.`),
  one(0xfe00, 'Matching terminated due to Cancel request', 'The query was stopped after the SCU sent C-CANCEL.'),
  one(0xff00, 'Matches are continuing - Current Match is supplied and any Optional Keys were supported in the same manner as Required Keys.', 'This response carries one match; more responses follow.'),
];

/** PS3.4 Table C.4-1 */
const FIND: readonly Row[] = [
  ...FIND_COMMON,
  one(0xff01, 'Matches are continuing - Warning that one or more Optional Keys were not supported for existence and/or matching for this Identifier.', 'This response carries one match and more follow, but the SCP ignored some optional keys of the query: they were not matched or not returned.'),
];

/** PS3.4 Table K.4-1, which the composite object Q/R services reuse for C-FIND and CC.2.8-2 (UPS) and V.4-1 repeat */
const WORKLIST_FIND: readonly Row[] = [
  ...FIND_COMMON,
  one(0xff01, 'Matches are continuing - Warning that one or more Optional Keys were not supported for existence for this Identifier.', 'This response carries one match (a worklist item, or the object the query looks for) and more follow, but the SCP does not return some optional attributes the query asked for.'),
];

const RETRIEVE_COMMON: readonly Row[] = [
  one(0xa701, 'Refused: Out of resources - Unable to calculate number of matches', 'The SCP refused the retrieve: it lacked the resources to work out which instances match.'),
  one(0xa702, 'Refused: Out of resources - Unable to perform sub-operations', 'The SCP refused the retrieve: it lacked the resources to perform the C-STORE sub-operations.'),
  one(0xa900, 'Error: Data Set does not match SOP Class', 'The retrieve identifier does not match the information model of the SOP class. Older editions: "Identifier does not match SOP Class".'),
  range(0xc000, 0xf000, 'Failed: Unable to process', `The SCP could not process the retrieve; ${IMPLEMENTATION_DIGITS}.`),
  one(0xfe00, 'Sub-operations terminated due to Cancel Indication', 'The retrieve was stopped after the SCU sent C-CANCEL; the sub-operation counts show how far it got.'),
  one(0xff00, 'Sub-operations are continuing', 'The retrieve is in progress; the sub-operation counts report progress so far.'),
];

/** PS3.4 Table C.4-2 */
const MOVE: readonly Row[] = [
  ...RETRIEVE_COMMON,
  one(0x0000, 'Sub-operations Complete - No Failures', 'Every C-STORE sub-operation to the move destination completed without failure.'),
  one(0xa801, 'Refused: Move Destination unknown', 'The SCP does not know the AE title named as move destination (0000,0600), so it sent nothing.'),
  one(0xb000, 'Sub-operations Complete - One or more Failures', 'The retrieve finished, but at least one C-STORE sub-operation to the move destination failed (see the failed count).'),
];

/** PS3.4 Table C.4-3 */
const GET: readonly Row[] = [
  ...RETRIEVE_COMMON,
  one(0x0000, 'Sub-operations Complete - No Failures or Warnings', 'Every C-STORE sub-operation back to the requester completed without failure or warning.'),
  one(0xb000, 'Sub-operations Complete - One or more Failures or Warnings', 'The retrieve finished, but at least one C-STORE sub-operation failed or ended with a warning (see the counts).'),
];

/** PS3.4 Annex Y: frame-level and time-based retrieve through the composite instance root retrieve SOP classes */
const COMPOSITE_ROOT: readonly Row[] = [
  one(0xaa00, 'None of the frames requested were found in the SOP Instance', 'The requested frames do not exist in the instance.'),
  one(0xaa01, 'Unable to create new object for this SOP class', 'The SCP cannot build a new instance of this SOP class from the requested frames.'),
  one(0xaa02, 'Unable to extract frames', 'The SCP could not extract the requested frames.'),
  one(0xaa03, 'Time-based request received for a non-time-based original SOP Instance', 'A time range was requested from an instance that has no time dimension.'),
  one(0xaa04, 'Invalid Request', 'The frame-level retrieve request is not valid.'),
];

/** PS3.4 Table F.8.2-2 (MPPS retrieve) and CC.2.7-1 (UPS): the N-GET warning */
const N_GET: readonly Row[] = [
  one(0x0001, 'Requested optional Attributes are not supported', 'The SCP returned what it has, but does not support some optional attributes the request asked for.'),
];

/** PS3.4 Table F.7.2-2: the MPPS refuses changes once it is final; the status is the general 0110 with Error ID A710 */
const MPPS_N_SET: readonly Row[] = [
  one(0x0110, 'Processing Failure', 'Performed Procedure Step Object may no longer be updated: the SCP refuses changes to this MPPS (usually already COMPLETED or DISCONTINUED; Error ID A710).', 0xa710),
];

// exact codes before ranges: "A700" must win over a wider "A7xx" of the same table
const byPrecedence = (rows: readonly Row[]): readonly Row[] => [...rows].sort((a, b) => b.mask - a.mask);

const TABLES: Readonly<Record<StatusTable, readonly Row[]>> = {
  general: [],
  storage: byPrecedence(STORAGE),
  find: byPrecedence(FIND),
  'worklist-find': byPrecedence(WORKLIST_FIND),
  move: byPrecedence(MOVE),
  get: byPrecedence(GET),
  'composite-root-move': byPrecedence([...MOVE, ...COMPOSITE_ROOT]),
  'composite-root-get': byPrecedence([...GET, ...COMPOSITE_ROOT]),
  'n-get': N_GET,
  'mpps-n-set': MPPS_N_SET,
  print: byPrecedence(PRINT),
  'ups-n-action': byPrecedence(UPS_N_ACTION),
  'ups-n-create': byPrecedence(UPS_N_CREATE),
  'ups-n-set': byPrecedence(UPS_N_SET),
  'ups-n-get': byPrecedence([...N_GET, ...UPS_N_GET]),
  'relevant-patient-find': byPrecedence(RELEVANT_PATIENT_FIND),
  'non-patient-storage': byPrecedence(NON_PATIENT_STORAGE),
  'media-creation': byPrecedence(MEDIA_CREATION),
};

/** The table for a response command (`C-STORE-RSP`, ...); undefined for requests, which carry no status. */
export function statusTableFor(command: string, sopClassUid: string | undefined): StatusTable | undefined {
  const ofService = serviceStatusTable(command, sopClassUid);
  if (ofService !== undefined) return ofService;
  switch (command) {
    case 'C-STORE-RSP':
      return 'storage';
    case 'C-FIND-RSP':
      return 'find';
    case 'C-MOVE-RSP':
      return 'move';
    case 'C-GET-RSP':
      return 'get';
    case 'N-GET-RSP':
      return 'n-get';
    default:
      return command.endsWith('-RSP') ? 'general' : undefined;
  }
}

const matches = (status: number, errorId: number | undefined) => (r: Row) => (status & r.mask) === r.code && (r.errorId === undefined || r.errorId === errorId);

/** The service table's row, else the PS3.7 general status of that code, else undefined. */
export function describeStatusIn(table: StatusTable, status: number, errorId?: number): StatusDescription | undefined {
  const row = TABLES[table].find(matches(status, errorId)) ?? GENERAL.find(matches(status, errorId));
  return row === undefined ? undefined : { name: row.name, meaning: row.meaning };
}

/** Name and meaning of `status` in a response `command` about `sopClassUid`; undefined when unnamed or not a response. */
export function describeStatus(command: string, sopClassUid: string | undefined, status: number, errorId?: number): StatusDescription | undefined {
  const table = statusTableFor(command, sopClassUid);
  return table === undefined ? undefined : describeStatusIn(table, status, errorId);
}
