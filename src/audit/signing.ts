/**
 * @module The log's Ed25519 signing key and the signed tree head (STH) format. The key lives in
 * `<dataDir>/audit-signing-key.pem` (PKCS#8, created 0600 on first start) unless a path is
 * supplied; a key file others can read is refused, since whoever holds it can forge history.
 * The signed bytes are a fixed text layout so any language can check a head with a stock
 * Ed25519 implementation (docs/audit.md).
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainError } from '../core/index.js';
import type { SignedTreeHead } from './model.js';

export const SIGNING_KEY_FILE = 'audit-signing-key.pem';
/** Environment variable naming a key file to use instead of the one in the data directory. */
export const SIGNING_KEY_ENV = 'CAREGUARD_AUDIT_SIGNING_KEY';
export const TREE_HEAD_CONTEXT = 'CareGuard audit tree head v1';

export interface PublicKeyInfo {
  keyId: string;
  algorithm: 'Ed25519';
  /** SubjectPublicKeyInfo, PEM */
  publicKeyPem: string;
}

export interface AuditSigningKey extends PublicKeyInfo {
  sign(message: Buffer): Buffer;
  /** where the key was read from (never its content), for logs */
  source: string;
}

/** keyId: hex SHA-256 of the public key's SubjectPublicKeyInfo DER. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

export function publicKeyInfo(publicKey: KeyObject): PublicKeyInfo {
  return { keyId: keyIdOf(publicKey), algorithm: 'Ed25519', publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export function signingKeyFromPem(pem: string, source = 'memory'): AuditSigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (e) {
    throw new DomainError('audit.signing_key_invalid', `audit signing key from ${source} is not a readable PEM private key`, { status: 500, cause: e });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new DomainError('audit.signing_key_invalid', `audit signing key from ${source} is ${privateKey.asymmetricKeyType ?? 'unknown'}, not Ed25519`, { status: 500 });
  }
  const info = publicKeyInfo(createPublicKey(privateKey));
  return { ...info, source, sign: (message) => sign(null, message, privateKey) };
}

/** A fresh in-memory key (tests, benchmarks). */
export function generateSigningKey(): AuditSigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  return signingKeyFromPem(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'generated');
}

export interface KeyLocation {
  /** data directory holding audit-signing-key.pem (created there when missing) */
  dataDir?: string;
  /** an explicit key file (config); must exist */
  keyPath?: string;
  env?: Record<string, string | undefined>;
}

/** Loads the configured key, or creates `<dataDir>/audit-signing-key.pem` (0600) on first start. */
export function loadOrCreateSigningKey(location: KeyLocation): AuditSigningKey {
  const supplied = location.keyPath ?? (location.env ?? process.env)[SIGNING_KEY_ENV];
  if (supplied) {
    if (!existsSync(supplied)) {
      throw new DomainError('audit.signing_key_missing', `audit signing key file ${supplied} does not exist`, { status: 500 });
    }
    return readKeyFile(supplied);
  }
  if (!location.dataDir) throw new DomainError('audit.signing_key_missing', 'no audit signing key: give a data directory or a key path', { status: 500 });
  const path = join(location.dataDir, SIGNING_KEY_FILE);
  if (!existsSync(path)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    try {
      // 'wx': when two processes start at once, exactly one creates the key and the other reads it.
      writeFileSync(path, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
      chmodSync(path, 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  return readKeyFile(path);
}

function readKeyFile(path: string): AuditSigningKey {
  if (process.platform !== 'win32') {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new DomainError('audit.signing_key_permissions', `audit signing key ${path} is readable by others (mode ${mode.toString(8)}); run chmod 600 ${path}`, { status: 500 });
    }
  }
  return signingKeyFromPem(readFileSync(path, 'utf8'), path);
}

/** The exact bytes an STH signature covers. */
export function treeHeadMessage(head: Omit<SignedTreeHead, 'signature'>): Buffer {
  return Buffer.from(`${TREE_HEAD_CONTEXT}\n${head.treeSize}\n${head.rootHash}\n${head.timestamp}\n${head.keyId}\n`, 'utf8');
}

export function signTreeHead(key: AuditSigningKey, head: { treeSize: number; rootHash: string; timestamp: string }): SignedTreeHead {
  const unsigned = { treeSize: head.treeSize, rootHash: head.rootHash, timestamp: head.timestamp, keyId: key.keyId };
  return { ...unsigned, signature: key.sign(treeHeadMessage(unsigned)).toString('base64') };
}

export type TreeHeadCheck = 'ok' | 'unknown_key' | 'bad_signature';

/** Checks an STH against the keys the verifier trusts (by keyId). */
export function checkTreeHeadSignature(head: SignedTreeHead, trusted: ReadonlyMap<string, KeyObject>): TreeHeadCheck {
  const key = trusted.get(head.keyId);
  if (!key) return 'unknown_key';
  const sig = Buffer.from(head.signature, 'base64');
  if (sig.length !== 64 || !/^[0-9a-f]{64}$/.test(head.rootHash)) return 'bad_signature';
  return verify(null, treeHeadMessage(head), key, sig) ? 'ok' : 'bad_signature';
}

/** keyId -> public key for the given PEM public keys (rotated-out keys the log still trusts). */
export function trustedKeyMap(pems: readonly string[]): Map<string, KeyObject> {
  const map = new Map<string, KeyObject>();
  for (const pem of pems) {
    const key = createPublicKey(pem);
    map.set(keyIdOf(key), key);
  }
  return map;
}
