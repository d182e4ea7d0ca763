/**
 * @module API token endpoints. People manage their own tokens under /api/v1/tokens
 * (tokens:write); admins list every token (users:read), create machine tokens for integrations
 * and devices, and revoke any token (users:write) under /api/v1/admin/tokens. All of these need a
 * signed-in session: a token can never mint or manage tokens. The secret is returned once.
 */
import { Type } from 'typebox';
import type { TokenService } from '../../auth/index.js';
import { unauthenticated } from '../../core/index.js';
import { CreateTokenBody, CreatedTokenSchema, IdParams, TokenSchema } from '../framework/schemas.js';
import type { ApiApp } from '../types.js';
import type { FastifyRequest } from 'fastify';

export interface TokenRouteDeps {
  tokens: TokenService;
}

const TokenList = Type.Object({ items: Type.Array(TokenSchema) }, { additionalProperties: false });
const tags = ['tokens'];

function sessionUserId(req: FastifyRequest): string {
  if (req.principal?.kind !== 'session') throw unauthenticated('a signed-in session is required');
  return req.principal.user.id;
}

export function registerTokenRoutes(app: ApiApp, deps: TokenRouteDeps): void {
  app.get(
    '/api/v1/tokens',
    { config: { permission: 'tokens:write', sessionOnly: true }, schema: { tags, summary: 'List your API tokens (never their secrets)', response: { 200: TokenList } } },
    async (req) => ({ items: await deps.tokens.list({ kind: 'user', userId: sessionUserId(req) }) }),
  );

  app.post(
    '/api/v1/tokens',
    {
      config: { permission: 'tokens:write', sessionOnly: true },
      schema: { tags, summary: 'Create an API token for yourself, scoped within your own permissions', body: CreateTokenBody, response: { 201: CreatedTokenSchema } },
    },
    async (req, reply) => reply.code(201).send(await deps.tokens.create(req.actor, { kind: 'user', userId: sessionUserId(req) }, req.body)),
  );

  app.delete(
    '/api/v1/tokens/:id',
    { config: { permission: 'tokens:write', sessionOnly: true }, schema: { tags, summary: 'Revoke one of your tokens', params: IdParams, response: { 204: Type.Null() } } },
    async (req, reply) => {
      await deps.tokens.revoke(req.actor, req.params.id, { ownerId: sessionUserId(req) });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/admin/tokens',
    { config: { permission: 'users:read', sessionOnly: true }, schema: { tags, summary: 'List every API token, user and machine', response: { 200: TokenList } } },
    async () => ({ items: await deps.tokens.list() }),
  );

  app.post(
    '/api/v1/admin/tokens',
    {
      config: { permission: 'users:write', sessionOnly: true },
      schema: { tags, summary: 'Create a machine token (integration or device): no user, only scopes', body: CreateTokenBody, response: { 201: CreatedTokenSchema } },
    },
    async (req, reply) => reply.code(201).send(await deps.tokens.create(req.actor, { kind: 'machine' }, req.body)),
  );

  app.delete(
    '/api/v1/admin/tokens/:id',
    { config: { permission: 'users:write', sessionOnly: true }, schema: { tags, summary: 'Revoke any token', params: IdParams, response: { 204: Type.Null() } } },
    async (req, reply) => {
      await deps.tokens.revoke(req.actor, req.params.id);
      return reply.code(204).send(null);
    },
  );
}
