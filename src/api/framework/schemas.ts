/** @module TypeBox schemas the auth, user and token routes share (request and response shapes). */
import { Type } from 'typebox';
import { PERMISSIONS, ROLES, type User } from '../../auth/index.js';

export const RoleSchema = Type.Enum([...ROLES], { description: 'one of the roles in docs/security.md' });
export const PermissionSchema = Type.Enum([...PERMISSIONS]);
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const UserSchema = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    displayName: Type.String(),
    role: Type.String(),
    disabled: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
    passwordChangedAt: Type.String({ format: 'date-time' }),
    lastLoginAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export const TokenSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    kind: Type.Enum(['user', 'machine']),
    userId: Nullable(Type.String()),
    username: Nullable(Type.String()),
    scopes: Type.Array(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
    createdBy: Type.String(),
    expiresAt: Type.String({ format: 'date-time' }),
    lastUsedAt: Nullable(Type.String({ format: 'date-time' })),
    revokedAt: Nullable(Type.String({ format: 'date-time' })),
    status: Type.Enum(['active', 'expired', 'revoked']),
  },
  { additionalProperties: false },
);

export const CreateTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    scopes: Type.Array(PermissionSchema, { minItems: 1, maxItems: PERMISSIONS.length, uniqueItems: true }),
    expiresInDays: Type.Integer({ minimum: 1, maximum: 365 }),
  },
  { additionalProperties: false },
);

export const CreatedTokenSchema = Type.Object(
  {
    token: TokenSchema,
    secret: Type.String({ description: 'the token to present as `Authorization: Bearer <secret>`; shown only in this response' }),
  },
  { additionalProperties: false },
);

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_]+$' }) }, { additionalProperties: false });

export const toUserView = (u: User): User => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  disabled: u.disabled,
  createdAt: u.createdAt,
  updatedAt: u.updatedAt,
  passwordChangedAt: u.passwordChangedAt,
  lastLoginAt: u.lastLoginAt,
});
