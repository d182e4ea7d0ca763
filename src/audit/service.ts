/**
 * @module The audit log service: appends entries (atomically with the caller's change when given
 * its transaction), signs tree heads, serves entries and RFC 9162 proofs, and verifies the whole
 * log. Every mutating service records through the AuditRecorder interface it implements.
 */
import { DomainError, invalidInput, isoNow, newId, notFound, systemClock, type Clock } from '../core/index.js';
import { entryFromRecord, recordFromEvent } from './encoding.js';
import { consistencyProofRanges, inclusionProofRanges, leafHash } from './merkle.js';
import type {
  AuditEntry,
  AuditEventInput,
  AuditPage,
  AuditQuery,
  AuditRecorder,
  ConsistencyProofResult,
  InclusionProofResult,
  SignedTreeHead,
  StoredTreeHead,
  VerifyReport,
} from './model.js';
import type { AuditRepository, AuditStore } from './ports.js';
import { signTreeHead, trustedKeyMap, type AuditSigningKey, type PublicKeyInfo } from './signing.js';
import { StoredTree, TreeMemo } from './tree.js';
import { verifyAuditLog, type VerifyOptions } from './verify.js';

export interface AuditServiceOptions {
  repo: AuditRepository;
  signingKey: AuditSigningKey;
  clock?: Clock;
  /** sign a tree head whenever the log crosses a multiple of this many entries (default 1024) */
  treeHeadInterval?: number;
  /** PEM public keys of earlier signing keys whose tree heads verification still accepts */
  trustedPublicKeys?: readonly string[];
  /** hash in a worker thread during verification (default 'auto': large logs only) */
  verifyParallel?: boolean | 'auto';
}

export const DEFAULT_TREE_HEAD_INTERVAL = 1024;
const MAX_PAGE = 1000;

function isoInstant(value: string, pointer: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw invalidInput('audit.invalid_time', `"${value}" is not an ISO-8601 date-time`, { location: { pointer } });
  return new Date(ms).toISOString();
}

const stripId = ({ id: _id, ...head }: StoredTreeHead): SignedTreeHead => head;

export class AuditService implements AuditRecorder {
  private readonly repo: AuditRepository;
  private readonly key: AuditSigningKey;
  private readonly clock: Clock;
  private readonly interval: number;
  private readonly trustedPems: readonly string[];
  /** per caller transaction: the next seq and what the tree already knows (see TreeMemo) */
  private readonly txState = new WeakMap<object, { next: number; memo: TreeMemo }>();
  private readonly txTail = new WeakMap<object, Promise<unknown>>();
  private readonly verifyParallel: boolean | 'auto';

  constructor(options: AuditServiceOptions) {
    this.repo = options.repo;
    this.key = options.signingKey;
    this.clock = options.clock ?? systemClock;
    this.interval = options.treeHeadInterval ?? DEFAULT_TREE_HEAD_INTERVAL;
    if (!(this.interval >= 1)) throw new RangeError('treeHeadInterval must be at least 1');
    this.trustedPems = [this.key.publicKeyPem, ...(options.trustedPublicKeys ?? [])];
    this.verifyParallel = options.verifyParallel ?? 'auto';
  }

  record(event: AuditEventInput, executor?: unknown): Promise<void> {
    return this.recordMany([event], executor);
  }

  /** Appends several entries in one go (imports): one lock, one multi-row insert. */
  async recordMany(events: readonly AuditEventInput[], executor?: unknown): Promise<void> {
    if (events.length === 0) return;
    const bound = executor === undefined ? undefined : this.repo.bind(executor);
    if (!bound) {
      await this.repo.transaction((store) => this.append(store, events, undefined, new TreeMemo()));
      return;
    }
    // Within one caller transaction the append lock is already held after the first entry, so
    // the next seq is known; skipping the lookup matters to services that audit row by row.
    // Appends in one transaction are queued: two in flight would read the same next seq.
    const tx = executor as object;
    const run = (this.txTail.get(tx) ?? Promise.resolve()).then(async () => {
      const state = this.txState.get(tx);
      try {
        const memo = state?.memo ?? new TreeMemo();
        this.txState.set(tx, { next: await this.append(bound, events, state?.next, memo), memo });
      } catch (e) {
        this.txState.delete(tx);
        throw e;
      }
    });
    this.txTail.set(tx, run.catch(() => undefined));
    return run;
  }

