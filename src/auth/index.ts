/** @module Public surface of auth: users, roles, sessions, API tokens. */
export * from './permissions.js';
export * from './model.js';
export type * from './ports.js';
export { DEFAULT_AUTH_POLICY } from './policy.js';
export { PasswordHasher, DEFAULT_SCRYPT, generatePassword, type ScryptParams } from './passwords.js';
export { parseToken } from './secrets.js';
export { actorFor, csrfMatches, principalUser, rolePermissions } from './principal.js';
export { normalizeUsername } from './validation.js';
export type { AuthDeps } from './deps.js';
export { UserService, type CreateUserInput, type UpdateUserInput } from './user-service.js';
export { AuthService, type LoginInput } from './auth-service.js';
export { TokenService, type CreateTokenInput, type TokenOwner } from './token-service.js';
import type { AuthDeps } from './deps.js';
import { AuthService } from './auth-service.js';
import { TokenService } from './token-service.js';
import { UserService } from './user-service.js';
import { PasswordHasher } from './passwords.js';

export interface AuthServices {
  auth: AuthService;
  users: UserService;
  tokens: TokenService;
}

/** The three auth services over one store, audit recorder, clock and policy. */
export function createAuthServices(deps: AuthDeps): AuthServices {
  const shared: AuthDeps = { ...deps, hasher: deps.hasher ?? new PasswordHasher() };
  return { auth: new AuthService(shared), users: new UserService(shared), tokens: new TokenService(shared) };
}
