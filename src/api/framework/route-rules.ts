/**
 * @module Deny by default. Every route under /api declares who may call it: `public: true`
 * (only /healthz-style probes and login), `authenticated: true` (any signed-in identity, for
 * "about me" endpoints), or exactly one `permission`. buildApp refuses to start when an /api
 * route declares none, and at run time a route without a rule answers 403.
 */
import type { RouteOptions } from 'fastify';
import type { Permission, Principal } from '../../auth/index.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** any authenticated identity may call this route (no specific permission) */
    authenticated?: boolean;
    /**
     * only a signed-in person (session cookie) may call this route, never an API token: token
     * management and password changes must not be reachable with a leaked token
     */
    sessionOnly?: boolean;
  }
  interface FastifyRequest {
    /** the authenticated identity; null on public routes */
    principal: Principal | null;
  }
}

export type RouteRule = { kind: 'public' } | { kind: 'authenticated' } | { kind: 'permission'; permission: Permission } | { kind: 'none' };

export function ruleOf(config: { public?: boolean; authenticated?: boolean; permission?: Permission } | undefined): RouteRule {
  if (config?.public === true) return { kind: 'public' };
  if (config?.permission !== undefined) return { kind: 'permission', permission: config.permission };
  if (config?.authenticated === true) return { kind: 'authenticated' };
  return { kind: 'none' };
}

export interface RegisteredRoute {
  method: string;
  url: string;
  rule: RouteRule;
  /** API tokens are refused here even when they hold the permission */
  sessionOnly: boolean;
}

/** Throws when an /api route has no rule, or has more than one kind of rule. */
export function checkRouteRule(route: Pick<RouteOptions, 'method' | 'url' | 'config'>): RegisteredRoute[] {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const config = route.config as { public?: boolean; authenticated?: boolean; permission?: Permission; sessionOnly?: boolean } | undefined;
  const rule = ruleOf(config);
  const declared = [config?.public === true, config?.authenticated === true, config?.permission !== undefined].filter(Boolean).length;
  const where = `${methods.join(',')} ${route.url}`;
  if (route.url.startsWith('/api/') && rule.kind === 'none') {
    throw new Error(`route ${where} has no authorization rule: set config.permission, config.authenticated or config.public`);
  }
  if (declared > 1) throw new Error(`route ${where} declares more than one of config.public, config.authenticated and config.permission`);
  const sessionOnly = config?.sessionOnly === true;
  return methods.map((method) => ({ method, url: route.url, rule, sessionOnly }));
}