  /** Returns the seq after the last appended entry. */
  private async append(store: AuditStore, events: readonly AuditEventInput[], knownNext?: number, memo?: TreeMemo): Promise<number> {
    let first = knownNext;
    if (first === undefined) {
      await store.lockForAppend();
      first = (await store.lastSeq()) + 1;
    }
    const time = isoNow(this.clock);
    const leaves: Buffer[] = [];
    const records = events.map((e, i) => {
      const r = recordFromEvent(first + i, time, e);
      const leaf = leafHash(r.entryJson);
      leaves.push(leaf);
      r.leafHash = leaf.toString('hex');
      return r;
    });
    await store.insertEntries(records);
    const end = first + records.length;
    memo?.addLeaves(first, leaves);
    const tree = new StoredTree(store, end, memo);
    await tree.persistCompletedSubtrees(first, end);
    if (Math.floor(end / this.interval) > Math.floor(first / this.interval)) await this.signAndStore(store, end, await tree.root());
    return end;
  }

  private async signAndStore(store: AuditStore, treeSize: number, root: Buffer): Promise<SignedTreeHead> {
    const head = signTreeHead(this.key, { treeSize, rootHash: root.toString('hex'), timestamp: isoNow(this.clock) });
    await store.insertTreeHead({ id: newId('sth'), ...head });
    return head;
  }

  /** Signs and stores a head over every entry committed so far. */
  signTreeHead(): Promise<SignedTreeHead> {
    return this.repo.transaction(async (store) => {
      await store.lockForAppend();
      const size = (await store.lastSeq()) + 1;
      return this.signAndStore(store, size, await new StoredTree(store, size).root());
    });
  }

  /** The newest signed head; one is signed first when the log has none yet. */
  async latestTreeHead(): Promise<SignedTreeHead> {
    const head = await this.repo.latestTreeHead();
    return head ? stripId(head) : this.signTreeHead();
  }

  async treeSize(): Promise<number> {
    return (await this.repo.lastSeq()) + 1;
  }

  publicKey(): PublicKeyInfo {
    return { keyId: this.key.keyId, algorithm: 'Ed25519', publicKeyPem: this.key.publicKeyPem };
  }

  async getEntry(seq: number): Promise<AuditEntry> {
    const record = await this.repo.getEntry(seq);
    if (!record) throw notFound('audit.entry', String(seq));
    return entryFromRecord(record);
  }

  async list(query: AuditQuery = {}): Promise<AuditPage> {
    const limit = Math.min(Math.max(query.limit ?? 50, 1), MAX_PAGE);
    const order = query.order ?? 'desc';
    let afterSeq: number | undefined;
    if (query.cursor !== undefined) {
      if (!/^\d{1,15}$/.test(query.cursor)) throw invalidInput('audit.invalid_cursor', `cursor "${query.cursor}" is not one this API issued`, { location: { pointer: '/cursor' } });
      afterSeq = Number(query.cursor);
    }
    const { limit: _l, cursor: _c, order: _o, ...filter } = query;
    // Stored times are toISOString() text; compare like with like.
    if (filter.from !== undefined) filter.from = isoInstant(filter.from, '/from');
    if (filter.to !== undefined) filter.to = isoInstant(filter.to, '/to');
    const rows = await this.repo.queryEntries({ ...filter, order, limit: limit + 1, ...(afterSeq === undefined ? {} : { afterSeq }) });
    const total = await this.repo.countEntries(filter);
    const items = rows.slice(0, limit).map(entryFromRecord);
    const page: AuditPage = { items, total };
    if (rows.length > limit) page.nextCursor = String(items[items.length - 1]!.seq);
    return page;
  }

