/**
 * @module Document uploads for vulnerability intelligence, sent as the raw request body so errors
 * can name the JSON pointer or line of the original text and the SBOM hash is of what was sent:
 * SBOM import into a product (vulns:import), advisory documents of any supported feed format
 * (vulns:import), and a scan of an SBOM against the advisory store without storing anything (vulns:read).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DomainError, invalidInput } from '../../../core/index.js';
import { detectSource } from '../../../vulns/index.js';
import { scanSbom, SCAN_SEVERITIES } from '../../../vulns/scan.js';
import type { VulnService } from '../../../vulns/service.js';
import type { VulnRepository } from '../../../vulns/ports.js';
import type { VexService } from '../../../vulns/vex-service.js';
import type { ApiApp } from '../../types.js';
import { Count, ProductSchema, ReconcileCountsSchema, SbomSchema } from './schemas.js';

export interface VulnDocumentRouteDeps {
  vulns: VulnService;
  repo: VulnRepository;
  vex: VexService;
}

/** SBOMs of large firmware images and CSAF/OSV bundles run to tens of MB. */
export const DOCUMENT_BODY_LIMIT = 64 * 1024 * 1024;

const MEDIA_TYPES = [
  'application/json',
  'application/vnd.cyclonedx+json',
  'application/spdx+json',
  'application/csaf+json',
  'application/openvex+json',
  'text/spdx',
  'text/plain',
  'text/csv',
];

const Opt = Type.Optional;
const tags = ['vulnerabilities'];
const FileName = Opt(Type.String({ pattern: '^[A-Za-z0-9._ -]{1,200}$', description: 'name used in error locations and the audit log' }));

const SbomImportQuery = Type.Object(
  {
    productId: Opt(Type.String({ maxLength: 64 })),
    manufacturer: Opt(Type.String({ minLength: 1, maxLength: 256 })),
    name: Opt(Type.String({ minLength: 1, maxLength: 256 })),
    version: Opt(Type.String({ maxLength: 256 })),
    fileName: FileName,
  },
  { additionalProperties: false },
);

const SbomImportResult = Type.Object(
  {
    sbom: SbomSchema,
    product: ProductSchema,
    created: Type.Boolean(),
    flagged: Type.Record(Type.String(), Count),
    ...ReconcileCountsSchema,
  },
  { additionalProperties: false },
);

const AdvisoryIngestResult = Type.Object(
  {
    parser: Type.String(),
    advisories: Count,
    inserted: Count,
    changed: Count,
    unchanged: Count,
    productsRematched: Count,
    findingsRescored: Count,
    ...ReconcileCountsSchema,
  },
  { additionalProperties: false },
);

const ScanQuery = Type.Object({ fileName: FileName, failOn: Opt(Type.Enum([...SCAN_SEVERITIES])) }, { additionalProperties: false });

export function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (Buffer.isBuffer(body)) return body.toString('utf8');
  throw invalidInput('request.body_required', 'send the document as the request body');
}

