import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MerkleFrontier,
  consistencyProof,
  consistencyProofRanges,
  emptyRoot,
  inclusionProof,
  inclusionProofRanges,
  leafHash,
  nodeHash,
  perfectSubtrees,
  foldSubtrees,
  rootOfLeafHashes,
  verifyConsistency,
  verifyInclusion,
} from './merkle.js';

const b64 = (s: string): Buffer => Buffer.from(s, 'base64');

// Reference values from the C2SP CCTV Merkle tree test vectors (RFC 6962 trees over the leaf data
// "a", "b", "c", ... appended in order; https://github.com/C2SP/CCTV, merkle/testdata).
const CCTV_ROOTS: readonly string[] = [
  'Aippeebat6pa5MPl5F9+l3ESp+Y1k4INvsHsc4ok+Tw=',
  'sTeYX/SE+2ANuTEHx3sDZcgNePW0Kd7Q/Zc2HQd5mes=',
  'NmQuc8JUCrEh46a/lUWwokmCzYMOsT080Z3jzmwCHsE=',
  'MzdqO9Y+mZNwioTd/mworli4NQXdH+1xG9kk7FpiOfA=',
  '/hSlQm+9cMD6c/UjQq/tDaC9I8SDhmLM9riKMHDq2Xs=',
  '4Gn8EuIxzP1FFr8WF5Rfs8zVzIkQ2S1iZSifCI93f90=',
  'SuGRk59UjZk0dAuI3qLFy4m7iHD8RQXNed7Gu/qu6cs=',
  'pdrGsf8dyhPc+UI9y/G7tNvOfoy/f0wBTPQMbIFxor0=',
  '/UrtYHiqdk8U29MJmd7YWCsCcf4nwPU+7BGydzjge+k=',
  'X61aoZjC9sMP0iZaieElFosOH2CCZBO0W4EKIglQvSU=',
  'M6LEYTQ6r1ZTYe0X9pjaH2zGuOpPHx5/Fq5bCruRwyc=',
  'CCEpUpdplv7ioB7uOXMDN55+uZ3uydo7KMZgNyZiJDw=',
  '0iNGOoh+HR3hhFEs6i6urHqEDs1mbmaghpRAuWW9Plg=',
  'uG3+QLIU71SGseNZJEXVFnfI3ZNLGCDU8G0dMROSx60=',
  'jnp0/jvVLGETjDZU3ckThZ1zCNvRbkPL55AHD6XjgHA=',
  'CXGcbYyZRw8qK9HP+Uz71/U/8TjowWFmnIX5psYUAxM=',
];
const CCTV_LEAF_A = 'Aippeebat6pa5MPl5F9+l3ESp+Y1k4INvsHsc4ok+Tw=';
const CCTV_LEAF_B = 'V+s1YV1H807HFMrN9f10YIpejhAnJOgLJLKHwMJ7ajE=';
const CCTV_PATH_0_OF_10 = [CCTV_LEAF_B, '271owyVhSnPay056h6K3tK6XJLSJ5WKe6DFR/o8Or9c=', 'lCw8dj8pYIlX2S0JVYnm5ftlQUw++a4m/B9J8H9eDcc=', 'k6jBBWXmeTmR34Cyqu3RxQSzpyvl1xghtCDcSDvLXk0='];
const CCTV_EMPTY_ROOT = '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';

const letters = 'abcdefghijklmnop'.split('').map((c) => leafHash(c));
const leavesOf = (n: number): Buffer[] => Array.from({ length: n }, (_, i) => leafHash(`leaf-${i}`));

