/**
 * @module The shape of a DIMSE status table row, shared by the general and Q/R tables (status-names.ts) and the
 * tables of the other services (status-tables-services.ts), and the names of the tables a response can use.
 */

export interface StatusDescription {
  /** the standard's name for the status in this service ("Further Meaning" column or PS3.7 Annex C title) */
  name: string;
  /** what it says about the exchange, in plain words */
  meaning: string;
}

/** Which status table applies to a response. */
export type StatusTable =
  | 'general'
  | 'storage'
  | 'find'
  | 'worklist-find'
  | 'move'
  | 'get'
  | 'composite-root-move'
  | 'composite-root-get'
  | 'n-get'
  | 'mpps-n-set'
  | 'print'
  | 'ups-n-action'
  | 'ups-n-create'
  | 'ups-n-set'
  | 'ups-n-get'
  | 'relevant-patient-find'
  | 'non-patient-storage'
  | 'media-creation';

export interface Row extends StatusDescription {
  code: number;
  /** 0xffff for one code; 0xff00 for "A7xx", 0xf000 for "Cxxx" */
  mask: number;
  /** the row applies only with this Error ID (0000,0903) */
  errorId?: number;
}

export const one = (code: number, name: string, meaning: string, errorId?: number): Row => ({ code, mask: 0xffff, name, meaning, ...(errorId === undefined ? {} : { errorId }) });
export const range = (code: number, mask: number, name: string, meaning: string): Row => ({ code, mask, name, meaning });
export const IMPLEMENTATION_DIGITS = 'the x digits are the implementation\'s own (see its conformance statement)';
