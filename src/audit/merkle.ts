/**
 * @module Merkle tree hashing and proofs exactly as RFC 9162 §2.1 defines them (the RFC 6962
 * tree): leaf hash SHA-256(0x00 || leaf), node hash SHA-256(0x01 || left || right), MTH split at
 * the largest power of two smaller than n, inclusion proofs (§2.1.3) and consistency proofs
 * (§2.1.4). Pure: proof *generation* is expressed as the list of leaf ranges whose subtree hashes
 * form the proof, so storage can answer each range from persisted subtree roots instead of
 * rehashing the whole log.
 */
import { hash } from 'node:crypto';

export const HASH_SIZE = 32;

/** [start, end) over leaf indices. */
export interface LeafRange {
  start: number;
  end: number;
}

const EMPTY_ROOT = hash('sha256', Buffer.alloc(0), 'buffer');
// One scratch buffer for 0x01||l||r: node hashing is the hot loop of verification.
const nodeScratch = Buffer.alloc(1 + 2 * HASH_SIZE);
nodeScratch[0] = 0x01;

/** MTH({}) = SHA-256() */
export const emptyRoot = (): Buffer => Buffer.from(EMPTY_ROOT);

/** SHA-256(0x00 || leaf). A string is hashed as its UTF-8 bytes. */
export function leafHash(leaf: Uint8Array | string): Buffer {
  if (typeof leaf === 'string') return hash('sha256', '\u0000' + leaf, 'buffer');
  const buf = Buffer.allocUnsafe(leaf.length + 1);
  buf[0] = 0x00;
  buf.set(leaf, 1);
  return hash('sha256', buf, 'buffer');
}

/** SHA-256(0x01 || left || right) */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  nodeScratch.set(left, 1);
  nodeScratch.set(right, 1 + HASH_SIZE);
  return hash('sha256', nodeScratch, 'buffer');
}

/** The largest power of two strictly smaller than n (n >= 2). */
export function splitPoint(n: number): number {
  if (!(n >= 2)) throw new RangeError(`splitPoint needs n >= 2, got ${n}`);
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH over an in-memory list of leaf hashes (reference implementation; tests and small trees). */
export function rootOfLeafHashes(leafHashes: readonly Uint8Array[], start = 0, end = leafHashes.length): Buffer {
  const n = end - start;
  if (n === 0) return emptyRoot();
  if (n === 1) return Buffer.from(leafHashes[start]!);
  const k = splitPoint(n);
  return nodeHash(rootOfLeafHashes(leafHashes, start, start + k), rootOfLeafHashes(leafHashes, start + k, end));
}

/**
 * Splits [start, end) the way MTH does: the left part is a perfect subtree of the largest power of
 * two below the size, recursively, so the range hash is the right fold of these pieces. For ranges
 * that occur in a tree's recursion each piece is an aligned perfect subtree (level, start >> level).
 */
export function perfectSubtrees(start: number, end: number): LeafRange[] {
  const out: LeafRange[] = [];
  let a = start;
  let remaining = end - start;
  while (remaining > 0) {
    let p = 1;
    while (p * 2 <= remaining) p *= 2;
    out.push({ start: a, end: a + p });
    a += p;
    remaining -= p;
  }
  return out;
}

/** Right fold of piece hashes: MTH of a range decomposed by perfectSubtrees. */
export function foldSubtrees(pieces: readonly Uint8Array[]): Buffer {
  if (pieces.length === 0) return emptyRoot();
  let r: Buffer = Buffer.from(pieces[pieces.length - 1]!);
  for (let i = pieces.length - 2; i >= 0; i--) r = nodeHash(pieces[i]!, r);
  return r;
}

/**
 * The ranges whose MTH form PATH(index, D[size]) (RFC 9162 §2.1.3.1), ordered from the leaf's
 * sibling up to the root's child, as the verifier consumes them.
 */
export function inclusionProofRanges(index: number, size: number): LeafRange[] {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) {
    throw new RangeError(`leaf index ${index} is outside a tree of size ${size}`);
  }
  const out: LeafRange[] = [];
  let lo = 0;
  let hi = size;
  const stack: LeafRange[] = [];
  while (hi - lo > 1) {
    const k = splitPoint(hi - lo);
    if (index < lo + k) {
      stack.push({ start: lo + k, end: hi });
      hi = lo + k;
    } else {
      stack.push({ start: lo, end: lo + k });
      lo = lo + k;
    }
  }
  // Descent visits root-side siblings first; the proof lists them leaf-side first.
  for (let i = stack.length - 1; i >= 0; i--) out.push(stack[i]!);
  return out;
}

