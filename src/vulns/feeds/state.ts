/**
 * @module Where feed fetch state lives: the port the feed layer needs (satisfied structurally by
 * the storage layer's VulnStore) and an in-memory implementation for tests and one-shot CLI runs.
 * State is keyed by URL: conditional-request validators (ETag, Last-Modified), the SHA-256 of the
 * last processed body, and an opaque per-source cursor (CSAF changes.csv/ROLIE time, NVD window).
 */
import type { FeedState } from '../ports.js';

export type { FeedState } from '../ports.js';

export interface FeedStateStore {
  getFeedState(url: string): Promise<FeedState | undefined>;
  putFeedState(state: FeedState): Promise<void>;
}

export class InMemoryFeedStateStore implements FeedStateStore {
  private readonly states = new Map<string, FeedState>();

  async getFeedState(url: string): Promise<FeedState | undefined> {
    const s = this.states.get(url);
    return s ? { ...s } : undefined;
  }

  async putFeedState(state: FeedState): Promise<void> {
    this.states.set(state.url, { ...state });
  }

  /** Every stored state, for inspection in tests and `--dry-run` output. */
  all(): FeedState[] {
    return [...this.states.values()].map((s) => ({ ...s }));
  }

  delete(url: string): boolean {
    return this.states.delete(url);
  }
}
