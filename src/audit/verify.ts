/**
 * @module Full verification of the audit log. Streams every entry in seq order in keyset batches
 * and checks that seq is gapless, that the stored leaf hash matches a hash of the entry's own
 * text (never trusting the stored hash), that the entry sits at the seq it was written with, and
 * that the recomputed root at the size of every signed tree head equals the signed root. Heads are
 * signature-checked first; heads larger than the log reveal a truncated tail. Reports the first
 * bad index. Hashing runs beside the database reads (leaf-checker.ts).
 */
import type { KeyObject } from 'node:crypto';
import { contentSeq, entryFromRecord } from './encoding.js';
import { InlineLeafChecker, WorkerLeafChecker, type BatchResult, type LeafChecker } from './leaf-checker.js';
import { emptyRoot } from './merkle.js';
import type { AuditEntryRecord, SignedTreeHead, StoredTreeHead, VerifyProblem, VerifyReport } from './model.js';
import type { AuditStore } from './ports.js';
import { checkTreeHeadSignature } from './signing.js';

export interface VerifyOptions {
  /** rows per keyset batch (default 5000) */
  batchSize?: number;
  /** heads kept outside the database (a witness, an earlier `audit tree-head --json`) */
  treeHeads?: readonly SignedTreeHead[];
  /** hash in a worker thread: true, false, or 'auto' (default: logs of 20,000 entries or more) */
  parallel?: boolean | 'auto';
  onProgress?: (entriesRead: number) => void;
}

/** A failure and where the walk found it: at entry `at`, in check order seq < hash < position < root. */
interface Failure {
  at: number;
  stage: 0 | 1 | 2 | 3;
  index: number | undefined;
  problem: VerifyProblem;
  reason: string;
  /** entries that passed their own checks before this was found */
  entries: number;
}

type Head = SignedTreeHead & { id?: string };

const PARALLEL_THRESHOLD = 20_000;
const describeHead = (h: Head) => `tree head ${h.id ?? '(supplied)'} of size ${h.treeSize} signed ${h.timestamp}`;
const describeEntry = (r: AuditEntryRecord) => {
  const e = entryFromRecord(r);
  return `${e.action} on ${e.targetType}${e.targetId === undefined ? '' : ' ' + e.targetId} at ${e.time}`;
};
const earlier = (a: Failure | undefined, b: Failure): Failure => (!a || b.at < a.at || (b.at === a.at && b.stage < a.stage) ? b : a);

/** Explains an entry stored at a seq other than the one it was written with: renumbering. */
function positionFailure(index: number, written: number | undefined): Failure {
  const base = { at: index, stage: 2 as const, entries: index };
  if (written === index - 1) {
    // The entry at `index` was `index - 1` and position index - 1 checked out: that one is new.
    return { ...base, index: index - 1, problem: 'entry_inserted', reason: `entry ${index - 1} was inserted: the entry now at ${index} was written as entry ${index - 1}, so the entries after the insertion were renumbered` };
  }
  if (written === index + 1) {
    return { ...base, index, problem: 'entry_deleted', reason: `entry ${index} was deleted and the later entries renumbered: the entry now at ${index} was written as entry ${index + 1}` };
  }
  return { ...base, index, problem: 'entry_moved', reason: `the entry at ${index} was written as entry ${written ?? '(unreadable)'}: entries were reordered` };
}

async function trustedHeads(store: AuditStore, trusted: ReadonlyMap<string, KeyObject>, extra: readonly SignedTreeHead[]): Promise<{ heads: Head[]; errors: string[] }> {
  const heads: Head[] = [];
  const errors: string[] = [];
  const stored: StoredTreeHead[] = await store.listTreeHeads();
  for (const h of [...stored, ...extra]) {
    const check = checkTreeHeadSignature(h, trusted);
    if (check === 'ok') heads.push(h);
    else errors.push(`${describeHead(h)}: ${check === 'unknown_key' ? `signed by untrusted key ${h.keyId}` : 'signature does not verify'}`);
  }
  heads.sort((a, b) => a.treeSize - b.treeSize);
  return { heads, errors };
}

