/**
 * @module Names for the numeric codes in association results, rejections, aborts and user identity types
 * (PS3.8 9.3.3.2, 9.3.4, 9.3.8, D.3.3.7).
 */

export const CONTEXT_RESULTS = ['acceptance', 'user-rejection', 'no-reason (provider rejection)', 'abstract-syntax-not-supported', 'transfer-syntaxes-not-supported'] as const;

export const contextResultName = (r: number): string => CONTEXT_RESULTS[r] ?? `unknown-${r}`;

export function rejectResultName(result: number): string {
  return result === 1 ? 'rejected-permanent' : result === 2 ? 'rejected-transient' : `unknown-${result}`;
}

export function rejectSourceName(source: number): string {
  return ['unknown-0', 'service-user', 'service-provider (ACSE)', 'service-provider (presentation)'][source] ?? `unknown-${source}`;
}

export function rejectReasonName(source: number, reason: number): string {
  const user: Record<number, string> = { 1: 'no-reason-given', 2: 'application-context-name-not-supported', 3: 'calling-AE-title-not-recognized', 7: 'called-AE-title-not-recognized' };
  const acse: Record<number, string> = { 1: 'no-reason-given', 2: 'protocol-version-not-supported' };
  const pres: Record<number, string> = { 1: 'temporary-congestion', 2: 'local-limit-exceeded' };
  const table = source === 1 ? user : source === 2 ? acse : source === 3 ? pres : {};
  return table[reason] ?? `reserved-${reason}`;
}

export function abortSourceName(source: number): string {
  return source === 0 ? 'service-user' : source === 2 ? 'service-provider' : `reserved-${source}`;
}

export function abortReasonName(reason: number): string {
  return (
    ['reason-not-specified', 'unrecognized-PDU', 'unexpected-PDU', 'reserved-3', 'unrecognized-PDU-parameter', 'unexpected-PDU-parameter', 'invalid-PDU-parameter-value'][reason] ??
    `reserved-${reason}`
  );
}

export function userIdentityTypeName(type: number): string {
  return ['unknown-0', 'username', 'username-and-passcode', 'kerberos', 'saml', 'jwt'][type] ?? `unknown-${type}`;
}
