/**
 * @module Parses a DIMSE command set (PS3.7 Section 9/10, Annex E: group 0000, always implicit VR little
 * endian) and names commands, statuses and priorities. Only the command set is parsed; data sets are never
 * buffered. Besides the command and status it keeps what says what a command is about: SOP class and
 * instance, N-EVENT-REPORT event and N-ACTION action types, the C-MOVE destination, C-MOVE/C-GET
 * sub-operation counts, the C-MOVE originator of a C-STORE, and the error comment.
 */
import { ByteReader } from '../support/bytes.js';
import { uidText } from './associate.js';
import { printableAscii } from '../support/text.js';

const MAX_ELEMENTS = 64;

export interface DimseCommand {
  commandField: number;
  command: string;
  messageId?: number;
  respondingTo?: number;
  sopClassUid?: string;
  status?: number;
  /** (0000,0800): 0x0101 means no data set follows */
  dataSetPresent?: boolean;
  priority?: number;
  moveDestination?: string;
  /** (0000,1000) */
  affectedSopInstanceUid?: string;
  /** (0000,1001) */
  requestedSopInstanceUid?: string;
  /** (0000,1002) N-EVENT-REPORT */
  eventTypeId?: number;
  /** (0000,1008) N-ACTION */
  actionTypeId?: number;
  /** (0000,1020)-(0000,1023) C-MOVE / C-GET responses */
  subOperations?: SubOperations;
  /** (0000,1030) and (0000,1031): a C-STORE a C-MOVE caused names the AE and message that asked for it */
  moveOriginatorAe?: string;
  moveOriginatorMessageId?: number;
  /** (0000,0902), at most MAX_ERROR_COMMENT characters */
  errorComment?: string;
  /** (0000,0903) */
  errorId?: number;
}

export interface SubOperations {
  remaining?: number;
  completed?: number;
  failed?: number;
  warning?: number;
}

/** the LO value representation of (0000,0902) allows 64 characters */
export const MAX_ERROR_COMMENT = 64;
/** AE titles (AE VR) are at most 16 characters */
const MAX_AE = 16;

const COMMANDS: ReadonlyMap<number, string> = new Map([
  [0x0001, 'C-STORE-RQ'], [0x8001, 'C-STORE-RSP'],
  [0x0010, 'C-GET-RQ'], [0x8010, 'C-GET-RSP'],
  [0x0020, 'C-FIND-RQ'], [0x8020, 'C-FIND-RSP'],
  [0x0021, 'C-MOVE-RQ'], [0x8021, 'C-MOVE-RSP'],
  [0x0030, 'C-ECHO-RQ'], [0x8030, 'C-ECHO-RSP'],
  [0x0100, 'N-EVENT-REPORT-RQ'], [0x8100, 'N-EVENT-REPORT-RSP'],
  [0x0110, 'N-GET-RQ'], [0x8110, 'N-GET-RSP'],
  [0x0120, 'N-SET-RQ'], [0x8120, 'N-SET-RSP'],
  [0x0130, 'N-ACTION-RQ'], [0x8130, 'N-ACTION-RSP'],
  [0x0140, 'N-CREATE-RQ'], [0x8140, 'N-CREATE-RSP'],
  [0x0150, 'N-DELETE-RQ'], [0x8150, 'N-DELETE-RSP'],
  [0x0fff, 'C-CANCEL-RQ'],
]);

export function commandName(field: number): string {
  return COMMANDS.get(field) ?? `UNKNOWN-0x${field.toString(16).padStart(4, '0')}`;
}

export type StatusCategory = 'success' | 'pending' | 'cancel' | 'warning' | 'failure' | 'unknown';

/**
 * PS3.7 Annex C status classes: success 0000; warning 0001, Bxxx, 0107, 0116; failure Axxx, Cxxx and
 * 01xx/02xx other than those warnings; cancel FE00; pending FF00, FF01. The standard forbids any other
 * code, so one is `unknown` (a non-conformant peer), not counted as a failure.
 */
