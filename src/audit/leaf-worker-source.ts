/**
 * @module The source of the verification worker thread (leaf-checker.ts): plain JavaScript
 * evaluated from a string so it runs the same under tsx, vitest and the compiled build. It mirrors
 * merkle.ts leafHash/nodeHash/MerkleFrontier and encoding.ts contentSeq exactly (RFC 9162 §2.1);
 * leaf-checker.test.ts checks it against them on random trees and tampered batches.
 *
 * Two message kinds: {texts, hashes, sizes} (entries as strings, stored hashes as hex) and
 * {packed: {first, count, leaves, lengths, hashes}, sizes} (leaf inputs and raw stored hashes as
 * buffers, see PackedEntries), which also checks that each entry's text names its own position.
 */
export const LEAF_WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { hash } = require('node:crypto');
const scratch = Buffer.alloc(65);
scratch[0] = 1;
const stored = Buffer.alloc(32);
const SEQ = Buffer.from(',"seq":');
const stack = [];
let count = 0;
let failed = false;
const node = (l, r) => { scratch.set(l, 1); scratch.set(r, 33); return hash('sha256', scratch, 'buffer'); };
const root = () => {
  if (stack.length === 0) return hash('sha256', Buffer.alloc(0), 'hex');
  let r = stack[stack.length - 1];
  for (let i = stack.length - 2; i >= 0; i--) r = node(stack[i], r);
  return r.toString('hex');
};
const append = (leaf) => {
  let x = leaf;
  let n = count;
  while (n % 2 === 1) { x = node(stack.pop(), x); n = (n - 1) / 2; }
  stack.push(x);
  count++;
};
// The seq written in an entry: the digits after its last ',"seq":' (encoding.ts contentSeq), or -1.
const writtenSeq = (buf, start, end) => {
  if (end - start < SEQ.length + 1) return -1;
  const at = buf.lastIndexOf(SEQ, end - SEQ.length);
  if (at < start) return -1;
  let v = 0;
  let digits = 0;
  for (let i = at + SEQ.length; i < end && digits < 16; i++, digits++) {
    const c = buf[i];
    if (c < 48 || c > 57) break;
    v = v * 10 + (c - 48);
  }
  return digits === 0 ? -1 : v;
};
const asBuffer = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength);
function checkTexts(m) {
  const roots = [];
  let next = 0;
  for (let i = 0; i < m.texts.length; i++) {
    const leaf = hash('sha256', '\\u0000' + m.texts[i], 'buffer');
    const h = m.hashes[i];
    if (h.length !== 64 || stored.write(h, 'hex') !== 32 || !stored.equals(leaf)) {
      failed = true;
      return { bad: count, roots };
    }
    append(leaf);
    while (next < m.sizes.length && m.sizes[next] === count) { roots.push(root()); next++; }
  }
  return { bad: -1, roots };
}
function checkPacked(p, sizes) {
  const roots = [];
  let next = 0;
  const leaves = asBuffer(p.leaves);
  const hashes = asBuffer(p.hashes);
  const lengths = p.lengths;
  let off = 0;
  let li = 0;
  for (let i = 0; i < p.count; i++) {
    let len = 0;
    for (let c = lengths.charCodeAt(li); li < lengths.length && c !== 44; c = lengths.charCodeAt(++li)) len = len * 10 + (c - 48);
    li++;
    const end = off + len;
    const leaf = hash('sha256', leaves.subarray(off, end), 'buffer');
    if (leaf.compare(hashes, 32 * i, 32 * i + 32) !== 0) {
      failed = true;
      return { bad: count, roots };
    }
    // off + 1: the written seq is looked for in the text, after the 0x00 leaf prefix
    const written = writtenSeq(leaves, off + 1, end);
    append(leaf);
    off = end;
    while (next < sizes.length && sizes[next] === count) { roots.push(root()); next++; }
    if (written !== p.first + i) {
      failed = true;
      const misplaced = written < 0 ? { index: p.first + i } : { index: p.first + i, written };
      return { bad: -1, roots, misplaced };
    }
  }
  return { bad: -1, roots };
}
parentPort.on('message', (m) => {
  if (m.finish) { parentPort.postMessage({ root: root() }); return; }
  if (failed) { parentPort.postMessage({ bad: -1, roots: [] }); return; }
  parentPort.postMessage(m.packed ? checkPacked(m.packed, m.sizes) : checkTexts(m));
});
`;
