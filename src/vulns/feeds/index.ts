/**
 * @module Public surface of advisory feed fetching: configuration and its validator, syncFeeds,
 * the HTTP fetcher, local loading, the feed adapter contract and registry, and the state port.
 */
export { DEFAULT_URLS, FEED_KINDS, checkFeedConfig, osvEcosystemUrl, validateFeedConfig } from './config.js';
export type { ConfigIssue, FeedConfig, FeedKind, FeedSourceConfig, FeedSourceOptions, VerifyIntegrity } from './config.js';
export { DEFAULT_BATCH_SIZE, syncFeeds, type HttpTuning, type SyncFeedsDeps } from './sync.js';
export type { FeedSink } from './context.js';
export { createFeedContext, MAX_ERRORS_PER_SOURCE } from './context.js';
export { adapterTag, type FeedAdapter, type FeedContext, type FeedCounters, type FeedProgress } from './contract.js';
export { adapterFor, FEED_ADAPTERS, csafDocumentFeed, csafProviderFeed, cve5Feed, epssFeed, kevFeed, nvdFeed, osvFeed, pathFeed } from './registry.js';
export { overallStatus, toErrorEntry, type FeedErrorEntry, type FeedSourceReport, type FeedSourceStatus, type FeedSyncReport } from './report.js';
export { FeedError, isFeedError, type FeedErrorCode } from './errors.js';
export { InMemoryFeedStateStore, type FeedState, type FeedStateStore } from './state.js';
export { DEFAULT_USER_AGENT, HttpFetcher, isNotFound, responseValidators } from './http.js';
export type { BufferResult, FileResult, HttpFetcherOptions, HttpStats, NotModified, ResourceRequest, ResponseMeta, Validators } from './http.js';
export { parseContentRange, type ContentRange } from './download.js';
export { abortableSleep, backoffDelay, DEFAULT_RETRY_STATUSES, parseRetryAfter, type BackoffPolicy, type SleepFn } from './retry.js';
export { assertDigest, digestOfBuffer, digestOfFile, parseDigestSidecar, sidecarAlgorithm, type DigestAlgorithm } from './integrity.js';
export { asDirectory, parseChangesCsv, parseIndexTxt, parseProviderMetadata, parseRolieFeed } from './csaf-discovery.js';
export type { LineIssue, ListedDocument, ProviderMetadata, RolieEntry } from './csaf-discovery.js';
export { loadAdvisoriesFromPath, type LoadedAdvisories } from './load.js';
export { parseDocument, readAdvisoryFile, readAdvisoryPath, type LocalItem, type ReadOptions } from './local.js';
export { readZipEntries, type ZipItem, type ZipLimits } from './zip.js';
export { epssAdvisory, streamEpss } from './epss-stream.js';
export { nvdPageUrl, nvdTime, nvdWindows, type NvdWindow } from './adapters/nvd.js';
export { syncLocalPath, syncUrlResource, type ResourceSync } from './adapters/resource.js';
export { verifyAgainstSidecars, type DigestSubject } from './adapters/integrity-check.js';
export { decodeChunks, fileText, splitLines } from './lines.js';
