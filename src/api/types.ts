/**
 * @module Types every route module shares: the Fastify instance with the TypeBox provider, the
 * authenticated actor on each request, and the per-route authorization rule in `config`.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { Actor } from '../core/index.js';
import type { Permission } from '../auth/permissions.js';

export type ApiApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, TypeBoxTypeProvider>;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the one permission this route requires; routes without it (and without `public`) are refused */
    permission?: Permission;
    /** reachable without authentication (only /healthz and login) */
    public?: boolean;
  }
  interface FastifyRequest {
    /** set by the authentication hook before any handler runs */
    actor: Actor;
    /** the permissions the actor holds (role permissions, or a token's scopes) */
    permissions: ReadonlySet<Permission>;
  }
}