/**
 * The ranges whose MTH form PROOF(first, D[second]) (RFC 9162 §2.1.4.1). Empty when first is 0 or
 * equals second (nothing to prove).
 */
export function consistencyProofRanges(first: number, second: number): LeafRange[] {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) {
    throw new RangeError(`no consistency proof from tree size ${first} to ${second}`);
  }
  if (first === 0 || first === second) return [];
  const stack: LeafRange[] = [];
  let m = first;
  let lo = 0;
  let hi = second;
  let complete = true;
  for (;;) {
    const n = hi - lo;
    if (m === n) {
      if (!complete) stack.push({ start: lo, end: hi });
      break;
    }
    const k = splitPoint(n);
    if (m <= k) {
      stack.push({ start: lo + k, end: hi });
      hi = lo + k;
    } else {
      stack.push({ start: lo, end: lo + k });
      lo = lo + k;
      m -= k;
      complete = false;
    }
  }
  // SUBPROOF appends on the way back up: the innermost node comes first.
  return stack.reverse();
}

/** Inclusion proof over in-memory leaf hashes (reference; storage uses the ranges directly). */
export function inclusionProof(leafHashes: readonly Uint8Array[], index: number, size = leafHashes.length): Buffer[] {
  return inclusionProofRanges(index, size).map((r) => rootOfLeafHashes(leafHashes, r.start, r.end));
}

/** Consistency proof over in-memory leaf hashes (reference; storage uses the ranges directly). */
export function consistencyProof(leafHashes: readonly Uint8Array[], first: number, second: number): Buffer[] {
  return consistencyProofRanges(first, second).map((r) => rootOfLeafHashes(leafHashes, r.start, r.end));
}

const sameHash = (a: Uint8Array, b: Uint8Array): boolean => a.length === HASH_SIZE && b.length === HASH_SIZE && Buffer.compare(a, b) === 0;

/** RFC 9162 §2.1.3.2: does `proof` show that `leaf` (a leaf hash) is at `index` in the tree with `root`? */
export function verifyInclusion(leaf: Uint8Array, index: number, size: number, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r: Buffer = Buffer.from(leaf);
  for (const p of proof) {
    if (p.length !== HASH_SIZE) return false;
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = fn / 2;
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && sameHash(r, root);
}

/**
 * RFC 9162 §2.1.4.2: does `proof` show that the tree of size `first` with `firstRoot` is a prefix
 * of the tree of size `second` with `secondRoot`? Sizes 0 and first === second take an empty proof.
 */
export function verifyConsistency(first: number, second: number, firstRoot: Uint8Array, secondRoot: Uint8Array, proof: readonly Uint8Array[]): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) return false;
  if (first === second) return proof.length === 0 && sameHash(firstRoot, secondRoot);
  if (first === 0) return proof.length === 0 && sameHash(firstRoot, EMPTY_ROOT);
  if (proof.length === 0) return false;
  if (proof.some((p) => p.length !== HASH_SIZE)) return false;
  const path: readonly Uint8Array[] = isPowerOfTwo(first) ? [firstRoot, ...proof] : proof;
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = (fn - 1) / 2;
    sn = Math.floor(sn / 2);
  }
  let fr: Buffer = Buffer.from(path[0]!);
  let sr: Buffer = Buffer.from(path[0]!);
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = fn / 2;
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && sameHash(fr, firstRoot) && sameHash(sr, secondRoot);
}

function isPowerOfTwo(n: number): boolean {
  let p = 1;
  while (p < n) p *= 2;
  return p === n;
}

/**
 * The compact range [0, size): roots of the perfect subtrees the tree decomposes into, one per set
 * bit of size. Appending a leaf merges equal-sized neighbours, so streaming n leaves costs n - 1
 * node hashes and O(log n) memory, and the root at any size is a right fold of the stack.
 */
export class MerkleFrontier {
  private readonly stack: Buffer[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  append(leaf: Buffer): void {
    let h = leaf;
    let n = this.count;
    while (n % 2 === 1) {
      h = nodeHash(this.stack.pop()!, h);
      n = (n - 1) / 2;
    }
    this.stack.push(h);
    this.count++;
  }

  root(): Buffer {
    return this.stack.length === 0 ? emptyRoot() : foldSubtrees(this.stack);
  }
}
