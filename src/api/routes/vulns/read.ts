/**
 * @module Vulnerability-intelligence read and triage endpoints: products (vulns:read, create with
 * vulns:write), SBOMs with components, advisories, findings with filters, one finding with its
 * risk breakdown, and analyst triage with VEX states (vulns:write, audited).
 */
import { Type, type Static } from 'typebox';
import type { VulnQueries } from '../../../vulns/queries.js';
import type { VulnService } from '../../../vulns/service.js';
import type { TriageService } from '../../../vulns/triage.js';
import { VEX_STATES } from '../../../vulns/findings/model.js';
import type { ApiApp } from '../../types.js';
import { AdvisorySchema, ComponentSchema, Count, FindingSchema, IdParams, Paged, ProductBody, ProductSchema, SbomSchema, StoredAdvisorySchema, TriageBody } from './schemas.js';

export interface VulnReadRouteDeps {
  vulns: VulnService;
  queries: VulnQueries;
  triage: TriageService;
}

const Opt = Type.Optional;
const Limit = Opt(Type.Integer({ minimum: 1, maximum: 500 }));
const Cursor = Opt(Type.String({ maxLength: 400 }));
const tags = ['vulnerabilities'];

const ProductQuery = Type.Object({ q: Opt(Type.String({ maxLength: 200 })), manufacturer: Opt(Type.String({ maxLength: 256 })), limit: Limit, cursor: Cursor }, { additionalProperties: false });

const FindingQuery = Type.Object(
  {
    productId: Opt(Type.String({ maxLength: 64 })),
    status: Opt(Type.Enum(['open', 'closed'])),
    vulnerabilityId: Opt(Type.String({ maxLength: 200 })),
    advisoryId: Opt(Type.String({ maxLength: 200 })),
    triage: Opt(Type.Enum([...VEX_STATES, 'untriaged'])),
    needsReview: Opt(Type.Boolean()),
    minRisk: Opt(Type.Number({ minimum: 0, maximum: 100 })),
    q: Opt(Type.String({ maxLength: 200 })),
    sort: Opt(Type.Enum(['risk', 'lastSeen'])),
    limit: Limit,
    cursor: Cursor,
  },
  { additionalProperties: false },
);

const AdvisoryQuery = Type.Object(
  { q: Opt(Type.String({ maxLength: 200 })), source: Opt(Type.Enum(['osv', 'csaf', 'kev', 'epss', 'cve5', 'nvd'])), kev: Opt(Type.Boolean()), withFindings: Opt(Type.Boolean()), limit: Limit, cursor: Cursor },
  { additionalProperties: false },
);

const FindingDetailSchema = Type.Object(
  {
    finding: FindingSchema,
    product: ProductSchema,
    advisory: Opt(AdvisorySchema),
    intel: Type.Unknown({ description: 'CVSS vectors, KEV, EPSS and remediations merged across the advisories naming this vulnerability' }),
    risk: Type.Unknown({ description: 'score, band, breakdown (factors with inputs, weights, contributions) and recommended action' }),
    deviceId: Opt(Type.String()),
    perDevice: Type.Array(Type.Unknown()),
  },
  { additionalProperties: false },
);

export function registerVulnReadRoutes(app: ApiApp, deps: VulnReadRouteDeps): void {
  const { queries } = deps;

  app.get(
    '/api/v1/products',
    { config: { permission: 'vulns:read' }, schema: { tags, summary: 'List product versions (from SBOMs, the API and the inventory)', querystring: ProductQuery, response: { 200: Paged(ProductSchema) } } },
    async (req) => {
      const { limit, cursor, ...filter } = req.query;
      return queries.products(filter, cursor, limit ?? 50);
    },
  );

  app.post(
    '/api/v1/products',
    { config: { permission: 'vulns:write' }, schema: { tags, summary: 'Create (or update) a product version', body: ProductBody, response: { 200: ProductSchema } } },
    async (req) => deps.vulns.createProduct(req.body, req.actor),
  );

  app.get(
    '/api/v1/products/:id',
    {
      config: { permission: 'vulns:read' },
      schema: { tags, summary: 'One product version with its SBOMs and open finding count', params: IdParams, response: { 200: Type.Object({ product: ProductSchema, sboms: Type.Array(SbomSchema), openFindings: Count }, { additionalProperties: false }) } },
    },
    async (req) => queries.product(req.params.id),
  );

  app.get(
    '/api/v1/sboms/:id',
    {
      config: { permission: 'vulns:read' },
      schema: { tags, summary: 'One stored SBOM and its components (with quality flags)', params: IdParams, response: { 200: Type.Object({ sbom: SbomSchema, components: Type.Array(ComponentSchema) }, { additionalProperties: false }) } },
    },
    async (req) => queries.sbomComponents(req.params.id),
  );

  app.get(
    '/api/v1/advisories',
    { config: { permission: 'vulns:read' }, schema: { tags, summary: 'List stored advisories', querystring: AdvisoryQuery, response: { 200: Paged(StoredAdvisorySchema) } } },
    async (req) => {
      const { limit, cursor, ...filter } = req.query;
      const page = await queries.advisories(filter, cursor, limit ?? 50);
      return { ...page, items: page.items.map(({ keys: _k, contentHash: _h, ...rest }) => rest) };
    },
  );

  app.get(
    '/api/v1/advisories/:id',
    { config: { permission: 'vulns:read' }, schema: { tags, summary: 'One advisory by id or alias (CVE, GHSA, ICSMA)', params: IdParams, response: { 200: StoredAdvisorySchema } } },
    async (req) => {
      const { keys: _k, contentHash: _h, ...rest } = await queries.advisory(req.params.id);
      return rest;
    },
  );

  app.get(
    '/api/v1/findings',
    { config: { permission: 'vulns:read' }, schema: { tags, summary: 'List findings, highest risk first by default', querystring: FindingQuery, response: { 200: Paged(FindingSchema) } } },
    async (req) => {
      const { limit, cursor, sort, ...filter } = req.query as Static<typeof FindingQuery>;
      return queries.findings(filter, sort ?? 'risk', cursor, limit ?? 50);
    },
  );

  app.get(
    '/api/v1/findings/:id',
    { config: { permission: 'vulns:read' }, schema: { tags, summary: 'One finding with its evidence, merged intelligence and risk breakdown per device', params: IdParams, response: { 200: FindingDetailSchema } } },
    async (req) => queries.finding(req.params.id),
  );

  app.post(
    '/api/v1/findings/:id/triage',
    {
      config: { permission: 'vulns:write' },
      schema: {
        tags,
        summary: 'Triage a finding with a VEX state; applies to every open finding of the same product line, component and vulnerability',
        params: IdParams,
        body: TriageBody,
        response: { 200: Type.Object({ updated: Type.Array(FindingSchema) }, { additionalProperties: false }) },
      },
    },
    async (req) => ({ updated: await deps.triage.triage(req.params.id, req.body, req.actor) }),
  );
}
