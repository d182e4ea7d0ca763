/**
 * @module Password hashing with scrypt (node:crypto). The stored string carries its own
 * parameters (`scrypt$<log2N>$<r>$<p>$<salt>$<hash>`), so the cost can be raised later and old
 * hashes still verify (and are rehashed on the next successful login). Unknown users are checked
 * against a dummy hash of the same cost, so response time does not reveal which names exist.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  /** log2 of the CPU/memory cost N */
  log2N: number;
  r: number;
  p: number;
}

/** OWASP's scrypt floor is N=2^17 r=8 p=1 for interactive logins on servers with memory to spare; 2^15 keeps a login near 50 ms on small hosts. */
export const DEFAULT_SCRYPT: ScryptParams = { log2N: 15, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.log2N;
  const options: ScryptOptions = { N, r: params.r, p: params.p, maxmem: 256 * N * params.r * params.p };
  return new Promise((resolvePromise, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolvePromise(key)));
  });
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  hash: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [log2N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  if (![log2N, r, p].every((n) => Number.isInteger(n) && n > 0) || log2N > 22 || r > 32 || p > 16) return null;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const hash = Buffer.from(parts[5]!, 'base64url');
  if (salt.length < 8 || hash.length !== KEY_LENGTH) return null;
  return { params: { log2N, r, p }, salt, hash };
}

export class PasswordHasher {
  private dummy: Promise<string> | undefined;

  constructor(readonly params: ScryptParams = DEFAULT_SCRYPT) {}

  async hash(password: string): Promise<string> {
    const salt = randomBytes(SALT_LENGTH);
    const key = await derive(password, salt, this.params);
    const { log2N, r, p } = this.params;
    return `scrypt$${log2N}$${r}$${p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
  }

  /** false for a wrong password and for a stored value that is not a hash we understand */
  async verify(password: string, stored: string): Promise<boolean> {
    const parsed = parseHash(stored);
    if (!parsed) return false;
    const key = await derive(password, parsed.salt, parsed.params);
    return timingSafeEqual(key, parsed.hash);
  }

  /** Spend the same time as a real verification, for names that do not exist. */
  async verifyDummy(password: string): Promise<false> {
    this.dummy ??= this.hash(randomBytes(16).toString('hex'));
    await this.verify(password, await this.dummy);
    return false;
  }

  /** true when the stored hash is weaker than the current parameters (rehash after a good login) */
  needsRehash(stored: string): boolean {
    const parsed = parseHash(stored);
    if (!parsed) return true;
    const { log2N, r, p } = parsed.params;
    return log2N < this.params.log2N || r < this.params.r || p < this.params.p;
  }
}

/** Random password for bootstrap and resets: 24 base64url characters (144 bits). */
export function generatePassword(): string {
  for (;;) {
    const candidate = randomBytes(18).toString('base64url');
    // a leading '-' reads as a command-line flag when pasted into a shell
    if (/^[A-Za-z0-9]/.test(candidate)) return candidate;
  }
}
