/**
 * @module Builds the HTTP API: Fastify with TypeBox schemas, strict JSON bodies, deny-by-default
 * authentication and authorization, RFC 9457 errors, security headers, request ids, the OpenAPI
 * document and (optionally) the dashboard. Capability route modules plug in through `routes`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { ServerOptions as HttpsServerOptions } from 'node:https';
import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { AuthServices, Permission } from '../auth/index.js';
import type { Actor, Logger } from '../core/index.js';
import { authenticationHook } from './framework/authenticate.js';
import { installDashboard } from './framework/static.js';
import { installJsonParser } from './framework/json-body.js';
import { installOpenApi, registerOpenApiRoute } from './framework/openapi.js';
import { errorHandler, notFoundHandler } from './framework/problem.js';
import { checkRouteRule, type RegisteredRoute } from './framework/route-rules.js';
import { securityHeaders } from './framework/security-headers.js';
import { createValidatorCompiler } from './framework/validation.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerTokenRoutes } from './routes/tokens.js';
import { registerUserRoutes } from './routes/users.js';
import type { ApiApp } from './types.js';

export interface BuildAppOptions {
  logger: Logger;
  auth: AuthServices;
  /** capability route modules, e.g. `(app) => registerDeviceRoutes(app, { devices })` */
  routes: Array<(app: ApiApp) => void>;
  /** directory of the built dashboard (index.html + assets); omitted: API only */
  webRoot?: string;
  /** bytes; default 1 MiB */
  bodyLimit?: number;
  /** trust X-Forwarded-* (only behind a reverse proxy you control) */
  trustProxy?: boolean | string | string[];
  /** readiness check for /healthz, normally a trivial database query */
  checkDatabase?: () => Promise<void>;
  /** serve HTTPS directly (cert + key, and optionally ca/requestCert for mTLS) */
  https?: HttpsServerOptions;
}

export const DEFAULT_BODY_LIMIT = 1024 * 1024;
export const API_VERSION = '1.0.0';

const routeTables = new WeakMap<object, RegisteredRoute[]>();

/** Every route the app registered, with its authorization rule (for the permission-matrix test). */
export function registeredRoutes(app: ApiApp): readonly RegisteredRoute[] {
  return routeTables.get(app) ?? [];
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,64}$/;

export async function buildApp(opts: BuildAppOptions): Promise<ApiApp> {
  const trustProxy = opts.trustProxy ?? false;
  const common = {
    loggerInstance: opts.logger as FastifyBaseLogger,
    bodyLimit: opts.bodyLimit ?? DEFAULT_BODY_LIMIT,
    trustProxy,
    requestIdHeader: false as const,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    // behind a trusted proxy, keep the id it assigned so logs correlate end to end
    genReqId: (req: { headers: IncomingHttpHeaders }) => {
      const inbound = req.headers['x-request-id'];
      return trustProxy !== false && typeof inbound === 'string' && SAFE_REQUEST_ID.test(inbound) ? inbound : randomUUID();
    },
  };
  // Fastify types an HTTPS instance differently from an HTTP one; the routes see the same API
  const server = (opts.https ? Fastify({ ...common, https: opts.https }) : Fastify(common)) as unknown as FastifyInstance;
  const app: ApiApp = server.withTypeProvider<TypeBoxTypeProvider>();

  const table: RegisteredRoute[] = [];
  routeTables.set(app, table);
  app.addHook('onRoute', (route) => {
    table.push(...checkRouteRule(route));
  });

  app.setValidatorCompiler(createValidatorCompiler());
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  app.addHook('onSend', securityHeaders);
  installJsonParser(app);
  app.decorateRequest('principal', null);
  // placeholders so every request object has the same shape; the auth hook always sets them
  app.decorateRequest('actor', null as unknown as Actor);
  app.decorateRequest('permissions', null as unknown as ReadonlySet<Permission>);

  await app.register(cookie);
  await installOpenApi(app, API_VERSION);
  app.addHook('onRequest', authenticationHook(opts.auth.auth));

  registerHealthRoutes(app, opts.checkDatabase ? { checkDatabase: opts.checkDatabase } : {});
  registerAuthRoutes(app, { auth: opts.auth.auth });
  registerUserRoutes(app, { users: opts.auth.users });
  registerTokenRoutes(app, { tokens: opts.auth.tokens });
  registerOpenApiRoute(app);
  for (const register of opts.routes) register(app);
  if (opts.webRoot) await installDashboard(app, opts.webRoot);

  await app.ready();
  return app;
}
