/**
 * @module Bearer secrets: session ids, CSRF tokens and API tokens. Each is 256 random bits;
 * only a sha256 of it is stored, so a copy of the database does not let anyone sign in. Session
 * and token secrets are high-entropy, so a fast hash is enough (no salt, no stretching needed).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { newId } from '../core/index.js';

export const sha256Hex = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

export const newSessionId = (): string => randomBytes(32).toString('base64url');

/**
 * The CSRF token is derived from the raw session id (domain-separated hash), so it needs no
 * storage, is different for every session, and reveals nothing about the session id itself.
 */
export const csrfTokenFor = (sessionId: string): string =>
  createHash('sha256').update('careguard-csrf\0', 'utf8').update(sessionId, 'utf8').digest('base64url');

export function constantTimeEqual(a: string, b: string): boolean {
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  if (ba.length !== bb.length) return false;
  return timingSafeEqual(ba, bb);
}

const TOKEN_PATTERN = /^cg_([0-9A-HJKMNP-TV-Z]{26})_([A-Za-z0-9_-]{43})$/;

export interface TokenParts {
  id: string;
  secret: string;
}

export function newTokenParts(): TokenParts & { token: string } {
  const id = newId();
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, token: `cg_${id}_${secret}` };
}

/** null when the string is not shaped like one of our tokens (no database lookup needed then) */
export function parseToken(token: string): TokenParts | null {
  const m = TOKEN_PATTERN.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : null;
}
