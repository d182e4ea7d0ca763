/**
 * @module Security headers on every response. The dashboard gets a strict same-origin CSP (no
 * inline script or style, no framing); API responses get an even stricter one (they are data,
 * never rendered) and `Cache-Control: no-store`, so nothing sensitive lands in shared caches.
 * HSTS is sent only over TLS (directly or through a trusted proxy).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

const DASHBOARD_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

const COMMON: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
};

export const isDataPath = (url: string): boolean => url.startsWith('/api/') || url === '/api' || url.startsWith('/healthz');

export async function securityHeaders(req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  reply.headers(COMMON);
  reply.header('x-request-id', req.id);
  if (isDataPath(req.url)) {
    reply.header('content-security-policy', API_CSP);
    reply.header('cache-control', 'no-store');
  } else {
    reply.header('content-security-policy', DASHBOARD_CSP);
  }
  if (req.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  return payload;
}
