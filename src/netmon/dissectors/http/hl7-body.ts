/**
 * @module HL7 v2 carried in HTTP bodies: interface engines post messages over HTTP (an HTTP listener
 * instead of MLLP) and answer with the ACK in the response. A body that opens with a message (MSH, BHS
 * or FHS, after an optional MLLP start block, byte order mark or whitespace) is read by the HL7
 * dissector, which reports each message as it does on MLLP (`hl7.message`: routing, type, control id,
 * ACK code, patient identifiers in cleartext), marked `carriedBy: "http"` with the request path. So
 * patient data posted in cleartext HTTP is found like patient data sent over MLLP.
 */
import type { Direction, FlowKey, FrameMeta, Observation, ObservationSink } from '../../model.js';
import { hl7Dissector } from '../hl7/dissector.js';
import { headerAt } from '../hl7/mid-stream.js';
import { isDissectorError } from '../errors.js';
import type { MessageHead } from './head.js';

/** body bytes kept to read HL7 from: a message's MSH, PID and MSA come first, well inside it */
export const MAX_HL7_BODY = 64 * 1024;

/** media types HL7 v2 is sent with (ER7, the pipe-delimited encoding); XML v2 is not read */
const HL7_TYPE = /^\s*(application|x-application|text)\/(x-)?(hl7|hl7-v2|edi-hl7)(\+er7)?\s*(;|$)/i;
/** types that may carry HL7 without saying so: the body is looked at */
const UNLABELLED_TYPE = /^\s*(text\/plain|application\/octet-stream)\s*(;|$)/i;

/**
 * Whether a body may be HL7: an HL7 media type, or (requests only, where interface engines post with
 * generic types) text/plain, application/octet-stream or no type; never a compressed one.
 */
export function mayCarryHl7(h: MessageHead, request: boolean): boolean {
  const coding = h.headers.get('content-encoding');
  if (coding !== undefined && !/^\s*identity\s*$/i.test(coding)) return false;
  const type = h.headers.get('content-type');
  if (type !== undefined && HL7_TYPE.test(type)) return true;
  return request && (type === undefined || UNLABELLED_TYPE.test(type));
}

/** leading bytes allowed before the message: a BOM, then whitespace, then an MLLP start block */
const MAX_LEAD = 3 + 64 + 1;

/** where the message opening the body starts (after a start block, BOM or whitespace), or -1 */
function messageStart(b: Uint8Array): number {
  let i = 0;
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) i = 3;
  while (i < b.length && i < 3 + 64 && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0d || b[i] === 0x0a)) i++;
  if (b[i] === 0x0b) i++;
  return headerAt(b, i) === 'yes' ? i : -1;
}

/**
 * The sniff of a body kept for HL7 (stream.ts BodySniff): only a body that opens with a message is
 * kept past its first bytes, so a generic upload posted as text/plain costs no memory. A body whose
 * first bytes may still grow into a message start (whitespace only, say) is kept.
 */
export const HL7_BODY_SNIFF = {
  bytes: MAX_LEAD + 9,
  accept: (prefix: Uint8Array): boolean => messageStart(prefix) >= 0 || prefix.length < MAX_LEAD + 9,
};

export interface Hl7BodyContext {
  key: FlowKey;
  sink: ObservationSink;
  /** the request's path (a response: that of the request it answers), '' if unknown */
  path: string;
}

/**
 * Reads the HL7 messages in a kept body prefix `body` sent in `dir`; `truncated`: the body went on
 * past it. Returns how many messages were reported (0: not HL7). A body that turns out not to be
 * well-formed HL7 reports what was read before the fault, nothing more (it says nothing about HTTP).
 */
export function readHl7Body(ctx: Hl7BodyContext, dir: Direction, body: Uint8Array, truncated: boolean, meta: FrameMeta): number {
  const start = messageStart(body);
  if (start < 0) return 0;
  let messages = 0;
  const carried = (o: Observation) => {
    if (o.kind === 'hl7.message') messages++;
    ctx.sink({ ...o, fields: { ...o.fields, carriedBy: 'http', httpPath: ctx.path.length > 0 ? ctx.path : null, bodyTruncated: truncated } });
  };
  const reader = hl7Dissector.create(ctx.key, carried);
  // from the start block when there is one: the message is then read as MLLP-framed
  const bytes = body.subarray(start > 0 && body[start - 1] === 0x0b ? start - 1 : start);
  try {
    reader.onData(dir, bytes, meta);
    reader.onClose?.('fin', meta);
  } catch (e) {
    if (!isDissectorError(e)) throw e;
  }
  return messages;
}
