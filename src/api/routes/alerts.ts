/**
 * @module Alert endpoints: list, summary and read (alerts:read); raise from an integration
 * (alerts:create); acknowledge and resolve with an optional note (alerts:write).
 */
import { Type } from 'typebox';
import { ALERT_LIMITS, ALERT_SEVERITIES, ALERT_STATUSES, type AlertService } from '../../alerts/index.js';
import type { ApiApp } from '../types.js';

export interface AlertRouteDeps {
  alerts: AlertService;
}

const Severity = Type.Enum([...ALERT_SEVERITIES]);
const Status = Type.Enum([...ALERT_STATUSES]);
const Count = Type.Integer({ minimum: 0 });

const Evidence = Type.Object(
  {
    kind: Type.String({ minLength: 1, maxLength: ALERT_LIMITS.evidenceKind, description: 'flow, packet, advisory, sbom-component, finding, log, ...' }),
    ref: Type.String({ minLength: 1, maxLength: ALERT_LIMITS.evidenceRef }),
    detail: Type.Optional(Type.String({ maxLength: ALERT_LIMITS.evidenceDetail })),
  },
  { additionalProperties: false },
);

const ActorRef = Type.Object({ id: Type.String(), name: Type.String() }, { additionalProperties: false });

const AlertSchema = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    description: Type.String(),
    severity: Severity,
    status: Status,
    deviceId: Type.Optional(Type.String()),
    source: Type.String(),
    category: Type.String(),
    dedupKey: Type.String(),
    evidence: Type.Array(Evidence),
    count: Type.Integer({ minimum: 1 }),
    firstSeen: Type.String(),
    lastSeen: Type.String(),
    createdAt: Type.String(),
    updatedAt: Type.String(),
    acknowledgedAt: Type.Optional(Type.String()),
    acknowledgedBy: Type.Optional(ActorRef),
    acknowledgeNote: Type.Optional(Type.String()),
    resolvedAt: Type.Optional(Type.String()),
    resolvedBy: Type.Optional(ActorRef),
    resolutionNote: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const RaiseBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: ALERT_LIMITS.title }),
    description: Type.Optional(Type.String({ maxLength: ALERT_LIMITS.description })),
    severity: Severity,
    deviceId: Type.Optional(Type.String({ minLength: 1, maxLength: ALERT_LIMITS.label })),
    source: Type.String({ minLength: 1, maxLength: ALERT_LIMITS.label }),
    category: Type.String({ minLength: 1, maxLength: ALERT_LIMITS.label }),
    dedupKey: Type.Optional(Type.String({ minLength: 1, maxLength: ALERT_LIMITS.dedupKey, description: 'repeats with the same key fold into the active alert' })),
    evidence: Type.Optional(Type.Array(Evidence, { maxItems: ALERT_LIMITS.evidenceItems })),
    observedAt: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Array(Status, { maxItems: ALERT_STATUSES.length, description: 'repeat to select several' })),
    severity: Type.Optional(Type.Array(Severity, { maxItems: ALERT_SEVERITIES.length })),
    deviceId: Type.Optional(Type.String({ maxLength: ALERT_LIMITS.label })),
    source: Type.Optional(Type.String({ maxLength: ALERT_LIMITS.label })),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_]+$' }) }, { additionalProperties: false });
// The body is optional (no note): Fastify validates an absent body as null.
const NoteBody = Type.Union([Type.Object({ note: Type.Optional(Type.String({ maxLength: ALERT_LIMITS.note })) }, { additionalProperties: false }), Type.Null()]);
const tags = ['alerts'];

const bySeverity = Type.Object(Object.fromEntries(ALERT_SEVERITIES.map((s) => [s, Count])) as Record<(typeof ALERT_SEVERITIES)[number], typeof Count>, { additionalProperties: false });
const byStatus = Type.Object(Object.fromEntries(ALERT_STATUSES.map((s) => [s, Count])) as Record<(typeof ALERT_STATUSES)[number], typeof Count>, { additionalProperties: false });

export function registerAlertRoutes(app: ApiApp, deps: AlertRouteDeps): void {
  const { alerts } = deps;

  app.get(
    '/api/v1/alerts',
    {
      config: { permission: 'alerts:read' },
      schema: {
        tags,
        summary: 'List alerts, newest first',
        querystring: ListQuery,
        response: { 200: Type.Object({ items: Type.Array(AlertSchema), nextCursor: Type.Optional(Type.String()), total: Count }, { additionalProperties: false }) },
      },
    },
    async (req) => alerts.list(req.query),
  );

  app.get(
    '/api/v1/alerts/summary',
    {
      config: { permission: 'alerts:read' },
      schema: { tags, summary: 'Counts by status, and active alerts by severity', response: { 200: Type.Object({ total: Count, byStatus, activeBySeverity: bySeverity }, { additionalProperties: false }) } },
    },
    async () => alerts.summary(),
  );

  app.get(
    '/api/v1/alerts/:id',
    { config: { permission: 'alerts:read' }, schema: { tags, summary: 'Read one alert', params: IdParams, response: { 200: AlertSchema } } },
    async (req) => alerts.get(req.params.id),
  );

  app.post(
    '/api/v1/alerts',
    {
      config: { permission: 'alerts:create' },
      schema: {
        tags,
        summary: 'Raise an alert (integrations); a repeat of an active alert folds into it (200) instead of creating one (201)',
        body: RaiseBody,
        response: { 200: Type.Object({ alert: AlertSchema, created: Type.Boolean() }), 201: Type.Object({ alert: AlertSchema, created: Type.Boolean() }) },
      },
    },
    async (req, reply) => {
      const outcome = await alerts.raise(req.body, req.actor);
      return reply.code(outcome.created ? 201 : 200).send(outcome);
    },
  );

  app.post(
    '/api/v1/alerts/:id/acknowledge',
    { config: { permission: 'alerts:write' }, schema: { tags, summary: 'Acknowledge an open alert', params: IdParams, body: NoteBody, response: { 200: AlertSchema } } },
    async (req) => alerts.acknowledge(req.params.id, req.actor, req.body?.note),
  );

  app.post(
    '/api/v1/alerts/:id/resolve',
    { config: { permission: 'alerts:write' }, schema: { tags, summary: 'Resolve an open or acknowledged alert', params: IdParams, body: NoteBody, response: { 200: AlertSchema } } },
    async (req) => alerts.resolve(req.params.id, req.actor, req.body?.note),
  );
}
