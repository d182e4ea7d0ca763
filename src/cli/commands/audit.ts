/**
 * @module `careguard audit verify | proof | tree-head`: check the whole log (exit 1 naming the
 * first bad index when it was tampered with), print inclusion and consistency proofs, and print
 * the signed tree head to keep somewhere the database's administrators cannot write.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { AuditService, SignedTreeHead, VerifyReport } from '../../audit/index.js';
import { invalidInput } from '../../core/errors.js';
import { EXIT, type CliContext, type CliIO } from '../context.js';
import { writeJson } from '../render.js';

type Ctx = CliContext<{ audit: AuditService }>;

function nonNegativeInt(flag: string) {
  return (value: string): number => {
    if (!/^\d{1,15}$/.test(value)) throw invalidInput('cli.invalid_option', `${flag} must be a non-negative integer, got "${value}"`);
    return Number(value);
  };
}

const HEAD_FIELDS: ReadonlyArray<[keyof SignedTreeHead, 'number' | 'string']> = [
  ['treeSize', 'number'],
  ['rootHash', 'string'],
  ['timestamp', 'string'],
  ['keyId', 'string'],
  ['signature', 'string'],
];

/** Reads heads saved by `audit tree-head --json` (one object or a list) from a file. */
export function readTreeHeads(file: string): SignedTreeHead[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw invalidInput('cli.invalid_tree_head', `${file} is not a readable JSON tree head: ${(e as Error).message}`, { location: { file } });
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return list.map((item: unknown, i) => {
    const at = Array.isArray(parsed) ? `/${i}` : '';
    if (!item || typeof item !== 'object') throw invalidInput('cli.invalid_tree_head', `${file}: a tree head must be an object`, { location: { file, pointer: at } });
    const rec = item as Record<string, unknown>;
    for (const [field, type] of HEAD_FIELDS) {
      if (typeof rec[field] !== type) throw invalidInput('cli.invalid_tree_head', `${file}: ${field} must be a ${type}`, { location: { file, pointer: `${at}/${field}` } });
    }
    return { treeSize: rec.treeSize as number, rootHash: rec.rootHash as string, timestamp: rec.timestamp as string, keyId: rec.keyId as string, signature: rec.signature as string };
  });
}

function renderReport(io: CliIO, r: VerifyReport): void {
  if (r.ok) {
    io.stdout.write(`audit log intact: ${r.entries} entries, ${r.treeHeadsChecked} signed tree heads checked (${r.durationMs} ms)\n`);
    io.stdout.write(`root hash: ${r.rootHash ?? ''}\n`);
    if (r.signedTreeHead) io.stdout.write(`signed a new tree head at size ${r.signedTreeHead.treeSize}\n`);
    return;
  }
  const where = r.firstBadIndex === undefined ? 'in a signed tree head' : `at entry ${r.firstBadIndex}`;
  io.stdout.write(`TAMPERING DETECTED ${where} [${r.problem}]\n  ${r.reason}\n`);
  io.stdout.write(`  entries verified before the problem: ${r.entries}\n`);
  for (const e of r.treeHeadErrors) io.stdout.write(`  tree head problem: ${e}\n`);
}

async function withAudit<T>(ctx: Ctx, fn: (audit: AuditService) => Promise<T>): Promise<T> {
  const c = await ctx.open();
  try {
    return await fn(c.audit);
  } finally {
    await c.close();
  }
}

export function registerAuditCommand(program: Command, ctx: Ctx): void {
  const audit = program.command('audit').description('tamper-evident audit log: verify, proofs, signed tree heads');
  const { io } = ctx;

  audit
    .command('verify')
    .description('recompute every entry and check it against the signed tree heads (exit 1 on tampering)')
    .option('--json', 'print the report as JSON')
    .option('--tree-head <file...>', 'also check tree heads kept outside the database (JSON from `audit tree-head --json`)')
    .option('--sign', 'sign a new tree head over the log when it verifies')
    .action(async (opts: { json?: boolean; treeHead?: string[]; sign?: boolean }) => {
      const treeHeads = (opts.treeHead ?? []).flatMap(readTreeHeads);
      const report = await withAudit(ctx, (a) => a.verify({ treeHeads, signTreeHead: opts.sign === true }));
      if (opts.json) writeJson(io, report);
      else renderReport(io, report);
      if (!report.ok) process.exitCode = EXIT.findings;
    });

  audit
    .command('proof')
    .description('print an inclusion proof (--seq) or a consistency proof (--consistency FIRST [SECOND])')
    .option('--seq <n>', 'entry to prove', nonNegativeInt('--seq'))
    .option('--tree-size <m>', 'tree size to prove against (default: a signed head covering the entry)', nonNegativeInt('--tree-size'))
    .option('--consistency <sizes...>', 'tree sizes FIRST [SECOND] (SECOND defaults to the newest signed head)')
    .option('--json', 'print the proof as JSON')
    .action(async (opts: { seq?: number; treeSize?: number; consistency?: string[]; json?: boolean }) => {
      if ((opts.seq === undefined) === (opts.consistency === undefined)) {
        throw invalidInput('cli.invalid_option', 'give exactly one of --seq N or --consistency FIRST [SECOND]');
      }
      if (opts.consistency) {
        if (opts.consistency.length > 2) throw invalidInput('cli.invalid_option', '--consistency takes one or two tree sizes');
        const [first, second] = opts.consistency.map((v) => nonNegativeInt('--consistency')(v)) as [number, number | undefined];
        const proof = await withAudit(ctx, (a) => a.consistencyProof(first, second));
        if (opts.json) return writeJson(io, proof);
        io.stdout.write(`consistency proof from tree size ${proof.firstSize} to ${proof.secondSize}\n`);
        io.stdout.write(`first root:  ${proof.firstRootHash}\nsecond root: ${proof.secondRootHash}\n`);
        proof.consistencyPath.forEach((h, i) => io.stdout.write(`  [${i}] ${h}\n`));
        return;
      }
      const proof = await withAudit(ctx, (a) => a.inclusionProof(opts.seq!, opts.treeSize));
      if (opts.json) return writeJson(io, proof);
      io.stdout.write(`inclusion proof of entry ${proof.leafIndex} in tree size ${proof.treeSize}\n`);
      io.stdout.write(`leaf hash: ${proof.leafHash}\nroot hash: ${proof.rootHash}${proof.treeHead ? ` (signed ${proof.treeHead.timestamp})` : ''}\n`);
      proof.auditPath.forEach((h, i) => io.stdout.write(`  [${i}] ${h}\n`));
    });

  audit
    .command('tree-head')
    .description('print the newest signed tree head (keep a copy off this machine to detect truncation)')
    .option('--fresh', 'sign a new head over every entry first')
    .option('--json', 'print the head as JSON')
    .action(async (opts: { fresh?: boolean; json?: boolean }) => {
      const { head, key } = await withAudit(ctx, async (a) => ({ head: opts.fresh ? await a.signTreeHead() : await a.latestTreeHead(), key: a.publicKey() }));
      if (opts.json) return writeJson(io, head);
      io.stdout.write(`tree size: ${head.treeSize}\nroot hash: ${head.rootHash}\nsigned at: ${head.timestamp}\nkey id:    ${head.keyId}\nsignature: ${head.signature}\n\n${key.publicKeyPem}`);
    });
}
