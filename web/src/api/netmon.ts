/**
 * @module Typed client for the passive-monitoring endpoints (/api/v1/netmon/*): captures, capture
 * upload, conversations, the observations each capture kept, the communication map, detections and zones. The shapes are the wire contract
 * of src/api/routes/netmon*.ts (schemas in netmon-schemas.ts, netmon-capture-watch.ts and netmon-upload.ts)
 * and the netmon service, copied on purpose (like types.ts and vulns.ts):
 * the dashboard depends on what the server sends, never on its code. Fields the server types as
 * `unknown` (capture summary, zones, conduits, observed pairs) get the shapes it produces today.
 *
 * The upload is the one request `request()` cannot make: the body is raw bytes, not JSON, and the
 * user wants to see progress, which only XMLHttpRequest reports for request bodies.
 */
import { ApiError, api, request, toQueryString } from './client.js';
import type { Alert, ProblemDetails } from './types.js';

// ---------- captures ----------

export interface ProtocolCount {
  protocol: string;
  flows: number;
  observations: number;
  packets: number;
  bytes: number;
}

export interface WireFinding {
  code: string;
  severity: string;
  message: string;
  count: number;
  firstFrame: number;
  frames: number[];
}

/** A detection as the capture summary keeps it (the alert it raised carries the same title). */
export interface CaptureDetection {
  rule: string;
  ruleVersion: string;
  category: string;
  severity: string;
  title: string;
  explanation: string;
  dedupKey: string;
  deviceIp: string;
  deviceId?: string;
  deviceName?: string;
  zone?: string;
  peerIp?: string;
  count: number;
  firstSeen: string;
  lastSeen: string;
  firstFrame: number;
}

export interface ZonePairTraffic {
  from: string;
  to: string;
  fromSecurityLevel?: number;
  toSecurityLevel?: number;
  flows: number;
  packets: number;
  bytes: number;
  allowedFlows: number;
  deniedFlows: number;
  unjudgedFlows: number;
  allowedBytes: number;
  deniedBytes: number;
  /** flows per allowing conduit ("intra-zone" inside one zone) */
  conduits: { name: string; flows: number }[];
  /** denied flows per service ("dicom tcp/104"), largest first */
  denied: { service: string; flows: number; bytes: number; firstFrame: number }[];
  protocols: { protocol: string; flows: number; bytes: number }[];
  firstFrame: number;
}

/** What the server stores about an ingested capture (all optional: older records may lack some). */
export interface CaptureSummary {
  protocols?: ProtocolCount[];
  findings?: WireFinding[];
  detections?: CaptureDetection[];
  detection?: { rules?: { id: string; version: string; enabled: boolean }[]; baseline?: { complete?: boolean; learnEnd?: string } };
  zonePairs?: ZonePairTraffic[];
  devicesCreated?: number;
  alerts?: { created: number; folded: number };
  conversationsDropped?: { flows: number; bytes: number };
  decodeErrors?: Record<string, number>;
  /** the observation sample the ingest kept (packet captures ingested since observations are stored) */
  observations?: { seen: number; stored: number; groups: number; omitted: number; dropped: number; perGroup: number; maxStored: number };
  /** one checkpoint of a live capture read in segments (`netmon ingest -`): where it stands in its run */
  segment?: CaptureSegment;
}

export interface CaptureSegment {
  /** the same for every segment of one run */
  session: string;
  /** 1 for the first segment */
  index: number;
  /** the run's last segment (stopped or ended): every open flow was ended in it */
  final: boolean;
  /** frame number of the segment's first packet in the run (frames run on across segments) */
  firstFrame: number;
  /** flows begun in an earlier segment, still open when this one began */
  flowsCarriedIn: number;
  /** flows still open at its end, carried into the next segment */
  flowsOpen: number;
  /** the segment is one file of a followed directory's run (its own frame 1 is firstFrame in the run) */
  perFile?: true;
}

export interface Capture {
  id: string;
  name: string;
  /** 'capture' (pcap/pcapng) or 'flow-log' (Zeek conn.log) */
  kind: string;
  startedAt: string;
  finishedAt: string;
  firstSeen?: string;
  lastSeen?: string;
  bytes: number;
  packets: number;
  flows: number;
  devices: number;
  detections: number;
  summary: CaptureSummary;
  ingestedBy: string;
}

export interface CaptureUploadResult {
  captureId: string;
  kind: string;
  devices: { reported: number; created: number; updated: number; unchanged: number };
  alerts: { created: number; folded: number };
  detections: number;
  conversations: number;
  packets: number;
  flows: number;
}

// ---------- observations ----------

