/**
 * @module The shared flow for feeds that are one HTTP resource (a KEV catalog, an EPSS file, an
 * OSV all.zip, a CSAF or CVE JSON 5 document): conditional GET into a file, skip when the body is
 * byte-identical to the last processed one, verify sidecars, stream the documents into the sink,
 * and only then persist the new validators. A resource whose only document failed to parse is not
 * committed, so the next sync tries it again instead of getting a 304.
 */
import { rm } from 'node:fs/promises';
import type { AdvisorySourcePlugin } from '../../sources/index.js';
import type { VerifyIntegrity } from '../config.js';
import type { FeedContext } from '../contract.js';
import { readAdvisoryFile, readAdvisoryPath } from '../local.js';
import { verifyAgainstSidecars } from './integrity-check.js';

export interface ResourceSync {
  url: string;
  plugins: readonly AdvisorySourcePlugin[];
  verify: VerifyIntegrity;
  maxBytes: number;
}

export async function syncUrlResource(ctx: FeedContext, r: ResourceSync): Promise<void> {
  const prior = await ctx.state.getFeedState(r.url);
  const res = await ctx.http.fetchFile({ url: r.url, validators: prior, maxBytes: r.maxBytes, headers: ctx.source.options?.headers });
  if (res.notModified) {
    ctx.logger.info({ source: ctx.source.name, url: r.url }, 'feed not modified');
    // fetchedAt records the last successful check, so operators can see a quiet feed is alive.
    if (prior) await ctx.commit({ ...prior, fetchedAt: ctx.now() });
    return;
  }
  try {
    const validators = { etag: res.etag, lastModified: res.lastModified };
    if (prior?.sha256 === res.sha256) {
      // A server without validators (or one that changed only its ETag) sent the same bytes again.
      ctx.http.stats.notModified++;
      await ctx.commit({ ...prior, ...validators, url: r.url, sha256: res.sha256 });
      return;
    }
    await verifyAgainstSidecars(ctx, r.url, { path: res.path }, r.verify);
    const before = { documents: ctx.counters.documents, errors: ctx.errors.length };
    for await (const item of readAdvisoryFile(res.path, { location: r.url, plugins: r.plugins, verifySidecars: false, chunkSize: ctx.batchSize, signal: ctx.signal })) {
      await ctx.accept(item, r.url);
    }
    const parsedNothing = ctx.counters.documents === before.documents && ctx.errors.length > before.errors;
    if (parsedNothing) {
      await ctx.flush();
      return;
    }
    await ctx.commit({ url: r.url, ...validators, sha256: res.sha256, cursor: prior?.cursor });
  } finally {
    await rm(res.path, { force: true });
  }
}

/** Local file, directory or zip for a source configured with `path`. */
export async function syncLocalPath(ctx: FeedContext, path: string, plugins: readonly AdvisorySourcePlugin[] | undefined): Promise<void> {
  for await (const item of readAdvisoryPath(path, { plugins, chunkSize: ctx.batchSize, signal: ctx.signal })) {
    ctx.checkAborted();
    await ctx.accept(item, path);
  }
  await ctx.flush();
}
