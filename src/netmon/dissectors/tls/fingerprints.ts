/**
 * @module TLS client/server fingerprints: JA3 and JA3S (Salesforce; MD5 of decimal field lists, GREASE
 * removed) and JA4 (FoxIO JA4 spec: "t" + version + SNI d/i + cipher and extension counts + ALPN first/last
 * character, then SHA-256/12 of the sorted cipher list and of the sorted extension list plus signature
 * algorithms in wire order).
 */
import { hash } from 'node:crypto';
import { hex4 } from '../support/text.js';
import type { ClientHello, ServerHello } from './hello.js';
import { isGrease } from './versions.js';

/**
 * Digests of fingerprint strings, remembered: a fleet of identical devices sends identical hellos, and one
 * native hash call costs far more than a map lookup. Bounded by starting over when full.
 */
function memoDigest(algorithm: 'md5' | 'sha256', chars: number): (s: string) => string {
  const seen = new Map<string, string>();
  return (s) => {
    let d = seen.get(s);
    if (d === undefined) {
      d = hash(algorithm, s, 'hex').slice(0, chars);
      if (seen.size >= 4096) seen.clear();
      seen.set(s, d);
    }
    return d;
  };
}

const md5 = memoDigest('md5', 32);
const sha12 = memoDigest('sha256', 12);
const noGrease = (l: readonly number[]): number[] => l.filter((v) => !isGrease(v));

export function ja3(h: ClientHello): { ja3: string; ja3String: string } {
  const s = [
    h.legacyVersion,
    noGrease(h.ciphers).join('-'),
    noGrease(h.extensions).join('-'),
    noGrease(h.groups).join('-'),
    h.pointFormats.join('-'),
  ].join(',');
  return { ja3: md5(s), ja3String: s };
}

export function ja3s(h: ServerHello): { ja3s: string; ja3sString: string } {
  const s = [h.legacyVersion, h.cipher, h.extensions.join('-')].join(',');
  return { ja3s: md5(s), ja3sString: s };
}

const JA4_VERSIONS: Record<number, string> = { 0x0304: '13', 0x0303: '12', 0x0302: '11', 0x0301: '10', 0x0300: 's3', 0x0200: 's2', 0x0002: 's2', 0x0100: 's1' };

const isAlnum = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

function alpnChars(raw: Uint8Array | undefined): string {
  if (raw === undefined || raw.length === 0) return '00';
  const first = raw[0] as number;
  const last = raw[raw.length - 1] as number;
  if (isAlnum(first) && isAlnum(last)) return String.fromCharCode(first, last);
  // non-alphanumeric ALPN bytes: first and last characters of the value's hex representation
  const hex = Buffer.from(raw).toString('hex');
  return `${hex[0]}${hex[hex.length - 1]}`;
}

const count2 = (n: number): string => String(Math.min(n, 99)).padStart(2, '0');

export function ja4(h: ClientHello, transport: 't' | 'q' = 't'): { ja4: string; ja4Raw: string } {
  const versions = noGrease(h.supportedVersions);
  const version = versions.length > 0 ? Math.max(...versions) : h.legacyVersion;
  const ciphers = noGrease(h.ciphers);
  const extensions = noGrease(h.extensions);
  const a = `${transport}${JA4_VERSIONS[version] ?? '00'}${h.sni !== undefined ? 'd' : 'i'}${count2(ciphers.length)}${count2(extensions.length)}${alpnChars(h.alpnFirstRaw)}`;
  const cipherList = ciphers.map(hex4).sort().join(',');
  const extList = extensions
    .filter((e) => e !== 0x0000 && e !== 0x0010)
    .map(hex4)
    .sort()
    .join(',');
  const sigs = noGrease(h.signatureAlgorithms).map(hex4).join(',');
  const cInput = cipherList;
  const eInput = sigs.length > 0 ? `${extList}_${sigs}` : extList;
  const b = ciphers.length === 0 ? '000000000000' : sha12(cInput);
  const c = extensions.length === 0 ? '000000000000' : sha12(eInput);
  return { ja4: `${a}_${b}_${c}`, ja4Raw: `${a}_${cInput}_${eInput}` };
}