export async function verifyAuditLog(store: AuditStore, trusted: ReadonlyMap<string, KeyObject>, options: VerifyOptions = {}): Promise<VerifyReport> {
  const started = performance.now();
  const batchSize = options.batchSize ?? 5000;
  const { heads, errors: treeHeadErrors } = await trustedHeads(store, trusted, options.treeHeads ?? []);
  const parallel = options.parallel ?? 'auto';
  const useWorker = parallel === true || (parallel === 'auto' && (await store.lastSeq()) + 1 >= PARALLEL_THRESHOLD);
  const checker: LeafChecker = useWorker ? new WorkerLeafChecker() : new InlineLeafChecker();

  let failure: Failure | undefined;
  let nextHead = 0;
  let provenSize = 0;
  let checked = 0;
  // Compares the root at `size` with every head of that size, in order.
  const checkHeads = (size: number, rootHex: string) => {
    while (nextHead < heads.length && heads[nextHead]!.treeSize === size) {
      const h = heads[nextHead++]!;
      if (rootHex !== h.rootHash) {
        const reason = `the recomputed root at size ${size} differs from ${describeHead(h)}: an entry in [${provenSize}, ${size}) was altered together with its stored hash`;
        failure = earlier(failure, { at: size - 1, stage: 3, index: provenSize, problem: 'root_mismatch', reason, entries: size });
        return;
      }
      checked++;
      provenSize = size;
    }
  };
  const pending: Array<{ result: Promise<BatchResult>; sizes: number[] }> = [];
  const settleOldest = async () => {
    const { result, sizes } = pending.shift()!;
    const r = await result;
    r.roots.forEach((root, i) => checkHeads(sizes[i]!, root));
    if (r.bad >= 0) {
      failure = earlier(failure, { at: r.bad, stage: 1, index: r.bad, problem: 'content_mismatch', reason: `entry ${r.bad} does not match the hash recorded when it was written: it was altered`, entries: r.bad });
    }
    if (r.misplaced) failure = earlier(failure, positionFailure(r.misplaced.index, r.misplaced.written));
  };
  /** Head sizes reached once `end` entries are in, not yet asked for. */
  const sizesUpTo = (end: number): number[] => {
    const sizes: number[] = [];
    while (sizeCursor < heads.length && heads[sizeCursor]!.treeSize <= end) {
      const s = heads[sizeCursor++]!.treeSize;
      if (sizes[sizes.length - 1] !== s) sizes.push(s);
    }
    return sizes;
  };
  let sizeCursor = 0;

  try {
    checkHeads(0, emptyRoot().toString('hex'));
    sizeCursor = nextHead;
    let expected = 0;
    let after = -1;
    let packing = store.scanPacked !== undefined;
    while (!failure) {
      // Packed batches (one aggregate read, hashed from buffers) unless something is irregular:
      // then this batch is read row by row, which names the exact problem.
      const packed = packing ? await store.scanPacked!(after, batchSize) : null;
      if (packed && packed.count === 0) break;
      if (packed && packed.first === expected) {
        expected += packed.count;
        const sizes = sizesUpTo(expected);
        pending.push({ result: checker.submitPacked(packed, sizes), sizes });
        if (pending.length > 1) await settleOldest();
        options.onProgress?.(expected);
        after = expected - 1;
        continue;
      }
      // after a problem the row path takes over for good: it stops at the first failure
      packing = false;
      const rows = await store.scanEntries(after, batchSize);
      if (rows.length === 0) break;
      const texts: string[] = [];
      const hashes: string[] = [];
      let stop = false;
      for (const row of rows) {
        if (row.seq !== expected) {
          const gap = row.seq > expected;
          const reason = gap ? `entry ${expected} is missing: the next stored entry is ${row.seq}` : `entry ${row.seq} appears again after entry ${expected - 1}`;
          failure = earlier(failure, { at: expected, stage: 0, index: gap ? expected : row.seq, problem: gap ? 'sequence_gap' : 'sequence_disorder', reason, entries: expected });
          stop = true;
          break;
        }
        texts.push(row.entryJson);
        hashes.push(row.leafHash);
        const written = contentSeq(row.entryJson);
        expected++;
        if (written !== row.seq) {
          // still hashed: an altered text at the same index is the better explanation
          failure = earlier(failure, positionFailure(expected - 1, written));
          stop = true;
          break;
        }
      }
      const sizes = sizesUpTo(expected);
      pending.push({ result: checker.submit(texts, hashes, sizes), sizes });
      // Two batches in flight: the worker hashes one while this thread reads the next.
      if (pending.length > 1) await settleOldest();
      options.onProgress?.(expected);
      if (stop) break;
      after = rows[rows.length - 1]!.seq;
    }
    while (pending.length > 0) await settleOldest();

    if (!failure && nextHead < heads.length) {
      const h = heads[heads.length - 1]!;
      const reason = `the log ends after ${expected} entries but ${describeHead(h)} covers ${h.treeSize}: entries from ${expected} on were removed`;
      failure = { at: expected, stage: 0, index: expected, problem: 'truncated', reason, entries: expected };
    }
    if (failure?.problem === 'content_mismatch' && failure.index !== undefined) {
      const row = await store.getEntry(failure.index);
      if (row) failure.reason = `entry ${failure.index} (${describeEntry(row)}) does not match the hash recorded when it was written: it was altered`;
    }
    const report: VerifyReport = { ok: false, entries: failure ? failure.entries : expected, treeHeadsChecked: checked, treeHeadErrors, durationMs: 0 };
    if (failure) {
      if (failure.index !== undefined) report.firstBadIndex = failure.index;
      report.problem = failure.problem;
      report.reason = failure.reason;
    } else {
      report.rootHash = await checker.finish();
      if (treeHeadErrors.length > 0) {
        report.problem = treeHeadErrors.some((e) => e.includes('untrusted key')) ? 'tree_head_unknown_key' : 'tree_head_signature';
        report.reason = treeHeadErrors[0]!;
      } else report.ok = true;
    }
    report.durationMs = Math.round(performance.now() - started);
    return report;
  } finally {
    await Promise.allSettled(pending.map((p) => p.result));
    await checker.close();
  }
}
