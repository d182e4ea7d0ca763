/**
 * @module Parses the variable part of A-ASSOCIATE-RQ/AC PDUs (PS3.8 9.3.2, 9.3.3 and Annex D): AE titles,
 * application context, presentation contexts, and user information (max PDU length, implementation class
 * UID / version name, async operations, role selection, user identity). Secrets in user identity are
 * reduced to presence and length; only a username is kept.
 */
import { ByteReader } from '../support/bytes.js';
import { printableAscii } from '../support/text.js';

export const MAX_CONTEXTS = 128;
const MAX_TRANSFER_SYNTAXES = 32;
const MAX_ROLES = 64;

export interface RqPresentationContext {
  id: number;
  abstractSyntax?: string;
  transferSyntaxes: string[];
}

export interface AcPresentationContext {
  id: number;
  result: number;
  transferSyntax?: string;
}

export interface UserIdentityRq {
  type: number;
  positiveResponseRequested: boolean;
  /** only for types 1 and 2, where the primary field is a username */
  username?: string;
  primaryLength: number;
  secondaryLength: number;
}

export interface UserInformation {
  maxPduLength?: number;
  implementationClassUid?: string;
  implementationVersionName?: string;
  asyncOps?: { invoked: number; performed: number };
  roles: { sopClassUid: string; scu: boolean; scp: boolean }[];
  userIdentity?: UserIdentityRq;
  /** A-ASSOCIATE-AC only: length of the server response (Kerberos/SAML/JWT); 0 when none */
  userIdentityResponseLength?: number;
  extendedNegotiations: number;
}

export interface AssociateBody {
  protocolVersion: number;
  calledAe: string;
  callingAe: string;
  applicationContext?: string;
  rqContexts: RqPresentationContext[];
  acContexts: AcPresentationContext[];
  /** presentation context items beyond MAX_CONTEXTS, counted but not kept */
  droppedContexts: number;
  userInfo: UserInformation;
}

/** AE titles are 16 bytes, space padded; leading spaces are insignificant too (PS3.5 6.2). */
export function aeTitle(bytes: Uint8Array): string {
  return printableAscii(bytes, 16).replace(/\.+$/, '').trim();
}

/** UIDs are NUL-padded to even length; anything but digits and dots is replaced so it can't smuggle text. */
export function uidText(bytes: Uint8Array): string {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0 || bytes[end - 1] === 0x20)) end--;
  return printableAscii(bytes.subarray(0, end), 64);
}

/** `r` positioned after the 6-byte PDU header. */
export function parseAssociate(r: ByteReader, kind: 'rq' | 'ac'): AssociateBody {
  const protocolVersion = r.u16be('protocol version');
  r.skip(2, 'reserved');
  const calledAe = aeTitle(r.take(16, 'called AE title'));
  const callingAe = aeTitle(r.take(16, 'calling AE title'));
  r.skip(32, 'reserved');
  const body: AssociateBody = {
    protocolVersion,
    calledAe,
    callingAe,
    rqContexts: [],
    acContexts: [],
    droppedContexts: 0,
    userInfo: { roles: [], extendedNegotiations: 0 },
  };
  while (r.remaining > 0) {
    const start = r.offset;
    const type = r.u8('item type');
    r.skip(1, 'reserved');
    const item = r.sub(r.u16be('item length'), 'item');
    switch (type) {
      case 0x10:
        body.applicationContext = uidText(item.rest());
        break;
      case 0x20:
      case 0x21:
        if ((type === 0x20) !== (kind === 'rq')) r.fail('bad-item', `presentation context item 0x${type.toString(16)} in A-ASSOCIATE-${kind.toUpperCase()}`, start);
        if (body.rqContexts.length + body.acContexts.length >= MAX_CONTEXTS) body.droppedContexts++;
        else if (type === 0x20) body.rqContexts.push(parseRqContext(item));
        else body.acContexts.push(parseAcContext(item));
        break;
      case 0x50:
        parseUserInformation(item, body.userInfo, kind);
        break;
      default:
        r.fail('bad-item', `unknown item type 0x${type.toString(16)}`, start);
    }
  }
  return body;
}

