/**
 * @module Reference implementations ("oracles") for the differential tests, each driven in one
 * batch: dpkg through generated shell scripts (one dpkg run per pair, two shells in parallel), rpm through one `rpm --eval` Lua loop over a file, and
 * Maven's ComparableVersion through one `java -cp maven-artifact.jar` run comparing adjacent
 * arguments. An absent oracle is reported so the test can skip locally and fail under CI=true.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Order = -1 | 0 | 1;

export function oracleMissing(command: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' });
  return r.status === 0 ? undefined : `${command} not found on PATH`;
}

const shQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

const DPKG_RELATION: Record<Order, string> = { [-1]: 'lt', 0: 'eq', 1: 'gt' };

function runShell(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-s'], { stdio: ['pipe', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', () => resolve(out));
    child.stdin.end(script);
  });
}

/**
 * Asks `dpkg --compare-versions` to confirm each claimed order: one dpkg run per pair (the
 * relation claimed by our comparator: lt, eq or gt), split over two shells running in parallel.
 * Returns, per pair, 'yes' (dpkg agrees), 'no' (dpkg disagrees) or 'error' (dpkg rejected a version).
 */
export async function dpkgConfirms(claims: ReadonlyArray<readonly [string, string, Order]>): Promise<Array<'yes' | 'no' | 'error'>> {
  const lines = claims.map(([a, b, order]) => `dpkg --compare-versions ${shQuote(a)} ${DPKG_RELATION[order]} ${shQuote(b)} 2>/dev/null; echo $?`);
  const half = Math.ceil(lines.length / 2);
  const outs = await Promise.all([runShell(lines.slice(0, half).join('\n')), runShell(lines.slice(half).join('\n'))]);
  return outs
    .map((o) => o.trim())
    .filter((o) => o !== '')
    .join('\n')
    .split('\n')
    .map((code) => (code === '0' ? 'yes' : code === '1' ? 'no' : 'error'));
}

/**
 * Orders from rpm's own `rpm.vercmp` (null where rpm raised an error). The pairs go through a
 * temporary tab-separated file read by one Lua loop inside a single `rpm --eval`.
 */
export function rpmOracle(pairs: ReadonlyArray<readonly [string, string]>): Array<Order | null> {
  for (const [a, b] of pairs) {
    if (/[\t\n]/.test(a + b)) throw new Error(`pair not safe for the tab-separated file: ${a} ${b}`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'careguard-rpm-'));
  try {
    const file = join(dir, 'pairs.tsv');
    writeFileSync(file, pairs.map(([a, b]) => `${a}\t${b}\n`).join(''));
    const lua = `%{lua: local o = {}; for line in io.lines([==[${file}]==]) do local a, b = line:match('^([^\t]*)\t([^\t]*)$'); local ok, r = pcall(rpm.vercmp, a, b); o[#o+1] = ok and tostring(r) or 'X' end; print(table.concat(o, ' ')) }`;
    const out = execFileSync('rpm', ['--eval', lua], { encoding: 'utf8', maxBuffer: 16 << 20 });
    return out
      .trim()
      .split(/\s+/)
      .map((t) => (t === 'X' ? null : (Math.sign(Number(t)) as Order)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function mavenJar(): string | undefined {
  const dir = '/usr/share/maven/lib';
  if (!existsSync(dir)) return undefined;
  const jar = readdirSync(dir).find((f) => /^maven-artifact-.*\.jar$/.test(f));
  return jar ? `${dir}/${jar}` : undefined;
}

/**
 * Orders of each adjacent pair (versions[i], versions[i+1]) from ComparableVersion's main(),
 * which prints "   <a> <|==|> <b>" lines (our generated versions contain no blanks).
 */
export function mavenOracle(jar: string, versions: readonly string[]): Order[] {
  const out = execFileSync('java', ['-cp', jar, 'org.apache.maven.artifact.versioning.ComparableVersion', ...versions], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const orders: Order[] = [];
  for (const line of out.split('\n')) {
    const m = /^ {3}(\S+) (<|>|==) (\S+)$/.exec(line);
    if (m) orders.push(m[2] === '<' ? -1 : m[2] === '>' ? 1 : 0);
  }
  return orders;
}

/**
 * Whether to run a differential test: always when its oracle exists, and under CI=true even when
 * it does not (the test then fails through `requireOracle`); locally a missing oracle is a printed skip.
 */
export function shouldRun(missing: string | undefined, name: string): boolean {
  if (!missing || process.env.CI === 'true') return true;
  console.warn(`[skip] ${name} differential test: ${missing}`);
  return false;
}

export function requireOracle(missing: string | undefined, name: string): void {
  if (missing) throw new Error(`${name} differential test needs its oracle: ${missing}`);
}
