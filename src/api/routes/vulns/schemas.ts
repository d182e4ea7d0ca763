/** @module TypeBox schemas of the vulnerability-intelligence API: products, SBOMs, components, advisories, findings. */
import { Type } from 'typebox';
import { VEX_JUSTIFICATIONS, VEX_STATES } from '../../../vulns/findings/model.js';

const Opt = Type.Optional;
const Str = Type.String();
export const Count = Type.Integer({ minimum: 0 });

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_:#.\\-]+$' }) }, { additionalProperties: false });

export const ProductSchema = Type.Object(
  {
    id: Str,
    manufacturer: Str,
    name: Str,
    version: Str,
    normalizedVendor: Str,
    normalizedProduct: Str,
    cpe: Opt(Str),
    purl: Opt(Str),
    rubric: Opt(Type.Record(Type.String(), Type.String())),
    origin: Str,
    createdAt: Str,
    updatedAt: Str,
  },
  { additionalProperties: false },
);

export const ProductBody = Type.Object(
  {
    manufacturer: Type.String({ minLength: 1, maxLength: 256 }),
    name: Type.String({ minLength: 1, maxLength: 256 }),
    version: Opt(Type.String({ maxLength: 256 })),
    cpe: Opt(Type.String({ maxLength: 512 })),
    purl: Opt(Type.String({ maxLength: 1024 })),
  },
  { additionalProperties: false },
);

export const SbomSchema = Type.Object(
  {
    id: Str,
    productId: Str,
    format: Type.Enum(['cyclonedx', 'spdx']),
    specVersion: Str,
    serialNumber: Opt(Str),
    name: Opt(Str),
    created: Opt(Str),
    parser: Str,
    sha256: Str,
    componentCount: Count,
    importedAt: Str,
    importedBy: Str,
  },
  { additionalProperties: false },
);

export const ComponentSchema = Type.Object(
  {
    ref: Str,
    name: Str,
    version: Opt(Str),
    purl: Opt(Str),
    purlRaw: Opt(Str),
    cpes: Type.Array(Str),
    supplier: Opt(Str),
    author: Opt(Str),
    group: Opt(Str),
    type: Str,
    hashes: Type.Array(Type.Object({ alg: Str, value: Str }, { additionalProperties: false })),
    licenses: Type.Array(Str),
    parentRef: Opt(Str),
    ecosystem: Opt(Str),
    properties: Type.Array(Type.Object({ name: Str, value: Str }, { additionalProperties: false })),
    flags: Type.Array(Str),
  },
  { additionalProperties: false },
);

const Evidence = Type.Object({ advisoryField: Str, advisoryValue: Str, componentField: Str, componentValue: Str, explanation: Str }, { additionalProperties: false });

export const TriageSchema = Type.Object(
  {
    state: Type.Enum([...VEX_STATES]),
    justification: Opt(Type.Enum([...VEX_JUSTIFICATIONS])),
    detail: Opt(Str),
    action: Opt(Str),
    by: Type.Object({ kind: Str, id: Str, name: Str }, { additionalProperties: false }),
    at: Str,
    origin: Str,
  },
  { additionalProperties: false },
);

export const FindingSchema = Type.Object(
  {
    id: Str,
    productId: Str,
    componentRef: Str,
    componentKey: Str,
    componentName: Str,
    componentVersion: Opt(Str),
    componentPurl: Opt(Str),
    vulnerabilityId: Str,
    advisoryId: Str,
    advisorySource: Str,
    rule: Str,
    confidence: Type.Number(),
    needsReview: Type.Boolean(),
    evidence: Evidence,
    fixedVersions: Type.Array(Str),
    status: Type.Enum(['open', 'closed']),
    closeReason: Opt(Str),
    triage: Opt(TriageSchema),
    riskScore: Type.Number(),
    firstSeen: Str,
    lastSeen: Str,
    closedAt: Opt(Str),
    advisoryPublished: Opt(Str),
    alertId: Opt(Str),
    alertedAt: Opt(Str),
  },
  { additionalProperties: false },
);

export const TriageBody = Type.Object(
  {
    state: Type.Enum([...VEX_STATES]),
    justification: Opt(Type.Enum([...VEX_JUSTIFICATIONS])),
    detail: Opt(Type.String({ maxLength: 4000 })),
    action: Opt(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);

/** The advisory model is deep and source-shaped; the summary fields are typed, the rest is passed through. */
export const AdvisorySchema = Type.Object(
  {
    id: Str,
    source: Str,
    sourceId: Str,
    aliases: Type.Array(Str),
    title: Opt(Str),
    summary: Opt(Str),
    details: Opt(Str),
    published: Opt(Str),
    modified: Opt(Str),
    withdrawn: Opt(Str),
    severity: Type.Array(Type.Unknown()),
    cwes: Type.Array(Str),
    affected: Type.Array(Type.Unknown()),
    remediations: Type.Array(Type.Unknown()),
    references: Type.Array(Type.Unknown()),
    kev: Opt(Type.Unknown()),
    epss: Opt(Type.Unknown()),
    provenance: Type.Unknown(),
    warnings: Type.Array(Str),
  },
  { additionalProperties: false },
);

export const StoredAdvisorySchema = Type.Object({ advisory: AdvisorySchema, firstIngestedAt: Str, lastChangedAt: Str }, { additionalProperties: false });

export const ReconcileCountsSchema = {
  opened: Count,
  refreshed: Count,
  closed: Count,
  alerts: Count,
};

export const Paged = <T extends ReturnType<typeof Type.Object>>(item: T) => Type.Object({ items: Type.Array(item), nextCursor: Opt(Str), total: Count }, { additionalProperties: false });