function parseRqContext(r: ByteReader): RqPresentationContext {
  const id = r.u8('presentation context id');
  r.skip(3, 'reserved');
  const ctx: RqPresentationContext = { id, transferSyntaxes: [] };
  while (r.remaining > 0) {
    const start = r.offset;
    const type = r.u8('sub-item type');
    r.skip(1, 'reserved');
    const value = r.take(r.u16be('sub-item length'), 'sub-item');
    if (type === 0x30) ctx.abstractSyntax = uidText(value);
    else if (type === 0x40) {
      if (ctx.transferSyntaxes.length < MAX_TRANSFER_SYNTAXES) ctx.transferSyntaxes.push(uidText(value));
    } else r.fail('bad-item', `unknown presentation context sub-item 0x${type.toString(16)}`, start);
  }
  return ctx;
}

function parseAcContext(r: ByteReader): AcPresentationContext {
  const id = r.u8('presentation context id');
  r.skip(1, 'reserved');
  const result = r.u8('result/reason');
  r.skip(1, 'reserved');
  const ctx: AcPresentationContext = { id, result };
  while (r.remaining > 0) {
    const start = r.offset;
    const type = r.u8('sub-item type');
    r.skip(1, 'reserved');
    const value = r.take(r.u16be('sub-item length'), 'sub-item');
    if (type === 0x40) ctx.transferSyntax = uidText(value);
    else r.fail('bad-item', `unknown presentation context sub-item 0x${type.toString(16)}`, start);
  }
  return ctx;
}

function parseUserInformation(r: ByteReader, info: UserInformation, kind: 'rq' | 'ac'): void {
  while (r.remaining > 0) {
    const type = r.u8('user information sub-item type');
    r.skip(1, 'reserved');
    const v = r.sub(r.u16be('user information sub-item length'), 'user information sub-item');
    switch (type) {
      case 0x51:
        info.maxPduLength = v.u32be('maximum length');
        break;
      case 0x52:
        info.implementationClassUid = uidText(v.rest());
        break;
      case 0x53:
        info.asyncOps = { invoked: v.u16be('max operations invoked'), performed: v.u16be('max operations performed') };
        break;
      case 0x54: {
        const uid = uidText(v.take(v.u16be('UID length'), 'SOP class UID'));
        const scu = v.u8('SCU role') === 1;
        const scp = v.u8('SCP role') === 1;
        if (info.roles.length < MAX_ROLES) info.roles.push({ sopClassUid: uid, scu, scp });
        break;
      }
      case 0x55:
        info.implementationVersionName = printableAscii(v.rest(), 16).trim();
        break;
      case 0x56:
      case 0x57:
        info.extendedNegotiations++;
        break;
      case 0x58:
        if (kind === 'rq') info.userIdentity = parseUserIdentity(v);
        break;
      case 0x59:
        if (kind === 'ac') info.userIdentityResponseLength = v.remaining >= 2 ? v.u16be('server response length') : 0;
        break;
      default:
        // unknown user information sub-items are legal (PS3.7 D.3.3): skip them
        break;
    }
  }
}

function parseUserIdentity(r: ByteReader): UserIdentityRq {
  const type = r.u8('user identity type');
  const positiveResponseRequested = r.u8('positive response requested') === 1;
  const primary = r.take(r.u16be('primary field length'), 'primary field');
  const secondaryLength = r.remaining >= 2 ? r.u16be('secondary field length') : 0;
  if (secondaryLength > 0) r.skip(secondaryLength, 'secondary field');
  const id: UserIdentityRq = { type, positiveResponseRequested, primaryLength: primary.length, secondaryLength };
  // types 3-5 carry Kerberos tickets, SAML assertions or JWTs: bearer secrets, never copied
  if (type === 1 || type === 2) id.username = printableAscii(primary, 64);
  return id;
}
