/**
 * @module Feed adapters whose upstream is one resource or a local path: OSV (a record, an
 * ecosystem all.zip or any zip/directory of records), a single CSAF document, the CISA KEV
 * catalog, the EPSS daily CSV (gzipped, streamed), CVE JSON 5 records or bundles, and 'path'
 * (any mix of formats, detected per file). Each restricts parsing to its own plug-ins so a
 * mislabelled file is an error, not a silently different source.
 */
import { csafSource, cve5Source, epssSource, kevCsvSource, kevJsonSource, osvSource, type AdvisorySourcePlugin } from '../../sources/index.js';
import { DEFAULT_URLS, osvEcosystemUrl, type FeedKind, type FeedSourceConfig, type VerifyIntegrity } from '../config.js';
import type { FeedAdapter, FeedContext } from '../contract.js';
import { FeedError } from '../errors.js';
import { syncLocalPath, syncUrlResource } from './resource.js';

const MiB = 1024 * 1024;

interface DocumentFeedSpec {
  id: string;
  kind: FeedKind;
  plugins: readonly AdvisorySourcePlugin[] | undefined;
  defaultUrl?: (s: FeedSourceConfig) => string | undefined;
  maxBytes: number;
  verify: VerifyIntegrity;
}

function documentFeed(spec: DocumentFeedSpec): FeedAdapter {
  return {
    id: spec.id,
    version: '1.0.0',
    kind: spec.kind,
    accepts: (s) => s.kind === spec.kind,
    async sync(source: FeedSourceConfig, ctx: FeedContext) {
      if (source.path !== undefined) return syncLocalPath(ctx, source.path, spec.plugins);
      const url = source.url ?? spec.defaultUrl?.(source);
      if (!url) throw new FeedError('feed.config_invalid', `source "${source.name}" of kind ${spec.kind} has no url or path`);
      await syncUrlResource(ctx, {
        url,
        plugins: spec.plugins ?? [],
        verify: source.options?.verifyIntegrity ?? spec.verify,
        maxBytes: source.options?.maxBytes ?? spec.maxBytes,
      });
    },
  };
}

export const osvFeed = documentFeed({
  id: 'osv-feed',
  kind: 'osv',
  plugins: [osvSource],
  defaultUrl: (s) => (s.options?.ecosystem ? osvEcosystemUrl(s.options.ecosystem) : undefined),
  maxBytes: 4096 * MiB,
  verify: 'off',
});

export const csafDocumentFeed = documentFeed({ id: 'csaf-document-feed', kind: 'csaf', plugins: [csafSource], maxBytes: 32 * MiB, verify: 'if-present' });

export const kevFeed = documentFeed({ id: 'kev-feed', kind: 'kev', plugins: [kevJsonSource, kevCsvSource], defaultUrl: () => DEFAULT_URLS.kev, maxBytes: 64 * MiB, verify: 'off' });

export const epssFeed = documentFeed({ id: 'epss-feed', kind: 'epss', plugins: [epssSource], defaultUrl: () => DEFAULT_URLS.epss, maxBytes: 256 * MiB, verify: 'off' });

export const cve5Feed = documentFeed({ id: 'cve5-feed', kind: 'cve5', plugins: [cve5Source], maxBytes: 4096 * MiB, verify: 'off' });

export const pathFeed = documentFeed({ id: 'path-feed', kind: 'path', plugins: undefined, maxBytes: 0, verify: 'off' });
