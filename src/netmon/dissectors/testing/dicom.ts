/**
 * @module Builders for DICOM upper-layer PDUs (PS3.8) used by tests: A-ASSOCIATE-RQ/AC/RJ, release, abort,
 * P-DATA-TF with command and data fragments, and implicit-VR-LE command sets.
 */
import { ascii, concat, u16be, u16le, u32be, u32le } from './harness.js';

const pad = (s: string, n: number, fill = 0x20) => {
  const b = new Uint8Array(n).fill(fill);
  b.set(ascii(s).subarray(0, n));
  return b;
};
const evenUid = (uid: string) => (uid.length % 2 ? concat(ascii(uid), Uint8Array.of(0)) : ascii(uid));
const item = (type: number, body: Uint8Array) => concat(Uint8Array.of(type, 0), u16be(body.length), body);
export const pdu = (type: number, body: Uint8Array) => concat(Uint8Array.of(type, 0), u32be(body.length), body);

export interface AssociateOptions {
  calling: string;
  called: string;
  contexts: { id: number; abstractSyntax: string; transferSyntaxes: string[] }[];
  versionName?: string;
  classUid?: string;
  maxPdu?: number;
  identity?: { type: number; primary: string; secondary?: string; positive?: boolean };
}

function userInfo(o: Pick<AssociateOptions, 'versionName' | 'classUid' | 'maxPdu' | 'identity'>, ac: boolean, identityResponse?: Uint8Array): Uint8Array {
  const subs = [item(0x51, u32be(o.maxPdu ?? 16384)), item(0x52, evenUid(o.classUid ?? '1.2.276.0.7230010.3.0.3.6.7'))];
  if (o.versionName !== undefined) subs.push(item(0x55, ascii(o.versionName)));
  if (!ac && o.identity) {
    const p = ascii(o.identity.primary);
    const s = ascii(o.identity.secondary ?? '');
    subs.push(item(0x58, concat(Uint8Array.of(o.identity.type, o.identity.positive ? 1 : 0), u16be(p.length), p, u16be(s.length), s)));
  }
  if (ac && identityResponse) subs.push(item(0x59, concat(u16be(identityResponse.length), identityResponse)));
  return item(0x50, concat(...subs));
}

function fixed(calling: string, called: string): Uint8Array {
  return concat(u16be(1), u16be(0), pad(called, 16), pad(calling, 16), new Uint8Array(32));
}

export function associateRq(o: AssociateOptions): Uint8Array {
  const contexts = o.contexts.map((c) =>
    item(0x20, concat(Uint8Array.of(c.id, 0, 0, 0), item(0x30, evenUid(c.abstractSyntax)), ...c.transferSyntaxes.map((t) => item(0x40, evenUid(t))))),
  );
  return pdu(1, concat(fixed(o.calling, o.called), item(0x10, evenUid('1.2.840.10008.3.1.1.1')), ...contexts, userInfo(o, false)));
}

export function associateAc(o: AssociateOptions & { results: { id: number; result: number; transferSyntax: string }[]; identityResponse?: Uint8Array }): Uint8Array {
  const contexts = o.results.map((r) => item(0x21, concat(Uint8Array.of(r.id, 0, r.result, 0), item(0x40, evenUid(r.transferSyntax)))));
  return pdu(2, concat(fixed(o.calling, o.called), item(0x10, evenUid('1.2.840.10008.3.1.1.1')), ...contexts, userInfo(o, true, o.identityResponse)));
}

export const associateRj = (result: number, source: number, reason: number) => pdu(3, Uint8Array.of(0, result, source, reason));
export const releaseRq = () => pdu(5, new Uint8Array(4));
export const releaseRp = () => pdu(6, new Uint8Array(4));
export const abort = (source: number, reason: number) => pdu(7, Uint8Array.of(0, 0, source, reason));

const element = (tag: number, value: Uint8Array) => concat(u16le(0), u16le(tag), u32le(value.length), value);

export interface CommandOptions {
  command: number;
  /** (0000,0002) Affected SOP Class UID */
  sopClassUid?: string;
  /** (0000,0003) Requested SOP Class UID (N-GET/N-SET/N-ACTION/N-DELETE requests) */
  requestedSopClassUid?: string;
  messageId?: number;
  respondingTo?: number;
  moveDestination?: string;
  priority?: number;
  status?: number;
  errorComment?: string;
  errorId?: number;
  dataSet?: boolean;
  affectedSopInstanceUid?: string;
  requestedSopInstanceUid?: string;
  eventTypeId?: number;
  actionTypeId?: number;
  subOperations?: { remaining?: number; completed?: number; failed?: number; warning?: number };
  moveOriginatorAe?: string;
  moveOriginatorMessageId?: number;
}

/** Elements in ascending tag order, as PS3.7 requires and real toolkits send them. */
export function commandSet(o: CommandOptions): Uint8Array {
  const els: Uint8Array[] = [];
  const uid = (tag: number, v: string | undefined) => v !== undefined && els.push(element(tag, evenUid(v)));
  const us = (tag: number, v: number | undefined) => v !== undefined && els.push(element(tag, u16le(v)));
  const text = (tag: number, v: string | undefined) => v !== undefined && els.push(element(tag, pad(v, v.length + (v.length % 2))));
  uid(0x0002, o.sopClassUid);
  uid(0x0003, o.requestedSopClassUid);
  us(0x0100, o.command);
  us(0x0110, o.messageId);
  us(0x0120, o.respondingTo);
  text(0x0600, o.moveDestination);
  us(0x0700, o.priority);
  us(0x0800, o.dataSet ? 0x0000 : 0x0101);
  us(0x0900, o.status);
  text(0x0902, o.errorComment);
  us(0x0903, o.errorId);
  uid(0x1000, o.affectedSopInstanceUid);
  uid(0x1001, o.requestedSopInstanceUid);
  us(0x1002, o.eventTypeId);
  us(0x1008, o.actionTypeId);
  us(0x1020, o.subOperations?.remaining);
  us(0x1021, o.subOperations?.completed);
  us(0x1022, o.subOperations?.failed);
  us(0x1023, o.subOperations?.warning);
  text(0x1030, o.moveOriginatorAe);
  us(0x1031, o.moveOriginatorMessageId);
  const body = concat(...els);
  return concat(element(0x0000, u32le(body.length)), body);
}

/** one PDV: control bit 0 = command, bit 1 = last fragment */
export const pdv = (contextId: number, control: number, fragment: Uint8Array) => concat(u32be(fragment.length + 2), Uint8Array.of(contextId, control), fragment);
export const pData = (...pdvs: Uint8Array[]) => pdu(4, concat(...pdvs));
