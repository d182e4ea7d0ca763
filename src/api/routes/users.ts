/**
 * @module User administration endpoints: list and read (users:read); create, change role, name or
 * disabled state, unlock, reset password (users:write). Generated passwords appear once, in the
 * response that created them.
 */
import { Type } from 'typebox';
import type { UserService } from '../../auth/index.js';
import { IdParams, RoleSchema, UserSchema, toUserView } from '../framework/schemas.js';
import type { ApiApp } from '../types.js';

export interface UserRouteDeps {
  users: UserService;
}

const CreateUserBody = Type.Object(
  {
    username: Type.String({ minLength: 2, maxLength: 64 }),
    role: RoleSchema,
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024, description: 'omit to have a strong password generated and returned once' })),
  },
  { additionalProperties: false },
);

const UpdateUserBody = Type.Object(
  {
    role: Type.Optional(RoleSchema),
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    disabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

const ResetPasswordBody = Type.Object(
  { password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })) },
  { additionalProperties: false },
);

const UserWithPassword = Type.Object({ user: UserSchema, generatedPassword: Type.Optional(Type.String()) }, { additionalProperties: false });
const UserDetail = Type.Object(
  { user: UserSchema, lockout: Type.Object({ failures: Type.Integer(), lockedUntil: Type.Union([Type.String(), Type.Null()]) }, { additionalProperties: false }) },
  { additionalProperties: false },
);

const tags = ['users'];

export function registerUserRoutes(app: ApiApp, deps: UserRouteDeps): void {
  app.get(
    '/api/v1/users',
    { config: { permission: 'users:read' }, schema: { tags, summary: 'List users', response: { 200: Type.Object({ items: Type.Array(UserSchema) }, { additionalProperties: false }) } } },
    async () => ({ items: (await deps.users.list()).map(toUserView) }),
  );

  app.post(
    '/api/v1/users',
    { config: { permission: 'users:write' }, schema: { tags, summary: 'Create a user', body: CreateUserBody, response: { 201: UserWithPassword } } },
    async (req, reply) => {
      const { user, generatedPassword } = await deps.users.create(req.actor, req.body);
      return reply.code(201).send({ user: toUserView(user), ...(generatedPassword ? { generatedPassword } : {}) });
    },
  );

  app.get(
    '/api/v1/users/:id',
    { config: { permission: 'users:read' }, schema: { tags, summary: 'Read a user and their lockout state', params: IdParams, response: { 200: UserDetail } } },
    async (req) => ({ user: toUserView(await deps.users.get(req.params.id)), lockout: await deps.users.lockoutOf(req.params.id) }),
  );

  app.patch(
    '/api/v1/users/:id',
    {
      config: { permission: 'users:write' },
      schema: { tags, summary: 'Change role, display name or disabled state', params: IdParams, body: UpdateUserBody, response: { 200: Type.Object({ user: UserSchema }, { additionalProperties: false }) } },
    },
    async (req) => ({ user: toUserView(await deps.users.update(req.actor, req.params.id, req.body)) }),
  );

  app.post(
    '/api/v1/users/:id/unlock',
    { config: { permission: 'users:write' }, schema: { tags, summary: 'Lift a sign-in lockout', params: IdParams, response: { 204: Type.Null() } } },
    async (req, reply) => {
      await deps.users.unlock(req.actor, req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/users/:id/password',
    {
      config: { permission: 'users:write' },
      schema: {
        tags,
        summary: "Reset a user's password (generated when omitted) and end their sessions",
        params: IdParams,
        body: ResetPasswordBody,
        response: { 200: Type.Object({ generatedPassword: Type.Optional(Type.String()) }, { additionalProperties: false }) },
      },
    },
    async (req) => deps.users.resetPassword(req.actor, req.params.id, req.body.password),
  );
}
