/**
 * @module The log's Merkle tree as stored: subtree hashes answered from persisted roots of
 * completed perfect subtrees (levels >= NODE_MIN_LEVEL) plus stored leaf hashes below that, so a
 * tree head or proof at a million entries reads a few dozen rows instead of rehashing the log.
 * Persisted nodes are a cache the verifier does not trust: clients check proofs against signed
 * heads, and `verify` recomputes everything from entry content.
 */
import { DomainError } from '../core/index.js';
import { foldSubtrees, nodeHash, perfectSubtrees, rootOfLeafHashes, type LeafRange } from './merkle.js';
import type { AuditStore, SubtreeNode } from './ports.js';

/** Subtrees of 2^8 = 256 leaves and up are persisted: one node row per 128 entries on average. */
export const NODE_MIN_LEVEL = 8;
const BLOCK = 2 ** NODE_MIN_LEVEL;

const corrupt = (message: string) =>
  new DomainError('audit.log_corrupt', `${message}; run "careguard audit verify" for a full report`, { status: 500 });

/**
 * What one transaction already knows of the tree: the leaf hashes it appended (consecutive from
 * `first`) and subtree roots it read or computed. Both are immutable once their leaves exist, and
 * the transaction holds the append lock, so appends later in the same transaction reuse them
 * instead of reading them back (a busy server appends many entries per transaction).
 */
export class TreeMemo {
  first = -1;
  readonly leaves: Buffer[] = [];
  readonly nodes = new Map<string, Buffer>();

  /** Records the leaf hashes of entries seq..seq+n-1, appended right after the ones known. */
  addLeaves(seq: number, hashes: readonly Buffer[]): void {
    if (this.first < 0 || seq !== this.first + this.leaves.length) {
      this.first = seq;
      this.leaves.length = 0;
    }
    for (const h of hashes) this.leaves.push(h);
    // Blocks before the previous one are complete and persisted as level-8 nodes: forget them.
    const end = this.first + this.leaves.length;
    const keepFrom = Math.max(this.first, (Math.floor(end / BLOCK) - 1) * BLOCK);
    if (keepFrom - this.first >= 4 * BLOCK) {
      this.leaves.splice(0, keepFrom - this.first);
      this.first = keepFrom;
    }
  }

  /** Leaf hashes [start, end) when all are known, else undefined. */
  leafRange(start: number, end: number): Buffer[] | undefined {
    if (this.first < 0 || start < this.first || end > this.first + this.leaves.length) return undefined;
    return this.leaves.slice(start - this.first, end - this.first);
  }
}

/** One tree of a fixed size over a store; caches what it reads for the duration of one operation. */
export class StoredTree {
  private readonly blocks = new Map<number, Buffer[]>();
  private readonly nodes: Map<string, Buffer>;
  private readonly created: SubtreeNode[] = [];

  constructor(
    private readonly store: AuditStore,
    readonly size: number,
    private readonly memo?: TreeMemo,
  ) {
    this.nodes = memo?.nodes ?? new Map<string, Buffer>();
  }

  /** MTH of leaves [start, end). */
  async rangeHash(start: number, end: number): Promise<Buffer> {
    if (end > this.size || start < 0 || start > end) throw new RangeError(`range [${start}, ${end}) is outside a tree of size ${this.size}`);
    const pieces: Buffer[] = [];
    for (const p of perfectSubtrees(start, end)) pieces.push(await this.pieceHash(p));
    return foldSubtrees(pieces);
  }

  root(): Promise<Buffer> {
    return this.rangeHash(0, this.size);
  }

  /** Stored leaf hash of one entry. */
  async leaf(index: number): Promise<Buffer> {
    const block = await this.block(Math.floor(index / BLOCK));
    return block[index % BLOCK]!;
  }

  /**
   * Computes and queues the roots of the perfect subtrees that leaves [from, to) completed, then
   * writes them. Called inside the append transaction, after the new entries are inserted.
   */
  async persistCompletedSubtrees(from: number, to: number): Promise<void> {
    for (let i = from; i < to; i++) {
      let width = BLOCK;
      let level = NODE_MIN_LEVEL;
      while ((i + 1) % width === 0) {
        const index = (i + 1) / width - 1;
        const hash = await this.computeSubtree(level, index);
        this.created.push({ level, index, hash: hash.toString('hex') });
        width *= 2;
        level++;
      }
    }
    await this.store.insertNodes(this.created.splice(0));
  }

  private pieceHash(p: LeafRange): Promise<Buffer> {
    const width = p.end - p.start;
    const level = Math.round(Math.log2(width));
    return this.subtree(level, p.start / width);
  }

  private async subtree(level: number, index: number): Promise<Buffer> {
    if (level < NODE_MIN_LEVEL) return this.fromLeaves(level, index);
    const key = `${level}:${index}`;
    const known = this.nodes.get(key);
    if (known) return known;
    const stored = await this.store.getNode(level, index);
    if (stored !== undefined) {
      const hash = Buffer.from(stored, 'hex');
      this.nodes.set(key, hash);
      return hash;
    }
    // A node that was never persisted (or lost): rebuild it from below.
    return this.computeSubtree(level, index);
  }

  private async computeSubtree(level: number, index: number): Promise<Buffer> {
    const hash =
      level === NODE_MIN_LEVEL ? await this.fromLeaves(level, index) : nodeHash(await this.subtree(level - 1, 2 * index), await this.subtree(level - 1, 2 * index + 1));
    this.nodes.set(`${level}:${index}`, hash);
    return hash;
  }

  private async fromLeaves(level: number, index: number): Promise<Buffer> {
    const width = 2 ** level;
    const start = index * width;
    if (start + width > this.size) throw new RangeError(`subtree ${level}/${index} is outside a tree of size ${this.size}`);
    const block = await this.block(Math.floor(start / BLOCK));
    const offset = start % BLOCK;
    return width === 1 ? block[offset]! : rootOfLeafHashes(block, offset, offset + width);
  }

  private async block(b: number): Promise<Buffer[]> {
    const cached = this.blocks.get(b);
    if (cached) return cached;
    const start = b * BLOCK;
    const end = Math.min(start + BLOCK, this.size);
    const known = this.memo?.leafRange(start, end);
    if (known) {
      this.blocks.set(b, known);
      return known;
    }
    const rows = await this.store.leafHashes(start, end);
    const hashes: Buffer[] = new Array<Buffer>(end - start);
    let expected = start;
    for (const r of rows) {
      if (r.seq !== expected) throw corrupt(`audit entry ${expected} is missing`);
      hashes[expected - start] = Buffer.from(r.leafHash, 'hex');
      expected++;
    }
    if (expected !== end) throw corrupt(`audit entry ${expected} is missing`);
    this.blocks.set(b, hashes);
    return hashes;
  }
}
