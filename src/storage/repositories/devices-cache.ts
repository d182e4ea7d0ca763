/**
 * @module A small cache of derived search results (exact totals, text matches, facets) valid for
 * one inventory revision. Every committed inventory write bumps the revision row, in whichever
 * process it ran, so a reader that sees a new revision drops everything it cached: totals stay
 * exact while repeated pages of one search cost no count query.
 */
export class RevisionCache {
  private revision = -1;
  private readonly entries = new Map<string, unknown>();

  constructor(private readonly maxEntries = 1000) {}

  /** Adopts the revision just read from the database, forgetting entries of any other. */
  sync(revision: number): void {
    if (revision !== this.revision) {
      this.entries.clear();
      this.revision = revision;
    }
  }

  async getOrCompute<T>(key: string, compute: () => Promise<T>): Promise<T> {
    if (this.entries.has(key)) return this.entries.get(key) as T;
    const revision = this.revision;
    const value = await compute();
    // A write may have committed while computing; the value then belongs to no current revision.
    if (revision === this.revision) {
      if (this.entries.size >= this.maxEntries) {
        const oldest = this.entries.keys().next();
        if (!oldest.done) this.entries.delete(oldest.value);
      }
      this.entries.set(key, value);
    }
    return value;
  }
}
