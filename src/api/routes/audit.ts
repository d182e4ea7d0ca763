/**
 * @module Audit log endpoints (audit:read): entries with filters and a keyset cursor, signed tree
 * heads, RFC 9162 inclusion and consistency proofs, full verification, and the public key that
 * lets anyone check heads and proofs without trusting this server (docs/audit.md).
 */
import { Type } from 'typebox';
import type { AuditService } from '../../audit/index.js';
import type { ApiApp } from '../types.js';

export interface AuditRouteDeps {
  audit: AuditService;
}

const Hex32 = Type.String({ pattern: '^[0-9a-f]{64}$' });
const Size = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });

const ActorSchema = Type.Object(
  {
    kind: Type.String(),
    id: Type.String(),
    name: Type.String(),
    role: Type.Optional(Type.String()),
    ip: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const EntrySchema = Type.Object(
  {
    seq: Size,
    time: Type.String(),
    actor: ActorSchema,
    action: Type.String(),
    targetType: Type.String(),
    targetId: Type.Optional(Type.String()),
    before: Type.Optional(Type.Unknown()),
    after: Type.Optional(Type.Unknown()),
    details: Type.Optional(Type.Unknown()),
    leafHash: Hex32,
  },
  { additionalProperties: false, description: 'leafHash = SHA-256(0x00 || canonical JSON of the entry without leafHash)' },
);

const TreeHeadSchema = Type.Object(
  { treeSize: Size, rootHash: Hex32, timestamp: Type.String(), keyId: Hex32, signature: Type.String({ description: 'base64 Ed25519' }) },
  { additionalProperties: false },
);

const InclusionSchema = Type.Object(
  { leafIndex: Size, treeSize: Size, leafHash: Hex32, rootHash: Hex32, auditPath: Type.Array(Hex32), treeHead: Type.Optional(TreeHeadSchema) },
  { additionalProperties: false },
);

const ConsistencySchema = Type.Object(
  {
    firstSize: Size,
    secondSize: Size,
    firstRootHash: Hex32,
    secondRootHash: Hex32,
    consistencyPath: Type.Array(Hex32),
    firstTreeHead: Type.Optional(TreeHeadSchema),
    secondTreeHead: Type.Optional(TreeHeadSchema),
  },
  { additionalProperties: false },
);

const ReportSchema = Type.Object(
  {
    ok: Type.Boolean(),
    entries: Size,
    treeHeadsChecked: Size,
    rootHash: Type.Optional(Hex32),
    firstBadIndex: Type.Optional(Size),
    problem: Type.Optional(Type.String()),
    reason: Type.Optional(Type.String()),
    treeHeadErrors: Type.Array(Type.String()),
    signedTreeHead: Type.Optional(TreeHeadSchema),
    durationMs: Type.Number(),
  },
  { additionalProperties: false },
);

const EntriesQuery = Type.Object(
  {
    actorId: Type.Optional(Type.String({ maxLength: 200 })),
    action: Type.Optional(Type.String({ maxLength: 200, description: 'exact action, or a prefix ending in * ("device.*")' })),
    targetType: Type.Optional(Type.String({ maxLength: 100 })),
    targetId: Type.Optional(Type.String({ maxLength: 200 })),
    from: Type.Optional(Type.String({ format: 'date-time', description: 'inclusive' })),
    to: Type.Optional(Type.String({ format: 'date-time', description: 'exclusive' })),
    order: Type.Optional(Type.Enum(['asc', 'desc'])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    cursor: Type.Optional(Type.String({ maxLength: 32 })),
  },
  { additionalProperties: false },
);

const tags = ['audit'];
const permission = 'audit:read' as const;

export function registerAuditRoutes(app: ApiApp, deps: AuditRouteDeps): void {
  const { audit } = deps;

  app.get(
    '/api/v1/audit/entries',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'List audit entries, newest first unless order=asc',
        querystring: EntriesQuery,
        response: { 200: Type.Object({ items: Type.Array(EntrySchema), nextCursor: Type.Optional(Type.String()), total: Size }, { additionalProperties: false }) },
      },
    },
    async (req) => audit.list(req.query),
  );

  app.get(
    '/api/v1/audit/entries/:seq',
    { config: { permission }, schema: { tags, summary: 'Read one audit entry', params: Type.Object({ seq: Size }, { additionalProperties: false }), response: { 200: EntrySchema } } },
    async (req) => audit.getEntry(req.params.seq),
  );

  app.get(
    '/api/v1/audit/tree-head',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'The newest signed tree head; fresh=true signs one over every entry first',
        querystring: Type.Object({ fresh: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: TreeHeadSchema },
      },
    },
    async (req) => (req.query.fresh ? audit.signTreeHead() : audit.latestTreeHead()),
  );

  app.get(
    '/api/v1/audit/proofs/inclusion',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'RFC 9162 inclusion proof of an entry; treeSize defaults to a signed head covering it',
        querystring: Type.Object({ seq: Size, treeSize: Type.Optional(Size) }, { additionalProperties: false }),
        response: { 200: InclusionSchema },
      },
    },
    async (req) => audit.inclusionProof(req.query.seq, req.query.treeSize),
  );

  app.get(
    '/api/v1/audit/proofs/consistency',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'RFC 9162 consistency proof between two tree sizes; second defaults to the newest signed head',
        querystring: Type.Object({ first: Size, second: Type.Optional(Size) }, { additionalProperties: false }),
        response: { 200: ConsistencySchema },
      },
    },
    async (req) => audit.consistencyProof(req.query.first, req.query.second),
  );

  app.post(
    '/api/v1/audit/verify',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'Recompute and check the whole log against its signed tree heads',
        // a body is optional: an empty POST verifies without signing
        body: Type.Union([Type.Object({ signTreeHead: Type.Optional(Type.Boolean()) }, { additionalProperties: false }), Type.Null()]),
        response: { 200: ReportSchema },
      },
    },
    async (req) => audit.verify({ signTreeHead: req.body?.signTreeHead === true }),
  );

  app.get(
    '/api/v1/audit/public-key',
    {
      config: { permission },
      schema: {
        tags,
        summary: 'The Ed25519 public key that signs tree heads',
        response: { 200: Type.Object({ keyId: Hex32, algorithm: Type.Literal('Ed25519'), publicKeyPem: Type.String() }, { additionalProperties: false }) },
      },
    },
    async () => audit.publicKey(),
  );
}
