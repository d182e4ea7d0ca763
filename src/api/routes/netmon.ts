/**
 * @module Passive monitoring endpoints: upload a capture (pcap/pcapng) or a Zeek conn.log as the
 * raw body (netmon:ingest; spooled to a private temporary file, then ingested like the CLI does),
 * the captures ingested, conversations (flow summaries), the observations each capture kept (the
 * evidence: ClientHellos, HL7 message types, DIMSE commands, DHCP fingerprints), the communication map of a device,
 * address or zone, detections (the alerts netmon raised), the zone/conduit policy with the
 * observed-versus-allowed traffic per zone pair and the status of the server's capture-directory
 * watch (netmon:read).
 */
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { AlertService } from '../../alerts/index.js';
import { DomainError } from '../../core/index.js';
import { sniffFlowLogFile } from '../../netmon/index.js';
import type { CaptureWatchStatus } from '../../netmon/capture-watch-service.js';
import type { NetmonService } from '../../netmon/service.js';
import type { ApiApp } from '../types.js';

export interface NetmonRouteDeps {
  netmon: NetmonService;
  alerts: AlertService;
  /** the server's capture-directory watch (CAREGUARD_NETMON_CAPTURE_DIR); absent or undefined: not running */
  captureWatch?: () => CaptureWatchStatus | undefined;
}

export const CAPTURE_BODY_LIMIT = 2 * 1024 * 1024 * 1024;
const MEDIA_TYPES = ['application/vnd.tcpdump.pcap', 'application/octet-stream', 'application/x-pcapng', 'text/plain', 'application/x-ndjson'];
const tags = ['netmon'];
const Opt = Type.Optional;
const Iso = Type.String({ format: 'date-time' });
const Count = Type.Integer({ minimum: 0 });

const CaptureSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    kind: Type.String(),
    startedAt: Type.String(),
    finishedAt: Type.String(),
    firstSeen: Opt(Type.String()),
    lastSeen: Opt(Type.String()),
    bytes: Count,
    packets: Count,
    flows: Count,
    devices: Count,
    detections: Count,
    summary: Type.Record(Type.String(), Type.Unknown()),
    ingestedBy: Type.String(),
    /** the capture file of a rotating directory ingested with --follow (what tells it is already in) */
    source: Opt(Type.Object({ path: Type.String(), bytes: Count, modifiedAt: Type.String() }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

const ConversationSchema = Type.Object(
  { client: Type.String(), server: Type.String(), port: Count, transport: Type.String(), protocol: Type.String(), flows: Count, packets: Count, bytes: Count, firstSeen: Type.String(), lastSeen: Type.String(), firstFrame: Count },
  { additionalProperties: false },
);

const NodeSchema = Type.Object(
  { ip: Type.String(), deviceId: Opt(Type.String()), name: Opt(Type.String()), category: Opt(Type.String()), criticality: Opt(Type.String()), zone: Opt(Type.String()), focus: Type.Boolean() },
  { additionalProperties: false },
);
const EdgeSchema = Type.Object(
  { client: Type.String(), server: Type.String(), protocols: Type.Array(Type.String()), ports: Type.Array(Count), flows: Count, packets: Count, bytes: Count, firstSeen: Type.String(), lastSeen: Type.String() },
  { additionalProperties: false },
);

const IpText = Type.String({ minLength: 2, maxLength: 45, pattern: '^[0-9A-Fa-f:.]+$' });

const EndpointSchema = Type.Object({ ip: Type.String(), port: Count }, { additionalProperties: false });
const ObservationSchema = Type.Object(
  {
    id: Type.String(),
    captureId: Type.String(),
    /** capture time, ISO-8601 UTC with microseconds */
    ts: Type.String(),
    frame: Count,
    protocol: Type.String(),
    kind: Type.String(),
    /** dissector id@version */
    producer: Type.String(),
    flow: Opt(Type.Object({ transport: Type.String(), client: EndpointSchema, server: EndpointSchema }, { additionalProperties: false })),
    dir: Opt(Type.Union([Type.Literal('c2s'), Type.Literal('s2c')])),
    fields: Type.Record(Type.String(), Type.Unknown()),
    findings: Opt(Type.Array(Type.Object({ code: Type.String(), severity: Type.String(), message: Type.String() }, { additionalProperties: false }))),
    /** every observation of its (kind, client, server, port) group in the capture, on the group's last stored one */
    groupCount: Opt(Count),
  },
  { additionalProperties: false },
);

const CaptureWatchSchema = Type.Union([
  Type.Object({ enabled: Type.Literal(false) }, { additionalProperties: false }),
  Type.Object(
    {
      enabled: Type.Literal(true),
      directory: Type.String(),
      state: Type.Union([Type.Literal('watching'), Type.Literal('ingesting'), Type.Literal('stopped'), Type.Literal('error')]),
      startedAt: Iso,
      filesIngested: Count,
      filesSkipped: Count,
      filesFailed: Count,
      packetsIngested: Count,
      filesWaiting: Count,
      currentFile: Opt(Type.Object({ path: Type.String(), since: Iso }, { additionalProperties: false })),
      lastFile: Opt(
        Type.Object(
          { path: Type.String(), outcome: Type.Union([Type.Literal('ingested'), Type.Literal('skipped'), Type.Literal('failed')]), captureId: Opt(Type.String()), at: Iso },
          { additionalProperties: false },
        ),
      ),
      lastError: Opt(Type.Object({ code: Type.String(), message: Type.String(), at: Iso, file: Opt(Type.String()) }, { additionalProperties: false })),
      retryAt: Opt(Iso),
    },
    { additionalProperties: false },
  ),
]);

export function registerNetmonRoutes(app: ApiApp, deps: NetmonRouteDeps): void {
  const { netmon } = deps;

  void app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(MEDIA_TYPES, (_req, payload, done) => done(null, payload));
    scope.post(
      '/api/v1/netmon/captures',
      {
        bodyLimit: CAPTURE_BODY_LIMIT,
        config: { permission: 'netmon:ingest' },
        schema: {
          tags,
          summary: 'Ingest a pcap/pcapng capture or a Zeek conn.log sent as the body: devices into the inventory, findings and detections as alerts, conversations stored',
          querystring: Type.Object({ name: Opt(Type.String({ pattern: '^[A-Za-z0-9._ :-]{1,200}$' })) }, { additionalProperties: false }),
          response: {
            201: Type.Object(
              { captureId: Type.String(), kind: Type.String(), devices: Type.Unknown(), alerts: Type.Unknown(), detections: Count, conversations: Count, packets: Count, flows: Count },
              { additionalProperties: false },
            ),
          },
        },
      },
      async (req, reply) => {
        const declared = Number(req.headers['content-length']);
        if (Number.isFinite(declared) && declared > CAPTURE_BODY_LIMIT) throw new DomainError('netmon.capture_too_large', `the upload is larger than ${CAPTURE_BODY_LIMIT} bytes`, { status: 413 });
        const dir = await mkdtemp(join(tmpdir(), 'cg-capture-'));
        try {
          const file = join(dir, 'upload');
          await pipeline(req.body as Readable, createWriteStream(file, { mode: 0o600 }));
          const kind = (await sniffFlowLogFile(file)) ? 'flow-log' : 'capture';
          const r = await netmon.ingest(file, { kind, name: req.query.name ?? `upload-${new Date().toISOString()}` }, req.actor);
          return reply.code(201).send({
            captureId: r.captureId,
            kind,
            devices: r.devices,
            alerts: r.alerts,
            detections: r.report.detections?.length ?? 0,
            conversations: r.conversations,
            packets: r.report.capture.packets,
            flows: r.report.capture.flows,
          });
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
    );
  });

  app.get(
    '/api/v1/netmon/captures',
    {
      config: { permission: 'netmon:read' },
      schema: {
        tags,
        summary: 'Captures and flow logs ingested, newest first',
        querystring: Type.Object({ limit: Opt(Type.Integer({ minimum: 1, maximum: 500 })), before: Opt(Type.String({ maxLength: 64 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(CaptureSchema) }, { additionalProperties: false }) },
      },
    },
    async (req) => ({ items: await netmon.captures(req.query.limit ?? 50, req.query.before) }),
  );

  app.get(
    '/api/v1/netmon/captures/:id',
    {
      config: { permission: 'netmon:read' },
      schema: { tags, summary: 'One ingested capture with its summary (protocols, detections, zone pairs)', params: Type.Object({ id: Type.String({ pattern: '^[A-Za-z0-9_]{1,64}$' }) }, { additionalProperties: false }), response: { 200: CaptureSchema } },
    },
    async (req) => netmon.capture(req.params.id),
  );

  app.get(
    '/api/v1/netmon/conversations',
    {
      config: { permission: 'netmon:read' },
      schema: {
        tags,
        summary: 'Flow summaries: conversations summed across captures, largest first',
        querystring: Type.Object({ ip: Opt(Type.Array(IpText, { maxItems: 50 })), from: Opt(Iso), to: Opt(Iso), limit: Opt(Type.Integer({ minimum: 1, maximum: 5000 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(ConversationSchema) }, { additionalProperties: false }) },
      },
    },
    async (req) => ({ items: await netmon.conversations({ ...(req.query.ip ? { ips: req.query.ip } : {}), ...(req.query.from ? { from: req.query.from } : {}), ...(req.query.to ? { to: req.query.to } : {}) }, req.query.limit ?? 200) }),
  );

  app.get(
    '/api/v1/netmon/observations',
    {
      config: { permission: 'netmon:read' },
      schema: {
        tags,
        summary: 'Observations the ingests kept (the first of each kind between two hosts, with group totals), oldest first, a page at a time',
        querystring: Type.Object(
          {
            captureId: Opt(Type.String({ pattern: '^[A-Za-z0-9_]{1,64}$' })),
            ip: Opt(IpText),
            protocol: Opt(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,40}$' })),
            kind: Opt(Type.String({ pattern: '^[A-Za-z0-9_.-]{1,80}$' })),
            from: Opt(Iso),
            to: Opt(Iso),
            limit: Opt(Type.Integer({ minimum: 1, maximum: 500 })),
            cursor: Opt(Type.String({ pattern: '^[A-Za-z0-9_-]{1,400}$' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(ObservationSchema), nextCursor: Opt(Type.String()) }, { additionalProperties: false }) },
      },
    },
    async (req) => netmon.observations(req.query),
  );

  app.get(
    '/api/v1/netmon/map',
    {
      config: { permission: 'netmon:read' },
      schema: {
        tags,
        summary: 'The communication map of one device, address or zone (exactly one)',
        querystring: Type.Object(
          {
            deviceId: Opt(Type.String({ pattern: '^[A-Za-z0-9_]{1,64}$' })),
            ip: Opt(IpText),
            zone: Opt(Type.String({ minLength: 1, maxLength: 100 })),
            from: Opt(Iso),
            to: Opt(Iso),
            hops: Opt(Type.Union([Type.Literal(0), Type.Literal(1)])),
            limit: Opt(Type.Integer({ minimum: 1, maximum: 2000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ focus: Type.Array(Type.String()), nodes: Type.Array(NodeSchema), edges: Type.Array(EdgeSchema), truncated: Count }, { additionalProperties: false }) },
      },
    },
    async (req) => netmon.map(req.query),
  );

  app.get(
    '/api/v1/netmon/detections',
    {
      config: { permission: 'netmon:read' },
      schema: {
        tags,
        summary: 'Alerts raised by passive monitoring (wire findings and detections), newest first',
        querystring: Type.Object({ deviceId: Opt(Type.String({ maxLength: 64 })), limit: Opt(Type.Integer({ minimum: 1, maximum: 500 })), cursor: Opt(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(Type.Unknown()), nextCursor: Opt(Type.String()), total: Count }, { additionalProperties: false }) },
      },
    },
    async (req) => deps.alerts.list({ source: 'netmon', ...(req.query.deviceId ? { deviceId: req.query.deviceId } : {}), ...(req.query.limit ? { limit: req.query.limit } : {}), ...(req.query.cursor ? { cursor: req.query.cursor } : {}) }),
  );

  app.get(
    '/api/v1/netmon/zones',
    {
      config: { permission: 'netmon:read' },
      schema: {
        tags,
        summary: 'Zones and conduits of the policy, and observed-versus-allowed traffic per zone pair from the latest capture',
        response: { 200: Type.Object({ zones: Type.Array(Type.Unknown()), conduits: Type.Array(Type.Unknown()), observed: Type.Array(Type.Unknown()), observedIn: Opt(Type.Unknown()) }, { additionalProperties: false }) },
      },
    },
    async () => netmon.zones(),
  );

  app.get(
    '/api/v1/netmon/capture-watch',
    {
      config: { permission: 'netmon:read' },
      schema: {
        tags,
        summary: "The server's capture-directory watch (CAREGUARD_NETMON_CAPTURE_DIR): state, files ingested, skipped and failed since start, the last file and the last error",
        response: { 200: CaptureWatchSchema },
      },
    },
    async () => deps.captureWatch?.() ?? { enabled: false as const },
  );
}
