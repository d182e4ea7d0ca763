/**
 * @module Risk views (vulns:read): the portfolio (counts by band, KEV exposure, EPSS, top risks
 * with recommended actions), rollups per device/product/unit/site, the MITRE rubric questions;
 * setting a product's rubric answers (vulns:write, validated, audited, re-scores its findings);
 * and VEX export of a product's findings (vulns:read).
 */
import { Type } from 'typebox';
import { RUBRIC_QUESTIONS } from '../../../risk/index.js';
import { ROLLUP_DIMENSIONS, type Portfolio, type RollupBy } from '../../../vulns/portfolio.js';
import type { VulnService } from '../../../vulns/service.js';
import type { VexService } from '../../../vulns/vex-service.js';
import type { ApiApp } from '../../types.js';
import { IdParams, ProductSchema } from './schemas.js';

export interface RiskRouteDeps {
  portfolio: Portfolio;
  vulns: VulnService;
  vex: VexService;
}

const tags = ['risk'];
const Opt = Type.Optional;

export function registerRiskRoutes(app: ApiApp, deps: RiskRouteDeps): void {
  app.get(
    '/api/v1/risk/portfolio',
    {
      config: { permission: 'vulns:read' },
      schema: {
        tags,
        summary: 'Portfolio risk: counts by band, devices exposed to KEV-listed vulnerabilities, EPSS distribution, top risks with recommended actions',
        querystring: Type.Object({ top: Opt(Type.Integer({ minimum: 1, maximum: 100 })) }, { additionalProperties: false }),
        response: {
          200: Type.Object(
            { generatedAt: Type.String(), openFindings: Type.Integer(), timeToAlert: Type.Unknown(), severity: Type.Unknown(), kev: Type.Unknown(), epss: Type.Array(Type.Unknown()), top: Type.Array(Type.Unknown()) },
            { additionalProperties: false },
          ),
        },
      },
    },
    async (req) => deps.portfolio.view(req.query.top ?? 10),
  );

  app.get(
    '/api/v1/risk/rollups',
    {
      config: { permission: 'vulns:read' },
      schema: {
        tags,
        summary: 'Risk rolled up per device, product, unit or site (highest score first)',
        querystring: Type.Object({ by: Type.Enum([...ROLLUP_DIMENSIONS]), limit: Opt(Type.Integer({ minimum: 1, maximum: 1000 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ by: Type.String(), items: Type.Array(Type.Unknown()) }, { additionalProperties: false }) },
      },
    },
    async (req) => ({ by: req.query.by, items: await deps.portfolio.rollup(req.query.by as RollupBy, req.query.limit ?? 100) }),
  );

  app.get(
    '/api/v1/risk/rubric',
    { config: { permission: 'vulns:read' }, schema: { tags, summary: 'The MITRE medical-device CVSS rubric questions and allowed answers', response: { 200: Type.Object({ questions: Type.Array(Type.Unknown()) }, { additionalProperties: false }) } } },
    async () => ({ questions: [...RUBRIC_QUESTIONS] }),
  );

  app.put(
    '/api/v1/products/:id/rubric',
    {
      config: { permission: 'vulns:write' },
      schema: {
        tags,
        summary: "Set (or clear with null) a product's MITRE rubric answers; its findings are re-scored",
        params: IdParams,
        body: Type.Union([Type.Record(Type.String({ maxLength: 32 }), Type.String({ maxLength: 64 }), { maxProperties: 64 }), Type.Null()]),
        response: { 200: ProductSchema },
      },
    },
    async (req) => deps.vulns.setRubric(req.params.id, req.body ?? undefined, req.actor),
  );

  app.get(
    '/api/v1/products/:id/vex',
    {
      config: { permission: 'vulns:read' },
      schema: {
        tags: ['vulnerabilities'],
        summary: "Export a product's findings and triage as CycloneDX 1.6 VEX, CSAF 2.0 VEX or OpenVEX 0.2.0",
        params: IdParams,
        querystring: Type.Object(
          {
            format: Type.Enum(['cyclonedx', 'csaf', 'openvex']),
            publisherName: Opt(Type.String({ minLength: 1, maxLength: 200 })),
            publisherNamespace: Opt(Type.String({ format: 'uri', maxLength: 500 })),
            author: Opt(Type.String({ minLength: 1, maxLength: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Unknown() },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const doc = await deps.vex.exportVex(req.params.id, {
        format: q.format,
        ...(q.author ? { author: q.author } : {}),
        publisher: { ...(q.publisherName ? { name: q.publisherName } : {}), ...(q.publisherNamespace ? { namespace: q.publisherNamespace } : {}) },
      });
      const type = q.format === 'cyclonedx' ? 'application/vnd.cyclonedx+json' : q.format === 'openvex' ? 'application/json' : 'application/json';
      const file = `${req.params.id.replace(/[^A-Za-z0-9_-]/g, '_')}.${q.format === 'cyclonedx' ? 'cdx' : q.format}.vex.json`;
      return reply.type(type).header('content-disposition', `attachment; filename="${file}"`).send(doc);
    },
  );
}
