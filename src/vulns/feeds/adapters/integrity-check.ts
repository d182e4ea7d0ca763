/**
 * @module Checking a downloaded document against its published `.sha512`/`.sha256` sidecars.
 * With explicit hash links (ROLIE `rel: "hash"`) every listed sidecar is checked; otherwise
 * `<url>.sha512` then `<url>.sha256` are tried and the first found is checked. 'required' rejects
 * a document with no sidecar; 'if-present' counts it as unverified; 'off' skips the check.
 */
import type { VerifyIntegrity } from '../config.js';
import type { FeedContext } from '../contract.js';
import { FeedError } from '../errors.js';
import { isNotFound } from '../http.js';
import { assertDigest, digestOfBuffer, digestOfFile, parseDigestSidecar, sidecarAlgorithm, type DigestAlgorithm } from '../integrity.js';

export type DigestSubject = { body: Uint8Array } | { path: string };

const digestOf = (s: DigestSubject, a: DigestAlgorithm) => ('body' in s ? Promise.resolve(digestOfBuffer(s.body, a)) : digestOfFile(s.path, a));

/** Resolves 'verified' or 'unverified'; throws feed.integrity on a mismatch or a missing required sidecar. */
export async function verifyAgainstSidecars(ctx: FeedContext, url: string, subject: DigestSubject, mode: VerifyIntegrity, links?: readonly string[]): Promise<'verified' | 'unverified' | 'off'> {
  if (mode === 'off') return 'off';
  const explicit = links && links.length > 0;
  const candidates = explicit ? [...links] : [`${url}.sha512`, `${url}.sha256`];
  let checked = 0;
  for (const sidecar of candidates) {
    const algorithm = sidecarAlgorithm(sidecar);
    if (!algorithm) continue;
    let text: string;
    try {
      const r = await ctx.http.fetchText({ url: sidecar, maxBytes: 4096 });
      if (r.notModified) continue;
      text = r.text;
    } catch (e) {
      if (isNotFound(e) && !explicit) continue;
      throw e;
    }
    assertDigest(await digestOf(subject, algorithm), parseDigestSidecar(text, algorithm, sidecar), algorithm, url, sidecar);
    checked++;
    if (!explicit) break;
  }
  if (checked > 0) return 'verified';
  if (mode === 'required') throw new FeedError('feed.integrity', `no .sha512/.sha256 sidecar found for ${url} and verifyIntegrity is "required"; document rejected`, { location: { file: url } });
  ctx.counters.unverified++;
  return 'unverified';
}
