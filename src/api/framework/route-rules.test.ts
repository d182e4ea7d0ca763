/** @module Tests of the per-route authorization rule check that runs when a route is registered. */
import { describe, expect, it } from 'vitest';
import { checkRouteRule } from './route-rules.js';

describe('checkRouteRule', () => {
  it('accepts one rule and expands every method of the route', () => {
    expect(checkRouteRule({ method: ['GET', 'HEAD'], url: '/api/v1/x', config: { permission: 'devices:read', sessionOnly: true } })).toEqual([
      { method: 'GET', url: '/api/v1/x', rule: { kind: 'permission', permission: 'devices:read' }, sessionOnly: true },
      { method: 'HEAD', url: '/api/v1/x', rule: { kind: 'permission', permission: 'devices:read' }, sessionOnly: true },
    ]);
  });

  it('refuses an /api route without a rule', () => {
    expect(() => checkRouteRule({ method: 'POST', url: '/api/v1/x', config: {} })).toThrow('route POST /api/v1/x has no authorization rule');
    expect(() => checkRouteRule({ method: 'POST', url: '/api/v1/x', config: undefined as never })).toThrow(/no authorization rule/);
  });

  it('refuses a route that is both public and protected', () => {
    expect(() => checkRouteRule({ method: 'GET', url: '/api/v1/x', config: { public: true, permission: 'users:write' } })).toThrow(/more than one/);
    expect(() => checkRouteRule({ method: 'GET', url: '/api/v1/x', config: { authenticated: true, permission: 'users:write' } })).toThrow(/more than one/);
  });

  it('lets non-API routes through to the run-time check (which refuses them unless public)', () => {
    expect(checkRouteRule({ method: 'GET', url: '/metrics', config: {} })).toEqual([{ method: 'GET', url: '/metrics', rule: { kind: 'none' }, sessionOnly: false }]);
  });
});