export function registerVulnDocumentRoutes(app: ApiApp, deps: VulnDocumentRouteDeps): void {
  void app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(MEDIA_TYPES, { parseAs: 'string', bodyLimit: DOCUMENT_BODY_LIMIT }, (_req, body, done) => done(null, body));

    scope.post(
      '/api/v1/sboms',
      {
        bodyLimit: DOCUMENT_BODY_LIMIT,
        config: { permission: 'vulns:import' },
        schema: {
          tags,
          summary: 'Import an SBOM (CycloneDX JSON 1.2-1.6, SPDX 2.2/2.3 JSON or tag-value) sent as the body; the product is productId, or manufacturer+name+version, or the SBOM metadata component',
          querystring: SbomImportQuery,
          response: { 200: SbomImportResult, 201: SbomImportResult },
        },
      },
      async (req, reply) => {
        const q = req.query;
        if ((q.manufacturer === undefined) !== (q.name === undefined)) throw invalidInput('sbom.product_incomplete', 'give both manufacturer and name (and optionally version)');
        const result = await deps.vulns.importSbom(
          bodyText(req.body),
          {
            file: q.fileName ?? 'upload',
            ...(q.productId ? { productId: q.productId } : {}),
            ...(q.manufacturer && q.name ? { product: { manufacturer: q.manufacturer, name: q.name, ...(q.version !== undefined ? { version: q.version } : {}) } } : {}),
          },
          req.actor,
        );
        return reply.code(result.created ? 201 : 200).send(result);
      },
    );

    scope.post(
      '/api/v1/advisories',
      {
        bodyLimit: DOCUMENT_BODY_LIMIT,
        config: { permission: 'vulns:import' },
        schema: {
          tags,
          summary: 'Ingest an advisory document (OSV, CSAF 2.0, CISA KEV JSON/CSV, EPSS CSV, CVE JSON 5, NVD API 2.0) sent as the body; re-matches what it names and raises alerts',
          querystring: Type.Object({ fileName: FileName }, { additionalProperties: false }),
          response: { 200: AdvisoryIngestResult },
        },
      },
      async (req) => {
        const text = bodyText(req.body);
        const location = req.query.fileName ?? 'upload';
        let json: unknown;
        try {
          json = text.trimStart().startsWith('{') || text.trimStart().startsWith('[') ? JSON.parse(text) : undefined;
        } catch {
          json = undefined; // the parser reports where the text is broken
        }
        const plugin = detectSource({ filename: location, head: text.slice(0, 4096), ...(json === undefined ? {} : { json }) });
        if (!plugin) throw new DomainError('advisory.unknown_format', `${location} is not an advisory format CareGuard reads (OSV, CSAF 2.0, KEV, EPSS, CVE 5, NVD 2.0)`, { status: 415 });
        const advisories = plugin.parse(text, location);
        const r = await deps.vulns.ingestAdvisories(advisories, req.actor, location);
        return { parser: `${plugin.id}@${plugin.version}`, advisories: advisories.length, ...r };
      },
    );

    scope.post(
      '/api/v1/vex',
      {
        bodyLimit: DOCUMENT_BODY_LIMIT,
        config: { permission: 'vulns:write' },
        schema: {
          tags,
          summary: 'Import a VEX document (CycloneDX 1.4-1.6, CSAF 2.0, OpenVEX) sent as the body: statements become triage decisions on matching findings',
          querystring: Type.Object({ fileName: FileName }, { additionalProperties: false }),
          response: {
            200: Type.Object(
              {
                format: Type.String(),
                specVersion: Type.String(),
                statements: Count,
                findingsUpdated: Count,
                decisionsKept: Count,
                unmatched: Type.Array(Type.Object({ vulnerabilityId: Type.String(), pointer: Type.String(), reason: Type.String() }, { additionalProperties: false })),
                warnings: Type.Array(Type.String()),
              },
              { additionalProperties: false },
            ),
          },
        },
      },
      async (req) => deps.vex.importVex(bodyText(req.body), req.query.fileName ?? 'upload', req.actor),
    );

    scope.post(
      '/api/v1/scan',
      {
        bodyLimit: DOCUMENT_BODY_LIMIT,
        config: { permission: 'vulns:read' },
        schema: {
          tags,
          summary: 'Scan an SBOM against the local advisory store without storing anything',
          querystring: ScanQuery,
          response: { 200: Type.Object({ sbom: Type.Unknown(), findings: Type.Array(Type.Unknown()), advisoriesConsidered: Count, failed: Type.Boolean() }, { additionalProperties: false }) },
        },
      },
      async (req) => {
        const result = await scanSbom(bodyText(req.body), deps.repo, req.query.fileName ?? 'upload');
        const failOn = req.query.failOn;
        const failed = failOn !== undefined && result.findings.some((f) => SCAN_SEVERITIES.indexOf(f.severity) <= SCAN_SEVERITIES.indexOf(failOn));
        return { ...result, failed };
      },
    );
  });
}
