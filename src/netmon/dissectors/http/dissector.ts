/**
 * @module HTTP/1.x dissector: requests (method, path without query, Host, User-Agent, authorization scheme;
 * Basic credentials reduced to username + password length) and responses (status, Server, auth challenges).
 * Bodies are skipped by their framing; only the first 16 KiB of an XML response body is kept, to read
 * a UPnP device description (`http.upnp-description`: the names and models SSDP announcements point to),
 * the first 64 KiB of a body that may carry HL7 v2, whose messages are reported as `hl7.message`
 * (hl7-body.ts: patient identifiers posted in cleartext HTTP), and the first 64 KiB of a FHIR JSON
 * body that may be a Bundle, reported as `http.fhir-body` (fhir-body.ts: the resource types it carries).
 */
import type { Direction, FlowKey, FrameMeta, ObservationSink, StreamConsumer, WireFinding } from '../../model.js';
import type { ConsumerOptions, Detection, Dissector, KeptBytesBudget } from '../contract.js';
import { flowEmitter, type Emit } from '../support/emitter.js';
import { cleanText } from '../support/text.js';
import { isXmlLeavesError } from '../support/xml-leaves.js';
import { dicomwebRequest, dicomwebResponse, type DicomwebService } from './dicomweb.js';
import { deferToBody, fhirBody, fhirRequest, fhirResponse, mayCarryBundle, type FhirBodyContext, type FhirRequest } from './fhir.js';
import { FHIR_BODY_SNIFF, MAX_FHIR_BODY, mayCarryFhirJson } from './fhir-body.js';
import { HL7_BODY_SNIFF, MAX_HL7_BODY, mayCarryHl7, readHl7Body } from './hl7-body.js';
import { basicCredentials, pathOf, type MessageHead, type RequestLine, type StatusLine } from './head.js';
import { bodyRule, HttpStream, keptBytes, type BodyRule } from './stream.js';
import { looksLikeXml, MAX_XML_BODY, mayBeDescription, readUpnpDescription, type UpnpDescription } from './upnp-description.js';

const ID = 'http';
// 1.2: HL7 v2 messages in request and response bodies (`hl7.message` with carriedBy "http")
// 1.3: DICOMweb requests and responses (`dicomweb` fields, http.dicomweb-cleartext)
// 1.4: FHIR REST requests and responses (`fhir*` fields, http.fhir-cleartext)
// 1.5: FHIR JSON bodies that may be Bundles read (`http.fhir-body`); the head's fhirPatientData is then null
const VERSION = '1.5.0';
const MAX_PENDING = 64;
const EMPTY = new Uint8Array(0);
const DETECT_WINDOW = 2048;
const utf8 = new TextDecoder('utf-8');