/** One observation an ingest kept: what a dissector read from the wire (the evidence). */
export interface Observation {
  id: string;
  captureId: string;
  /** capture time, ISO-8601 UTC with microseconds */
  ts: string;
  frame: number;
  protocol: string;
  /** e.g. tls.client-hello, hl7.message, dicom.dimse, dhcp.request */
  kind: string;
  /** dissector id@version */
  producer: string;
  flow?: { transport: string; client: { ip: string; port: number }; server: { ip: string; port: number } };
  dir?: 'c2s' | 's2c';
  fields: Record<string, unknown>;
  findings?: { code: string; severity: string; message: string }[];
  /** every observation of its (kind, client, server, port) group in the capture, on the group's last kept one */
  groupCount?: number;
}

export interface ObservationQuery {
  captureId?: string;
  ip?: string;
  protocol?: string;
  kind?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export interface ObservationPage {
  items: Observation[];
  nextCursor?: string;
}

// ---------- conversations and the map ----------

export interface Conversation {
  client: string;
  server: string;
  port: number;
  transport: string;
  protocol: string;
  flows: number;
  packets: number;
  bytes: number;
  firstSeen: string;
  lastSeen: string;
  firstFrame: number;
}

export interface ConversationQuery {
  ips?: readonly string[];
  from?: string;
  to?: string;
  limit?: number;
}

export interface MapNode {
  ip: string;
  deviceId?: string;
  name?: string;
  category?: string;
  criticality?: string;
  zone?: string;
  /** the node the map is about */
  focus: boolean;
}

export interface MapEdge {
  client: string;
  server: string;
  protocols: string[];
  ports: number[];
  flows: number;
  packets: number;
  bytes: number;
  firstSeen: string;
  lastSeen: string;
}

export interface CommunicationMap {
  /** the addresses the map is centred on */
  focus: string[];
  nodes: MapNode[];
  edges: MapEdge[];
  /** edges left out by the limit */
  truncated: number;
}

/** Exactly one of deviceId, ip or zone (the server refuses anything else). */
export interface MapQuery {
  deviceId?: string;
  ip?: string;
  zone?: string;
  hops?: 0 | 1;
  from?: string;
  to?: string;
  limit?: number;
}

// ---------- zones ----------

export interface Zone {
  name: string;
  cidrs: string[];
  securityLevel?: number;
  external: boolean;
  description?: string;
}

export interface ConduitService {
  protocol?: string;
  transport?: string;
  /** server ports; empty = any */
  ports: { from: number; to: number }[];
}

export interface Conduit {
  name: string;
  from: string;
  to: string;
  bidirectional: boolean;
  /** empty = any traffic between the zones */
  services: ConduitService[];
  description?: string;
  pointer?: string;
}

export interface ZoneReport {
  zones: Zone[];
  conduits: Conduit[];
  observed: ZonePairTraffic[];
  observedIn?: { captureId: string; name: string; finishedAt: string };
}

export interface DetectionPage {
  items: Alert[];
  nextCursor?: string;
  total: number;
}

// ---------- upload helpers (pure) ----------

/** The media type the upload route accepts for a file name; the server sniffs the content anyway. */
export function captureContentType(fileName: string): string {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.pcapng') || lower.endsWith('.ntar')) return 'application/x-pcapng';
  if (lower.endsWith('.pcap') || lower.endsWith('.cap') || lower.endsWith('.dmp')) return 'application/vnd.tcpdump.pcap';
  if (lower.endsWith('.ndjson') || lower.endsWith('.json')) return 'application/x-ndjson';
  if (lower.endsWith('.log') || lower.endsWith('.txt') || lower.endsWith('.tsv')) return 'text/plain';
  return 'application/octet-stream';
}

const NAME_MAX = 200;

/**
 * The capture name the route accepts (letters, digits, "._ :-", at most 200): other characters
 * become "_", so "ward 3 (ICU).pcap" is recorded as "ward 3 _ICU_.pcap" instead of being refused.
 */
export function captureUploadName(fileName: string): string | undefined {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  const safe = base.replace(/[^A-Za-z0-9._ :-]/g, '_').slice(0, NAME_MAX).trim();
  return safe && !/^_+$/.test(safe) ? safe : undefined;
}

export interface UploadProgress {
  /** bytes sent, then the server reading the capture */
  phase: 'uploading' | 'analysing';
  loaded: number;
  total: number;
}

export interface UploadOptions {
  name?: string;
  onProgress?(progress: UploadProgress): void;
  signal?: AbortSignal;
}

function problemFrom(xhr: XMLHttpRequest): ProblemDetails {
  try {
    const body: unknown = JSON.parse(xhr.responseText);
    if (body && typeof body === 'object') return body as ProblemDetails;
  } catch {
    // not JSON: fall through to the status line
  }
  return { status: xhr.status, title: xhr.statusText || 'Upload failed' };
}

/**
 * POSTs a capture or flow log as the raw body. The CSRF token lives inside client.ts; GET /auth/me
 * hands it out again (as after a reload), which costs one small request per upload.
 */
async function uploadCapture(file: Blob & { name?: string }, options: UploadOptions = {}): Promise<CaptureUploadResult> {
  const me = await api.me(options.signal);
  const name = options.name ?? (file.name ? captureUploadName(file.name) : undefined);
  const type = captureContentType(file.name ?? '');
  return new Promise<CaptureUploadResult>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1/netmon/captures${toQueryString({ name })}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('content-type', type);
    if (me.csrfToken) xhr.setRequestHeader('x-csrf-token', me.csrfToken);
    xhr.upload.onprogress = (e) => options.onProgress?.({ phase: 'uploading', loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.upload.onload = () => options.onProgress?.({ phase: 'analysing', loaded: file.size, total: file.size });
    xhr.onload = () => {
      if (xhr.status === 201 || xhr.status === 200) {
        try {
          resolve(JSON.parse(xhr.responseText) as CaptureUploadResult);
        } catch {
          reject(new ApiError(xhr.status, { status: xhr.status, title: 'Unreadable answer', detail: 'The server accepted the upload but its answer was not JSON.' }));
        }
        return;
      }
      const retry = Number(xhr.getResponseHeader('retry-after') ?? Number.NaN);
      reject(new ApiError(xhr.status, problemFrom(xhr), Number.isFinite(retry) && retry >= 0 ? retry : undefined));
    };
    xhr.onerror = () => reject(new TypeError('the upload could not reach the server'));
    xhr.onabort = () => reject(new DOMException('the upload was cancelled', 'AbortError'));
    options.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

// ---------- the client ----------

const seg = encodeURIComponent;

/** conversations take `ip` once per address (ip=a&ip=b), which toQueryString cannot express */
function conversationQuery(q: ConversationQuery): string {
  const search = new URLSearchParams();
  for (const ip of q.ips ?? []) search.append('ip', ip);
  if (q.from) search.set('from', q.from);
  if (q.to) search.set('to', q.to);
  if (q.limit !== undefined) search.set('limit', String(q.limit));
  const s = search.toString();
  return s ? `?${s}` : '';
}

/** GET /netmon/capture-watch: the server following a rotating capture directory (CAREGUARD_NETMON_CAPTURE_DIR). */
export type CaptureWatchStatus =
  | { enabled: false }
  | {
      enabled: true;
      directory: string;
      state: 'watching' | 'ingesting' | 'stopped' | 'error';
      startedAt: string;
      filesIngested: number;
      filesSkipped: number;
      filesFailed: number;
      packetsIngested: number;
      /** complete files not ingested yet (growing: ingest falls behind the capture) */
      filesWaiting: number;
      currentFile?: { path: string; since: string };
      lastFile?: { path: string; outcome: 'ingested' | 'skipped' | 'failed'; captureId?: string; at: string };
      lastError?: { code: string; message: string; at: string; file?: string };
      retryAt?: string;
    };

export const netmonApi = {
  listCaptures: (query: { limit?: number; before?: string }, signal?: AbortSignal) => request<{ items: Capture[] }>(`/netmon/captures${toQueryString({ ...query })}`, { signal }),
  getCapture: (id: string, signal?: AbortSignal) => request<Capture>(`/netmon/captures/${seg(id)}`, { signal }),
  uploadCapture,
  conversations: (query: ConversationQuery, signal?: AbortSignal) => request<{ items: Conversation[] }>(`/netmon/conversations${conversationQuery(query)}`, { signal }),
  observations: (query: ObservationQuery, signal?: AbortSignal) => request<ObservationPage>(`/netmon/observations${toQueryString({ ...query })}`, { signal }),
  map: (query: MapQuery, signal?: AbortSignal) => request<CommunicationMap>(`/netmon/map${toQueryString({ ...query })}`, { signal }),
  detections: (query: { deviceId?: string; limit?: number; cursor?: string }, signal?: AbortSignal) => request<DetectionPage>(`/netmon/detections${toQueryString({ ...query })}`, { signal }),
  zones: (signal?: AbortSignal) => request<ZoneReport>('/netmon/zones', { signal }),
  captureWatch: (signal?: AbortSignal) => request<CaptureWatchStatus>('/netmon/capture-watch', { signal }),
};