describe('RFC 9162 hashing against the C2SP reference vectors', () => {
  it('hashes leaves with the 0x00 prefix and the empty tree as SHA-256 of nothing', () => {
    expect(leafHash('a').toString('base64')).toBe(CCTV_LEAF_A);
    expect(leafHash(Buffer.from('b')).toString('base64')).toBe(CCTV_LEAF_B);
    expect(emptyRoot().toString('base64')).toBe(CCTV_EMPTY_ROOT);
  });

  it('computes the tree head of every prefix of a..p', () => {
    CCTV_ROOTS.forEach((root, i) => {
      expect(rootOfLeafHashes(letters.slice(0, i + 1)).toString('base64'), `size ${i + 1}`).toBe(root);
    });
  });

  it('generates and verifies the reference inclusion proof of leaf 0 in a tree of 10', () => {
    const proof = inclusionProof(letters, 0, 10);
    expect(proof.map((p) => p.toString('base64'))).toEqual(CCTV_PATH_0_OF_10);
    expect(verifyInclusion(b64(CCTV_LEAF_A), 0, 10, proof, b64(CCTV_ROOTS[9]!))).toBe(true);
  });

  it('rejects the reference invalid inclusion proofs (mutated leaf hash)', () => {
    const mutated = b64('Ayppeebat6pa5MPl5F9+l3ESp+Y1k4INvsHsc4ok+Tw=');
    expect(verifyInclusion(mutated, 0, 1, [], b64(CCTV_ROOTS[0]!))).toBe(false);
    expect(verifyInclusion(mutated, 0, 2, [b64(CCTV_LEAF_B)], b64(CCTV_ROOTS[1]!))).toBe(false);
    expect(verifyInclusion(mutated, 0, 10, CCTV_PATH_0_OF_10.map(b64), b64(CCTV_ROOTS[9]!))).toBe(false);
  });

  it('generates and verifies the reference consistency proof from 1 to 10', () => {
    const proof = consistencyProof(letters, 1, 10);
    expect(proof.map((p) => p.toString('base64'))).toEqual(CCTV_PATH_0_OF_10);
    expect(verifyConsistency(1, 10, b64(CCTV_ROOTS[0]!), b64(CCTV_ROOTS[9]!), proof)).toBe(true);
  });

  it('accepts the reference trivial consistency cases and rejects the mutated sizes', () => {
    const empty = b64(CCTV_EMPTY_ROOT);
    const r1 = b64(CCTV_ROOTS[0]!);
    const r10 = b64(CCTV_ROOTS[9]!);
    expect(verifyConsistency(0, 0, empty, empty, [])).toBe(true);
    expect(verifyConsistency(0, 1, empty, r1, [])).toBe(true);
    expect(verifyConsistency(1, 1, r1, r1, [])).toBe(true);
    expect(verifyConsistency(1, 0, empty, empty, [])).toBe(false);
    expect(verifyConsistency(1, 1, empty, r1, [])).toBe(false);
    expect(verifyConsistency(0, 1, r1, r1, [])).toBe(false);
    const path = CCTV_PATH_0_OF_10.map(b64);
    for (const old of [0, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]) {
      expect(verifyConsistency(old, 10, r1, r10, path), `old size ${old}`).toBe(false);
    }
  });
});

describe('MerkleFrontier', () => {
  it('agrees with the recursive MTH at every size up to 300', () => {
    const leaves = leavesOf(300);
    const f = new MerkleFrontier();
    expect(f.root().equals(emptyRoot())).toBe(true);
    for (let n = 1; n <= 300; n++) {
      f.append(leaves[n - 1]!);
      expect(f.root().equals(rootOfLeafHashes(leaves.slice(0, n))), `size ${n}`).toBe(true);
    }
    expect(f.size).toBe(300);
  });
});

describe('proof ranges', () => {
  it('decomposes a range into descending perfect subtrees whose fold is the range hash', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), (n) => {
        const leaves = leavesOf(n);
        const pieces = perfectSubtrees(0, n);
        for (const p of pieces) expect(Number.isInteger(Math.log2(p.end - p.start))).toBe(true);
        const folded = foldSubtrees(pieces.map((p) => rootOfLeafHashes(leaves, p.start, p.end)));
        expect(folded.equals(rootOfLeafHashes(leaves))).toBe(true);
      }),
    );
  });

  it('refuses an inclusion proof for an index outside the tree', () => {
    expect(() => inclusionProofRanges(5, 5)).toThrow(/outside a tree of size 5/);
    expect(() => inclusionProofRanges(-1, 5)).toThrow(RangeError);
    expect(() => consistencyProofRanges(6, 5)).toThrow(/from tree size 6 to 5/);
  });

  it('gives empty consistency proofs for size 0 and equal sizes', () => {
    expect(consistencyProofRanges(0, 9)).toEqual([]);
    expect(consistencyProofRanges(9, 9)).toEqual([]);
  });
});

