/**
 * @module Integrity checks against `.sha256` / `.sha512` sidecar files (CSAF 2.0 requirement 18,
 * also used by mirrors of other feeds). A sidecar is `sha256sum` output: the hex digest,
 * optionally followed by whitespace and the file name. A mismatch is a hard error: the document
 * is never handed to the sink, because a wrong hash means a tampered or half-updated mirror.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { FeedError } from './errors.js';

export type DigestAlgorithm = 'sha256' | 'sha512';

const HEX_LENGTH: Record<DigestAlgorithm, number> = { sha256: 64, sha512: 128 };
const MAX_SIDECAR_CHARS = 4096;

/** The algorithm a sidecar URL or file name implies, or undefined when it is not a sidecar. */
export function sidecarAlgorithm(name: string): DigestAlgorithm | undefined {
  const m = /\.(sha256|sha512)$/i.exec(name.split(/[?#]/)[0] ?? '');
  return m ? (m[1]!.toLowerCase() as DigestAlgorithm) : undefined;
}

/** The expected digest (lower-case hex) from a sidecar's text. */
export function parseDigestSidecar(text: string, algorithm: DigestAlgorithm, location: string): string {
  if (text.length > MAX_SIDECAR_CHARS) throw new FeedError('feed.invalid', `${algorithm} sidecar is larger than ${MAX_SIDECAR_CHARS} characters`, { location: { file: location } });
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  const index = lines.findIndex((l) => l.trim() !== '');
  if (index < 0) throw new FeedError('feed.invalid', `${algorithm} sidecar is empty`, { location: { file: location } });
  const token = (lines[index] as string).trim().split(/\s+/)[0] as string;
  const expected = HEX_LENGTH[algorithm];
  if (!/^[0-9a-f]+$/i.test(token) || token.length !== expected) {
    throw new FeedError('feed.invalid', `${algorithm} sidecar does not start with a ${expected}-digit hex digest (found "${token.slice(0, 20)}")`, {
      location: { file: location, line: index + 1 },
    });
  }
  return token.toLowerCase();
}

export const digestOfBuffer = (data: Uint8Array | string, algorithm: DigestAlgorithm): string => createHash(algorithm).update(data).digest('hex');

export async function digestOfFile(path: string, algorithm: DigestAlgorithm): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Throws feed.integrity naming both the resource and the sidecar when the digests differ. */
export function assertDigest(actual: string, expected: string, algorithm: DigestAlgorithm, resource: string, sidecar: string): void {
  if (actual.toLowerCase() !== expected.toLowerCase()) {
    throw new FeedError('feed.integrity', `${algorithm} of ${resource} is ${actual} but ${sidecar} says ${expected}; document rejected`, {
      location: { file: resource },
    });
  }
}