export function statusCategory(status: number): StatusCategory {
  if (status === 0x0000) return 'success';
  if (status === 0xff00 || status === 0xff01) return 'pending';
  if (status === 0xfe00) return 'cancel';
  if (status === 0x0001 || status === 0x0107 || status === 0x0116 || (status & 0xf000) === 0xb000) return 'warning';
  const nibble = status & 0xf000;
  const high = status & 0xff00;
  if (nibble === 0xa000 || nibble === 0xc000 || high === 0x0100 || high === 0x0200) return 'failure';
  return 'unknown';
}

/** (0000,0700) PS3.7 Table E.1-1 */
export function priorityName(priority: number): string {
  return ['medium', 'high', 'low'][priority] ?? `unknown-${priority}`;
}

const SUB_OPERATION_KEYS = ['remaining', 'completed', 'failed', 'warning'] as const;

/** `bytes` is the whole reassembled command set; `base` its stream offset for error positions. */
export function parseCommandSet(bytes: Uint8Array, base: number): DimseCommand {
  const r: ByteReader = new ByteReader(bytes, 'dicom', base);
  let commandField: number | undefined;
  const cmd: Partial<DimseCommand> = {};
  for (let n = 0; r.remaining > 0; n++) {
    if (n >= MAX_ELEMENTS) r.fail('too-many-elements', `command set has more than ${MAX_ELEMENTS} elements`);
    const at = r.offset;
    const group = r.u16le('tag group');
    const element = r.u16le('tag element');
    const length = r.u32le('value length');
    if (group !== 0x0000) r.fail('bad-command', `command set element (${group.toString(16)},${element.toString(16)}) outside group 0000`, at);
    // the element label is only needed in the error for a truncated value
    const v = r.sub(length, length <= r.remaining ? 'value' : `value of (0000,${element.toString(16).padStart(4, '0')})`);
    switch (element) {
      case 0x0002:
      case 0x0003:
        cmd.sopClassUid ??= uidText(v.rest());
        break;
      case 0x0100:
        commandField = v.u16le('command field');
        break;
      case 0x0110:
        cmd.messageId = v.u16le('message id');
        break;
      case 0x0120:
        cmd.respondingTo = v.u16le('message id being responded to');
        break;
      case 0x0600:
        cmd.moveDestination = printableAscii(v.rest(), MAX_AE).trim();
        break;
      case 0x0700:
        cmd.priority = v.u16le('priority');
        break;
      case 0x0800:
        cmd.dataSetPresent = v.u16le('command data set type') !== 0x0101;
        break;
      case 0x0900:
        cmd.status = v.u16le('status');
        break;
      case 0x0902:
        cmd.errorComment = printableAscii(v.rest(), MAX_ERROR_COMMENT).trim();
        break;
      case 0x0903:
        cmd.errorId = v.u16le('error id');
        break;
      case 0x1000:
        cmd.affectedSopInstanceUid = uidText(v.rest());
        break;
      case 0x1001:
        cmd.requestedSopInstanceUid = uidText(v.rest());
        break;
      case 0x1002:
        cmd.eventTypeId = v.u16le('event type id');
        break;
      case 0x1008:
        cmd.actionTypeId = v.u16le('action type id');
        break;
      case 0x1020:
      case 0x1021:
      case 0x1022:
      case 0x1023: {
        const k = SUB_OPERATION_KEYS[element - 0x1020] as (typeof SUB_OPERATION_KEYS)[number];
        (cmd.subOperations ??= {})[k] = v.u16le(`number of ${k} sub-operations`);
        break;
      }
      case 0x1030:
        cmd.moveOriginatorAe = printableAscii(v.rest(), MAX_AE).trim();
        break;
      case 0x1031:
        cmd.moveOriginatorMessageId = v.u16le('move originator message id');
        break;
      default:
        break;
    }
  }
  if (commandField === undefined) r.fail('bad-command', 'command set has no command field (0000,0100)', base);
  return { ...cmd, commandField, command: commandName(commandField) };
}
