/**
 * @module The authentication and authorization hook. It runs at onRequest, before the body is
 * read or validated, so an unauthenticated caller learns nothing about a route's schema. A
 * bearer token (`Authorization: Bearer cg_...`) wins over a session cookie; a cookie-authenticated
 * request that changes state must echo the session's CSRF token in `x-csrf-token`.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorFor, csrfMatches, type AuthService, type Principal } from '../../auth/index.js';
import { DomainError, forbidden, unauthenticated } from '../../core/index.js';
import { ruleOf } from './route-rules.js';

export const SESSION_COOKIE = 'cg_session';
export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

async function identify(req: FastifyRequest, auth: AuthService): Promise<Principal> {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer[ ]+(\S+)$/i.exec(header);
    if (!m) throw new DomainError('auth.invalid_token', 'the Authorization header must be "Bearer <token>"', { status: 401 });
    return auth.authenticateBearer(m[1]!);
  }
  const sessionId = req.cookies[SESSION_COOKIE];
  if (sessionId) {
    const principal = await auth.authenticateSession(sessionId);
    if (principal) return principal;
    throw new DomainError('auth.session_expired', 'the session has ended; sign in again', { status: 401 });
  }
  throw unauthenticated();
}

export function authenticationHook(auth: AuthService) {
  return async function authenticate(req: FastifyRequest, _reply: FastifyReply): Promise<void> {
    req.principal = null;
    req.actor = { kind: 'system', id: 'anonymous', name: 'anonymous', ip: req.ip, requestId: req.id };
    req.permissions = new Set();
    // unknown URLs answer 404 for everyone (the not-found handler has no rule of its own)
    if (req.is404) return;
    const rule = ruleOf(req.routeOptions.config);
    if (rule.kind === 'public') return;

    const principal = await identify(req, auth);
    req.principal = principal;
    req.actor = actorFor(principal, { ip: req.ip, requestId: req.id });
    req.permissions = principal.permissions;

    if (principal.kind === 'session' && !SAFE_METHODS.has(req.method)) {
      if (!csrfMatches(principal, req.headers[CSRF_HEADER])) {
        throw new DomainError('auth.csrf_failed', `a cookie-authenticated ${req.method} needs the session's CSRF token in the ${CSRF_HEADER} header`, { status: 403 });
      }
    }
    if (req.routeOptions.config.sessionOnly === true && principal.kind !== 'session') {
      throw new DomainError('auth.session_required', 'this can only be done from a signed-in session, not with an API token', { status: 403 });
    }
    if (rule.kind === 'authenticated') return;
    if (rule.kind === 'none') throw forbidden('this route has no authorization rule');
    if (!principal.permissions.has(rule.permission)) throw forbidden(`this needs the ${rule.permission} permission`);
  };
}
