/**
 * @module Sign-in endpoints: POST /api/v1/auth/login (public), POST /api/v1/auth/logout,
 * GET /api/v1/auth/me, POST /api/v1/auth/password. Login sets the `cg_session` cookie
 * (HttpOnly, SameSite=Strict, Secure over TLS) and returns the CSRF token the dashboard must
 * echo in `x-csrf-token` on every state-changing request.
 */
import { Type } from 'typebox';
import { principalUser, rolePermissions, type AuthService, type Principal } from '../../auth/index.js';
import { DomainError } from '../../core/index.js';
import { SESSION_COOKIE } from '../framework/authenticate.js';
import type { ApiApp } from '../types.js';

export interface AuthRouteDeps {
  auth: AuthService;
}

const LoginBody = Type.Object(
  {
    // loose on purpose: a name that cannot exist simply fails to sign in, like any wrong name
    username: Type.String({ minLength: 1, maxLength: 256 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

const SessionUser = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    displayName: Type.String(),
    role: Type.String(),
    permissions: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);

const LoginResponse = Type.Object(
  {
    user: SessionUser,
    csrfToken: Type.String({ description: 'send as the x-csrf-token header on every non-GET request made with the session cookie' }),
    expiresAt: Type.String({ format: 'date-time', description: 'absolute end of the session' }),
  },
  { additionalProperties: false },
);

const MeResponse = Type.Object(
  {
    kind: Type.Enum(['session', 'user_token', 'machine_token']),
    user: Type.Union([SessionUser, Type.Null()]),
    token: Type.Union([Type.Object({ id: Type.String(), name: Type.String(), scopes: Type.Array(Type.String()), expiresAt: Type.String() }, { additionalProperties: false }), Type.Null()]),
    permissions: Type.Array(Type.String()),
    csrfToken: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const PasswordBody = Type.Object(
  { currentPassword: Type.String({ minLength: 1, maxLength: 1024 }), newPassword: Type.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);

const sorted = (p: ReadonlySet<string>): string[] => [...p].sort();

function sessionUser(principal: Principal) {
  const user = principalUser(principal);
  return user ? { id: user.id, username: user.username, displayName: user.displayName, role: user.role, permissions: sorted(principal.permissions) } : null;
}

const sessionRequired = () => new DomainError('auth.session_required', 'this can only be done from a signed-in session', { status: 403 });

export function registerAuthRoutes(app: ApiApp, deps: AuthRouteDeps): void {
  app.post(
    '/api/v1/auth/login',
    { config: { public: true }, schema: { tags: ['auth'], summary: 'Sign in with username and password; sets the session cookie', body: LoginBody, response: { 200: LoginResponse } } },
    async (req, reply) => {
      const result = await deps.auth.login({
        username: req.body.username,
        password: req.body.password,
        ip: req.ip,
        ...(req.headers['user-agent'] ? { userAgent: req.headers['user-agent'] } : {}),
        requestId: req.id,
      });
      reply.setCookie(SESSION_COOKIE, result.sessionId, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        secure: req.protocol === 'https',
        expires: new Date(result.expiresAt),
      });
      const u = result.user;
      const permissions = sorted(rolePermissions(u.role));
      return {
        user: { id: u.id, username: u.username, displayName: u.displayName, role: u.role, permissions },
        csrfToken: result.csrfToken,
        expiresAt: result.expiresAt,
      };
    },
  );

  app.post(
    '/api/v1/auth/logout',
    { config: { authenticated: true }, schema: { tags: ['auth'], summary: 'End the current session (a no-op for API tokens)', response: { 204: Type.Null() } } },
    async (req, reply) => {
      const principal = req.principal;
      if (principal?.kind === 'session') await deps.auth.logout(req.actor, principal.sessionIdHash);
      reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: req.protocol === 'https' });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/auth/me',
    { config: { authenticated: true }, schema: { tags: ['auth'], summary: 'Who am I, and what may I do', response: { 200: MeResponse } } },
    async (req) => {
      const principal = req.principal!;
      return {
        kind: principal.kind,
        user: sessionUser(principal),
        token: principal.kind === 'session' ? null : { id: principal.token.id, name: principal.token.name, scopes: principal.token.scopes, expiresAt: principal.token.expiresAt },
        permissions: sorted(principal.permissions),
        ...(principal.kind === 'session' ? { csrfToken: principal.csrfToken } : {}),
      };
    },
  );

  app.post(
    '/api/v1/auth/password',
    {
      config: { authenticated: true, sessionOnly: true },
      schema: { tags: ['auth'], summary: 'Change your own password; your other sessions end', body: PasswordBody, response: { 204: Type.Null() } },
    },
    async (req, reply) => {
      const principal = req.principal;
      if (principal?.kind !== 'session') throw sessionRequired();
      await deps.auth.changePassword(req.actor, principal.user.id, req.body.currentPassword, req.body.newPassword, principal.sessionIdHash);
      return reply.code(204).send(null);
    },
  );
}
