/** @module Public surface of the audit capability: the recorder, the service, proofs and verification. */
export * from './model.js';
export type { AuditRepository, AuditStore, AuditEntryFilter, PackedEntries, SubtreeNode } from './ports.js';
export { AuditService, DEFAULT_TREE_HEAD_INTERVAL, type AuditServiceOptions } from './service.js';
export type { VerifyOptions } from './verify.js';
export {
  loadOrCreateSigningKey,
  generateSigningKey,
  signingKeyFromPem,
  treeHeadMessage,
  checkTreeHeadSignature,
  trustedKeyMap,
  SIGNING_KEY_FILE,
  SIGNING_KEY_ENV,
  type AuditSigningKey,
  type PublicKeyInfo,
  type KeyLocation,
} from './signing.js';
export { verifyInclusion, verifyConsistency, leafHash, rootOfLeafHashes } from './merkle.js';
export { leafObject, canonicalText } from './encoding.js';
