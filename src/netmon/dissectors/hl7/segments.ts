/**
 * @module Reads the few HL7 v2 segments a monitor needs: MSH (routing, type, version, control id), MSA
 * (acknowledgement code) and PID (which patient identifiers are present; values are never kept). Field and
 * component separators come from MSH-1/MSH-2 as the standard requires, not from assumptions.
 *
 * These read decoded text and are the reference behaviour; plain.ts reads the common printable-ASCII case
 * straight from bytes with the same results.
 */
import { cleanText } from '../support/text.js';

export const MAX_VALUE = 128;

export interface Delimiters {
  field: string;
  component: string;
  /** the field separator's code when it is ASCII (byte readers can split on it), else -1 */
  fieldByte: number;
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8', { fatal: false });

function isAscii(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if ((b[i] as number) > 0x7f) return false;
  return true;
}

/** segment text: ASCII fast path, else UTF-8 (invalid sequences replaced) */
export const segmentText = (b: Uint8Array): string => (isAscii(b) ? latin1 : utf8).decode(b);

export const delimiters = (field: string, component: string): Delimiters => {
  const code = field.charCodeAt(0);
  return { field, component, fieldByte: field.length === 1 && code < 0x80 ? code : -1 };
};

export interface MshInfo {
  delimiters: Delimiters;
  sendingApplication: string;
  sendingFacility: string;
  receivingApplication: string;
  receivingFacility: string;
  dateTime: string;
  messageType: string;
  triggerEvent: string;
  messageStructure: string;
  controlId: string;
  processingId: string;
  version: string;
}

const first = (v: string | undefined, d: Delimiters): string => cleanText((v ?? '').split(d.component)[0] ?? '', MAX_VALUE);
const whole = (v: string | undefined): string => cleanText(v ?? '', MAX_VALUE);

/** `text` is one MSH segment without its terminator. */
export function parseMsh(text: string): MshInfo | undefined {
  if (!text.startsWith('MSH') || text.length < 4) return undefined;
  const field = text.charAt(3);
  const parts = text.split(field);
  // parts[1] is MSH-2 (encoding characters); MSH-n is parts[n - 1] from MSH-2 on
  const component = (parts[1] ?? '').charAt(0) || '^';
  const d = delimiters(field, component);
  const type = (parts[8] ?? '').split(component);
  return {
    delimiters: d,
    sendingApplication: first(parts[2], d),
    sendingFacility: first(parts[3], d),
    receivingApplication: first(parts[4], d),
    receivingFacility: first(parts[5], d),
    dateTime: first(parts[6], d),
    messageType: whole(type[0]),
    triggerEvent: whole(type[1]),
    messageStructure: whole(type[2]),
    controlId: whole(parts[9]),
    processingId: first(parts[10], d),
    version: first(parts[11], d),
  };
}

export interface AckInfo {
  code: string;
  controlId: string;
}

export function parseMsa(text: string, d: Delimiters): AckInfo {
  const parts = text.split(d.field);
  return { code: whole(parts[1]).slice(0, 2), controlId: whole(parts[2]) };
}

/** PID fields that identify a patient; only their presence is recorded. */
export const PID_IDENTIFIERS: readonly [number, string][] = [
  [2, 'PID-2 patient id'],
  [3, 'PID-3 identifier list'],
  [4, 'PID-4 alternate id'],
  [5, 'PID-5 name'],
  [7, 'PID-7 date of birth'],
  [11, 'PID-11 address'],
  [13, 'PID-13 home phone'],
  [19, 'PID-19 SSN'],
  [20, 'PID-20 driver licence'],
];

export function pidIdentifiersPresent(text: string, d: Delimiters): string[] {
  const parts = text.split(d.field);
  const present: string[] = [];
  for (const [n, name] of PID_IDENTIFIERS) {
    const v = parts[n];
    if (v !== undefined && hasValue(v)) present.push(name);
  }
  return present;
}

/** a field made only of delimiters and spaces (e.g. "^^^") carries no value */
function hasValue(v: string): boolean {
  for (let i = 0; i < v.length; i++) if (!EMPTY_CHARS.includes(v.charAt(i))) return true;
  return false;
}

export const EMPTY_CHARS = ' ^~\\&#|"';