const METHODS = ['GET', 'POST', 'PUT', 'HEAD', 'DELETE', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE', 'PROPFIND', 'PROPPATCH', 'MKCOL', 'COPY', 'MOVE', 'LOCK', 'UNLOCK', 'REPORT', 'SEARCH'];
const latin1 = new TextDecoder('latin1');

function detect(b: Uint8Array, dir: Direction): Detection {
  if (b.length === 0) return 'need-more';
  const text = latin1.decode(b.subarray(0, DETECT_WINDOW));
  const eol = text.indexOf('\n');
  const line = eol < 0 ? text : text.slice(0, eol).replace(/\r$/, '');
  if (dir === 's2c' || text.startsWith('H')) {
    if (/^HTTP\/1\.[01] \d{3}/.test(line)) return 'yes';
    if (eol < 0 && line.length < 12 && 'HTTP/1.1 200'.startsWith(line.slice(0, 7))) return 'need-more';
    if (dir === 's2c') return 'no';
  }
  const sp = line.indexOf(' ');
  const method = sp < 0 ? line : line.slice(0, sp);
  if (sp < 0) return eol < 0 && METHODS.some((m) => m.startsWith(method)) && b.length < DETECT_WINDOW ? 'need-more' : 'no';
  if (!METHODS.includes(method)) return 'no';
  if (eol < 0) return b.length < DETECT_WINDOW ? 'need-more' : 'no';
  return /^[A-Z]+ \S+ HTTP\/1\.[01]$/.test(line) ? 'yes' : 'no';
}

const header = (h: MessageHead, name: string, max = 256): string | null => {
  const v = h.headers.get(name);
  return v === undefined ? null : cleanText(v, max);
};

class HttpConsumer implements StreamConsumer {
  private readonly streams: Record<Direction, HttpStream | null>;
  private readonly pending: PendingRequest[] = [];
  /** the body being kept in each direction: why (a device description, HL7, FHIR) and for which request */
  private readonly keeping: Record<Direction, KeptBody | null> = { c2s: null, s2c: null };

  constructor(
    private readonly emit: Emit,
    private readonly key: FlowKey,
    /** where the HL7 messages read from bodies go (stamped by the HL7 dissector) */
    private readonly sink: ObservationSink,
    /** shared by the flows of a read: the bodies kept to be read count against it */
    private readonly keptBodies?: KeptBytesBudget,
  ) {
    this.streams = {
      c2s: new HttpStream({ head: (h, meta) => this.head('c2s', h, meta), body: (b, t, meta) => this.body('c2s', b, t, meta) }, keptBodies),
      s2c: new HttpStream({ head: (h, meta) => this.head('s2c', h, meta), body: (b, t, meta) => this.body('s2c', b, t, meta) }, keptBodies),
    };
  }

  onData(dir: Direction, data: Uint8Array, meta: FrameMeta): void {
    try {
      this.streams[dir]?.feed(data, meta);
    } catch (e) {
      // the direction stops here (a framing fault): a FHIR body it was reading is reported unread, so
      // the head that left its judgement to the body keeps the request line's
      const kept = this.keeping[dir];
      this.keeping[dir] = null;
      if (kept?.fhir) this.fhirBody(dir, kept.fhir, EMPTY, true, false, meta);
      throw e;
    }
  }

  onGap(dir: Direction, _length: number, meta: FrameMeta): void {
    this.streams[dir]?.release();
    this.streams[dir] = null;
    const kept = this.keeping[dir];
    this.keeping[dir] = null;
    // the head left its judgement to a FHIR body now lost: reported unread, the request line's judgement stands
    if (kept?.fhir) this.fhirBody(dir, kept.fhir, EMPTY, true, false, meta);
  }

  onClose(_reason: string, meta: FrameMeta): void {
    this.streams.c2s?.close(meta);
    this.streams.s2c?.close(meta);
  }

  private head(dir: Direction, h: MessageHead, meta: FrameMeta): BodyRule {
    return h.start.kind === 'request' ? this.request(dir, h.start, h, meta) : this.response(dir, h.start, h, meta);
  }

  private request(dir: Direction, start: RequestLine, h: MessageHead, meta: FrameMeta): BodyRule {
    const { path, queryPresent } = pathOf(start.target);
    const contentType = h.headers.get('content-type') ?? null;
    const accept = h.headers.get('accept') ?? null;
    const dicomweb = dicomwebRequest(start.method, start.target, path, contentType, accept);
    const rule = bodyRule(h, start.method === 'CONNECT' ? 'none' : undefined);
    const asked = fhirRequest(start.method, start.target, path, queryPresent, contentType, accept);
    const interaction = asked.fields.fhirInteraction;
    const fhirKeep = interaction !== null && mayCarryBundle(interaction, asked.fields.fhirResourceType, true) && mayCarryFhirJson(h) ? keptBytes(rule, MAX_FHIR_BODY) : 0;
    const deferred = fhirKeep > 0 && this.hasRoom(fhirKeep);
    const fhir = deferred ? deferToBody(asked) : asked;
    const pending: PendingRequest = {
      method: start.method,
      path: path.slice(0, 512),
      ...(dicomweb.shape ? { dicomweb: { shape: dicomweb.shape, confirmed: dicomweb.confirmed } } : {}),
      ...(fhir.shape ? { fhir } : {}),
    };
    if (this.pending.length < MAX_PENDING) this.pending.push(pending);
    const auth = h.headers.get('authorization') ?? null;
    const scheme = auth === null ? null : (auth.split(/\s+/)[0] ?? '').slice(0, 32);
    const basic = auth === null ? undefined : basicCredentials(auth);
    const findings: WireFinding[] = [];
    if (basic) {
      findings.push({ code: 'http.basic-auth-cleartext', severity: 'high', message: `HTTP Basic credentials for user "${basic.username}" sent without TLS` });
    } else if (scheme !== null && /^bearer$/i.test(scheme)) {
      findings.push({ code: 'http.bearer-token-cleartext', severity: 'high', message: 'HTTP bearer token sent without TLS' });
    }
    if (dicomweb.finding) findings.push(dicomweb.finding);
    if (fhir.finding) findings.push(fhir.finding);
    this.emit(
      'http.request',
      dir,
      meta,
      {
        method: start.method,
        path: path.slice(0, 512),
        queryPresent,
        version: start.version,
        host: header(h, 'host'),
        userAgent: header(h, 'user-agent'),
        authorizationScheme: scheme,
        username: basic?.username ?? null,
        passwordLength: basic?.passwordLength ?? null,
        cookiePresent: h.headers.has('cookie'),
        contentType: header(h, 'content-type', 128),
        upgrade: header(h, 'upgrade', 64),
        // added in 1.3.0
        ...dicomweb.fields,
        // added in 1.4.0
        ...fhir.fields,
      },
      findings,
    );
    if (fhirKeep > 0 && interaction !== null) {
      const ctx = { interaction, resourceType: fhir.fields.fhirResourceType, requestMethod: start.method, requestPath: pending.path, status: null, flagged: fhir.finding !== undefined };
      return this.keepFhir(dir, rule, fhirKeep, deferred, pending, ctx, meta);
    }
    return this.keepHl7(dir, rule, mayCarryHl7(h, true), path);
  }

  /**
   * Whether the shared budget has room for `keep` more bytes, as HttpStream.apply will judge when the head
   * handler returns: decided before the head is emitted, since a body that will not be read leaves the
   * head its own judgement.
   */
  private hasRoom(keep: number): boolean {
    const b = this.keptBodies;
    return b === undefined || b.used + keep <= b.max;
  }

  /**
   * `rule` keeping `keep` bytes of a FHIR body, read into `http.fhir-body`. Without room (`read` false)
   * the keep is still asked for, so the stream counts the body as refused, but nothing waits for it.
   */
  private keepFhir(dir: Direction, rule: BodyRule, keep: number, read: boolean, request: PendingRequest, fhir: FhirBodyContext, headMeta: FrameMeta): BodyRule {
    this.keeping[dir] = null;
    if (rule.kind === 'none' || rule.kind === 'tunnel') return rule;
    if (!read) return { ...rule, keep };
    const kept: KeptBody = { purpose: 'fhir', request, fhir };
    this.keeping[dir] = kept;
    const accept = (prefix: Uint8Array): boolean => {
      const ok = FHIR_BODY_SNIFF.accept(prefix);
      // not a JSON object: dropped unread, and answered at once (at the head's frame) so the head's
      // deferred judgement is not left without one: the request line's stands
      if (!ok && this.keeping[dir] === kept) {
        this.keeping[dir] = null;
        this.fhirBody(dir, fhir, EMPTY, true, false, headMeta);
      }
      return ok;
    };
    return { ...rule, keep, sniff: { bytes: FHIR_BODY_SNIFF.bytes, accept } };
  }

  private fhirBody(dir: Direction, ctx: FhirBodyContext, prefix: Uint8Array, truncated: boolean, read: boolean, meta: FrameMeta): void {
    const { fields, finding } = fhirBody(prefix, truncated, read, ctx);
    this.emit('http.fhir-body', dir, meta, fields, finding ? [finding] : undefined);
  }

  /** `rule` keeping a prefix of the body to read HL7 from, when it may carry some */
  private keepHl7(dir: Direction, rule: BodyRule, may: boolean, path: string): BodyRule {
    this.keeping[dir] = null;
    if (!may || rule.kind === 'none' || rule.kind === 'tunnel' || keptBytes(rule, MAX_HL7_BODY) === 0) return rule;
    this.keeping[dir] = { purpose: 'hl7', request: { method: '', path: path.slice(0, 512) } };
    return { ...rule, keep: MAX_HL7_BODY, sniff: HL7_BODY_SNIFF };
  }

  private response(dir: Direction, start: StatusLine, h: MessageHead, meta: FrameMeta): BodyRule {
    const informational = start.status >= 100 && start.status < 200 && start.status !== 101;
    const request = informational ? this.pending[0] : this.pending.shift();
    const method = request?.method;
    const fhir = fhirResponse(informational ? undefined : request?.fhir, h.headers.get('content-type') ?? null);
    // a 2xx answer with a body (not to HEAD, not a tunnel) that may be a Bundle
    const answered = start.status >= 200 && start.status < 300 && start.status !== 204 && method !== 'HEAD' && method !== 'CONNECT';
    const rule = bodyRule(h, 'until-close');
    const interaction = fhir.fhirInteraction;
    const fhirKeep = answered && interaction !== null && mayCarryBundle(interaction, fhir.fhirResourceType, false) && mayCarryFhirJson(h) ? keptBytes(rule, MAX_FHIR_BODY) : 0;
    const deferred = fhirKeep > 0 && this.hasRoom(fhirKeep);
    const challenge = h.headers.get('www-authenticate') ?? null;
    const findings: WireFinding[] = [];
    if (challenge !== null && /(^|,\s*)Basic\b/i.test(challenge)) {
      findings.push({ code: 'http.basic-auth-offered', severity: 'medium', message: 'HTTP server asks for Basic credentials without TLS' });
    }
    this.emit(
      'http.response',
      dir,
      meta,
      {
        status: start.status,
        reason: start.reason,
        version: start.version,
        requestMethod: method ?? null,
        server: header(h, 'server'),
        contentType: header(h, 'content-type', 128),
        authenticationChallenge: challenge === null ? null : (challenge.split(/\s+/)[0] ?? '').slice(0, 32),
        setCookiePresent: h.headers.has('set-cookie'),
        // added in 1.3.0: the DICOMweb service it answers (DICOM content: patient data)
        dicomweb: informational ? null : dicomwebResponse(request?.dicomweb, h.headers.get('content-type') ?? null),
        // added in 1.4.0: the FHIR interaction it answers; since 1.5.0 fhirPatientData null when the body decides
        ...fhir,
        ...(deferred ? { fhirPatientData: null } : {}),
      },
      findings,
    );
    if (start.status === 101 || (method === 'CONNECT' && start.status >= 200 && start.status < 300)) {
      this.streams.c2s?.becomeTunnel();
      return { kind: 'tunnel' };
    }
    if (informational || start.status === 204 || start.status === 304 || method === 'HEAD') return { kind: 'none' };
    if (fhirKeep > 0 && interaction !== null && request) {
      const ctx = { interaction, resourceType: fhir.fhirResourceType, requestMethod: request.method, requestPath: request.path, status: start.status, flagged: request.fhir?.finding !== undefined };
      return this.keepFhir(dir, rule, fhirKeep, deferred, request, ctx, meta);
    }
    const description = start.status >= 200 && start.status < 300 && (method === undefined || method === 'GET') && mayBeDescription(h, rule);
    // an HL7 answer (ACK) comes back labelled as HL7
    if (!description) return this.keepHl7(dir, rule, mayCarryHl7(h, false), request?.path ?? '');
    this.keeping[dir] = { purpose: 'description', request: request ?? { method: 'GET', path: '' } };
    return rule.kind !== 'none' && rule.kind !== 'tunnel' ? { ...rule, keep: MAX_XML_BODY } : rule;
  }

  /** a kept body: HL7 messages, a FHIR body, or a UPnP device description */
  private body(dir: Direction, prefix: Uint8Array, truncated: boolean, meta: FrameMeta): void {
    const kept = this.keeping[dir];
    this.keeping[dir] = null;
    if (!kept) return;
    if (kept.fhir) {
      this.fhirBody(dir, kept.fhir, prefix, truncated, true, meta);
      return;
    }
    if (kept.purpose === 'hl7') {
      readHl7Body({ key: this.key, sink: this.sink, path: kept.request.path }, dir, prefix, truncated, meta);
      return;
    }
    const request = kept.request;
    const text = utf8.decode(prefix);
    if (!looksLikeXml(text)) return;
    let d: UpnpDescription | undefined;
    try {
      d = readUpnpDescription(text);
    } catch (e) {
      // malformed XML in one body says nothing about the HTTP framing: the connection goes on
      if (isXmlLeavesError(e)) return;
      throw e;
    }
    if (!d) return;
    this.emit('http.upnp-description', dir, meta, {
      requestPath: request.path.length > 0 ? request.path : null,
      ...d,
      bodyTruncated: truncated,
    });
  }
}

interface PendingRequest {
  method: string;
  path: string;
  /** the DICOMweb service the request has the shape of, and whether it showed it is one */
  dicomweb?: { shape: DicomwebService; confirmed: boolean };
  /** the FHIR interaction the request has the shape of, and whether it showed it is one */
  fhir?: FhirRequest;
}

interface KeptBody {
  purpose: 'description' | 'hl7' | 'fhir';
  request: PendingRequest;
  /** a FHIR body: the exchange it belongs to */
  fhir?: FhirBodyContext;
}

export const httpDissector: Dissector = {
  id: ID,
  version: VERSION,
  transport: 'tcp',
  defaultPorts: [80, 8080, 8000, 8008, 8081],
  detect,
  create(key: FlowKey, emit: ObservationSink, options?: ConsumerOptions): StreamConsumer {
    return new HttpConsumer(flowEmitter({ id: ID, version: VERSION }, key, emit), key, emit, options?.keptBodies);
  },
};
