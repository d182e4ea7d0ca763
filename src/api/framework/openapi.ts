/**
 * @module The OpenAPI 3.1 document, generated from the route schemas and served at
 * GET /api/v1/openapi.json. Each operation states its security (none for public routes) and the
 * permission it needs (`x-required-permission`), so clients and reviewers read the same matrix
 * the server enforces. Served to authenticated callers with `system:read`, not publicly: the
 * document maps the whole attack surface, and everyone who builds against the API has an account.
 */
import swagger, { type SwaggerOptions } from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import { ruleOf } from './route-rules.js';

export const OPENAPI_PATH = '/api/v1/openapi.json';

type OpenApiDocument = Extract<NonNullable<Extract<SwaggerOptions, { mode?: 'dynamic' }>['openapi']>, { openapi?: '3.1.0' | string }>;

const PROBLEM_RESPONSE = {
  description: 'Error as RFC 9457 problem details',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
};

export async function installOpenApi(app: FastifyInstance, version: string): Promise<void> {
  const openapi: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: 'CareGuard API',
      version,
      description: 'Medical device security platform. Errors are RFC 9457 problem+json with a stable `code`.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    components: {
      schemas: {
        // RFC 9457 problem details as this API sends them (see framework/problem.ts)
        Problem: {
        type: 'object',
        required: ['type', 'title', 'status', 'detail', 'code', 'instance', 'requestId'],
        properties: {
          type: { type: 'string', description: 'urn:careguard:problem:<code>' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          code: { type: 'string', description: 'stable machine-readable error code, e.g. auth.forbidden, request.invalid' },
          instance: { type: 'string' },
          requestId: { type: 'string' },
          errors: {
            type: 'array',
            items: {
              type: 'object',
              required: ['in', 'pointer', 'detail'],
              properties: { in: { type: 'string' }, pointer: { type: 'string', description: 'RFC 6901 JSON pointer' }, detail: { type: 'string' } },
            },
          },
          location: { type: 'object', description: 'file, line, column, byteOffset and/or pointer of the offending input' },
          details: { type: 'object' },
        },
      },
      },
      securitySchemes: {
        bearerToken: { type: 'http', scheme: 'bearer', description: 'API token `cg_<id>_<secret>`' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'cg_session', description: 'Browser session; state-changing requests also need the x-csrf-token header' },
      },
    },
    security: [{ bearerToken: [] }, { sessionCookie: [] }],
  };
  await app.register(swagger, {
    openapi,
    transform: ({ schema, url, route }) => {
      const rule = ruleOf(route.config);
      const extra: Record<string, unknown> =
        rule.kind === 'public'
          ? { security: [] }
          : rule.kind === 'permission'
            ? { 'x-required-permission': rule.permission }
            : { 'x-required-permission': 'authenticated' };
      const responses = { ...((schema?.response as Record<string, unknown> | undefined) ?? {}), default: PROBLEM_RESPONSE };
      return { schema: { ...(schema ?? {}), ...extra, response: responses }, url };
    },
  });
}

export function registerOpenApiRoute(app: FastifyInstance): void {
  app.get(OPENAPI_PATH, { config: { permission: 'system:read' }, schema: { hide: true } }, async () => app.swagger());
}