  /** PATH(seq, D[treeSize]); treeSize defaults to the newest signed head that covers the entry. */
  async inclusionProof(seq: number, treeSize?: number): Promise<InclusionProofResult> {
    const current = await this.treeSize();
    if (!Number.isSafeInteger(seq) || seq < 0 || seq >= current) throw notFound('audit.entry', String(seq));
    const size = treeSize ?? (await this.coveringHeadSize(seq + 1));
    if (!Number.isSafeInteger(size) || size <= seq || (treeSize !== undefined && size > current)) {
      throw invalidInput('audit.invalid_tree_size', `tree size ${size} must be greater than entry ${seq} and at most ${current}`, { location: { pointer: '/treeSize' } });
    }
    const record = await this.repo.getEntry(seq);
    if (!record) throw notFound('audit.entry', String(seq));
    const leaf = leafHash(record.entryJson);
    const tree = new StoredTree(this.repo, size);
    if (!leaf.equals(await tree.leaf(seq))) throw new DomainError('audit.log_corrupt', `audit entry ${seq} does not match its stored hash; run "careguard audit verify"`, { status: 500 });
    const auditPath: string[] = [];
    for (const r of inclusionProofRanges(seq, size)) auditPath.push((await tree.rangeHash(r.start, r.end)).toString('hex'));
    const rootHash = (await tree.root()).toString('hex');
    const result: InclusionProofResult = { leafIndex: seq, treeSize: size, leafHash: leaf.toString('hex'), rootHash, auditPath };
    const head = await this.headFor(size, rootHash);
    if (head) result.treeHead = head;
    return result;
  }

  /** PROOF(first, D[second]); second defaults to the newest signed head. */
  async consistencyProof(first: number, second?: number): Promise<ConsistencyProofResult> {
    const current = await this.treeSize();
    if (!Number.isSafeInteger(first) || first < 0 || first > current) {
      throw invalidInput('audit.invalid_tree_size', `first tree size ${first} must be between 0 and ${current}`, { location: { pointer: '/first' } });
    }
    const to = second ?? (await this.coveringHeadSize(first));
    if (!Number.isSafeInteger(to) || first > to || (second !== undefined && to > current)) {
      throw invalidInput('audit.invalid_tree_size', `second tree size ${to} must be between ${first} and ${current}`, { location: { pointer: '/second' } });
    }
    const tree = new StoredTree(this.repo, to);
    const consistencyPath: string[] = [];
    for (const r of consistencyProofRanges(first, to)) consistencyPath.push((await tree.rangeHash(r.start, r.end)).toString('hex'));
    const firstRootHash = (await tree.rangeHash(0, first)).toString('hex');
    const secondRootHash = (await tree.root()).toString('hex');
    const result: ConsistencyProofResult = { firstSize: first, secondSize: to, firstRootHash, secondRootHash, consistencyPath };
    const h1 = await this.headFor(first, firstRootHash);
    const h2 = await this.headFor(to, secondRootHash);
    if (h1) result.firstTreeHead = h1;
    if (h2) result.secondTreeHead = h2;
    return result;
  }

  /** Walks and checks the whole log; signs a fresh head over it when clean and asked to. */
  async verify(options: VerifyOptions & { signTreeHead?: boolean } = {}): Promise<VerifyReport> {
    const report = await verifyAuditLog(this.repo, trustedKeyMap(this.trustedPems), { parallel: this.verifyParallel, ...options });
    if (report.ok && report.rootHash && options.signTreeHead) {
      const root = Buffer.from(report.rootHash, 'hex');
      report.signedTreeHead = await this.repo.transaction((store) => this.signAndStore(store, report.entries, root));
    }
    return report;
  }

  private async coveringHeadSize(minSize: number): Promise<number> {
    const latest = await this.repo.latestTreeHead();
    if (latest && latest.treeSize >= minSize) return latest.treeSize;
    return (await this.signTreeHead()).treeSize;
  }

  // A stored head whose root differs from the tree's means the tree was altered after signing.
  private async headFor(size: number, rootHash: string): Promise<SignedTreeHead | undefined> {
    const heads = await this.repo.treeHeadsForSize(size);
    if (heads.length === 0) return undefined;
    const match = heads.find((h) => h.rootHash === rootHash && h.keyId === this.key.keyId) ?? heads.find((h) => h.rootHash === rootHash);
    if (!match) throw new DomainError('audit.log_corrupt', `the tree of size ${size} no longer matches its signed head; run "careguard audit verify"`, { status: 500 });
    return stripId(match);
  }
}