describe('proof properties over random trees', () => {
  const tree = fc.integer({ min: 1, max: 160 }).chain((size) => fc.record({ size: fc.constant(size), index: fc.integer({ min: 0, max: size - 1 }) }));

  it('every inclusion proof verifies against the tree head', () => {
    fc.assert(
      fc.property(tree, ({ size, index }) => {
        const leaves = leavesOf(size);
        const root = rootOfLeafHashes(leaves);
        expect(verifyInclusion(leaves[index]!, index, size, inclusionProof(leaves, index), root)).toBe(true);
      }),
    );
  });

  it('a tampered inclusion proof, leaf or index fails', () => {
    fc.assert(
      fc.property(tree, fc.nat(), fc.integer({ min: 0, max: 31 }), ({ size, index }, pick, byte) => {
        const leaves = leavesOf(size);
        const root = rootOfLeafHashes(leaves);
        const proof = inclusionProof(leaves, index);
        const leaf = leaves[index]!;
        const flipped = Buffer.from(leaf);
        flipped[byte] = flipped[byte]! ^ 0x01;
        expect(verifyInclusion(flipped, index, size, proof, root)).toBe(false);
        if (size > 1) expect(verifyInclusion(leaf, (index + 1) % size, size, proof, root)).toBe(false);
        if (proof.length > 0) {
          const bad = proof.map((p) => Buffer.from(p));
          const at = pick % bad.length;
          bad[at]![byte] = bad[at]![byte]! ^ 0x80;
          expect(verifyInclusion(leaf, index, size, bad, root)).toBe(false);
          expect(verifyInclusion(leaf, index, size, proof.slice(0, -1), root)).toBe(false);
        }
        expect(verifyInclusion(leaf, index, size, [...proof, leaf], root)).toBe(false);
      }),
    );
  });

  const sizes = fc.integer({ min: 1, max: 160 }).chain((second) => fc.record({ second: fc.constant(second), first: fc.integer({ min: 1, max: second }) }));

  it('every consistency proof verifies between the two tree heads', () => {
    fc.assert(
      fc.property(sizes, ({ first, second }) => {
        const leaves = leavesOf(second);
        const proof = consistencyProof(leaves, first, second);
        const r1 = rootOfLeafHashes(leaves, 0, first);
        const r2 = rootOfLeafHashes(leaves);
        expect(verifyConsistency(first, second, r1, r2, proof)).toBe(true);
      }),
    );
  });

  it('a tampered consistency proof or a rewritten history fails', () => {
    fc.assert(
      fc.property(sizes, fc.nat(), fc.integer({ min: 0, max: 31 }), ({ first, second }, pick, byte) => {
        fc.pre(first < second);
        const leaves = leavesOf(second);
        const proof = consistencyProof(leaves, first, second);
        const r1 = rootOfLeafHashes(leaves, 0, first);
        const r2 = rootOfLeafHashes(leaves);
        const bad = proof.map((p) => Buffer.from(p));
        const at = pick % bad.length;
        bad[at]![byte] = bad[at]![byte]! ^ 0x04;
        expect(verifyConsistency(first, second, r1, r2, bad)).toBe(false);
        expect(verifyConsistency(first, second, r1, r2, proof.slice(1))).toBe(false);
        // the old tree had a different entry at `pick`: its head cannot be a prefix of the new tree
        const rewritten = leaves.slice(0, first);
        rewritten[pick % first] = leafHash('forged');
        expect(verifyConsistency(first, second, rootOfLeafHashes(rewritten), r2, proof)).toBe(false);
      }),
    );
  });

  it('node hashing is order-sensitive and domain-separated from leaves', () => {
    const [a, b] = leavesOf(2) as [Buffer, Buffer];
    expect(nodeHash(a, b).equals(nodeHash(b, a))).toBe(false);
    expect(leafHash(Buffer.concat([Buffer.from([1]), a, b])).equals(nodeHash(a, b))).toBe(false);
  });
});
