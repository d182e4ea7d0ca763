/**
 * @module Registry of feed adapters, one per configured source kind. syncFeeds picks the first
 * adapter that accepts a source; the report records its 'id@version'.
 */
import type { FeedSourceConfig } from './config.js';
import type { FeedAdapter } from './contract.js';
import { csafProviderFeed } from './adapters/csaf-provider.js';
import { csafDocumentFeed, cve5Feed, epssFeed, kevFeed, osvFeed, pathFeed } from './adapters/documents.js';
import { nvdFeed } from './adapters/nvd.js';

export { csafProviderFeed } from './adapters/csaf-provider.js';
export { csafDocumentFeed, cve5Feed, epssFeed, kevFeed, osvFeed, pathFeed } from './adapters/documents.js';
export { nvdFeed } from './adapters/nvd.js';

export const FEED_ADAPTERS: readonly FeedAdapter[] = [osvFeed, csafProviderFeed, csafDocumentFeed, kevFeed, epssFeed, nvdFeed, cve5Feed, pathFeed];

export const adapterFor = (source: FeedSourceConfig, adapters: readonly FeedAdapter[] = FEED_ADAPTERS): FeedAdapter | undefined => adapters.find((a) => a.accepts(source));
