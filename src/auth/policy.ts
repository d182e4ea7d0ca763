/** @module Default authentication policy (lockout, rate limits, session lifetimes, token and password limits). */
import type { AuthPolicy } from './model.js';

export const DEFAULT_AUTH_POLICY: AuthPolicy = {
  lockoutThreshold: 5,
  lockoutMinutes: 15,
  ipFailureLimit: 30,
  ipWindowMinutes: 15,
  sessionIdleMinutes: 30,
  sessionAbsoluteHours: 12,
  tokenMaxDays: 365,
  passwordMinLength: 12,
  // scrypt cost does not grow with length, but parsing megabyte "passwords" is pointless work
  passwordMaxLength: 256,
};

export function resolvePolicy(overrides: Partial<AuthPolicy> = {}): AuthPolicy {
  return { ...DEFAULT_AUTH_POLICY, ...overrides };
}
