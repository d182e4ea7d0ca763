/**
 * @module Passive-monitoring read endpoints (netmon:read): the captures ingested, conversations (flow
 * summaries), the observations each capture kept (the evidence: ClientHellos, HL7 message types, DIMSE
 * commands, DHCP fingerprints), the communication map of a device, address or zone, detections (the
 * alerts netmon raised) and the zone/conduit policy with the observed-versus-allowed traffic per zone pair.
 */
import { Type } from 'typebox';
import type { AlertService } from '../../alerts/index.js';
import type { NetmonService } from '../../netmon/service.js';
import type { ApiApp } from '../types.js';
import { CaptureSchema, ConversationSchema, Count, EdgeSchema, IpText, Iso, NodeSchema, ObservationSchema, Opt, tags } from './netmon-schemas.js';

export interface NetmonReadRouteDeps {
  netmon: NetmonService;
  alerts: AlertService;
}

export function registerNetmonReadRoutes(app: ApiApp, deps: NetmonReadRouteDeps): void {
  const { netmon } = deps;

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
}
