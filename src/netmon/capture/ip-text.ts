/**
 * @module IP addresses as text (dotted quad; RFC 5952 canonical IPv6, the form tshark prints). Built
 * only when a flow or record is created, never per packet. Strings are assembled with join(), which
 * yields one flat string; chained concatenation leaves a tree of string pieces that a long-lived flow
 * key would keep in memory.
 */

/**
 * Recent texts by address. Hosts recur across flows (a few hundred devices, thousands of flows), and
 * strings are immutable, so handing out the same one is safe. Cleared when full to stay bounded.
 */
const CACHE_MAX = 4096;
const v4Texts = new Map<number, string>();
const macTexts = new Map<number, string>();

function remember(cache: Map<number, string>, key: number, text: string): string {
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(key, text);
  return text;
}

export const ipv4FromNumber = (n: number): string =>
  v4Texts.get(n) ?? remember(v4Texts, n, [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.'));

export const ipv4String = (b: Uint8Array, o: number): string => [b[o], b[o + 1], b[o + 2], b[o + 3]].join('.');

/** IPv6 text from four big-endian 32-bit words. */
export function ipv6FromWords(w0: number, w1: number, w2: number, w3: number): string {
  const g = [w0 >>> 16, w0 & 0xffff, w1 >>> 16, w1 & 0xffff, w2 >>> 16, w2 & 0xffff, w3 >>> 16, w3 & 0xffff];
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return ['::ffff:', ipv4FromNumber(w3 >>> 0)].join('');
  }
  // RFC 5952: compress the longest run (>= 2) of zero groups, the first one on ties.
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = g.map((x) => (x as number).toString(16));
  if (bestStart < 0) return hex.join(':');
  return [hex.slice(0, bestStart).join(':'), hex.slice(bestStart + bestLen).join(':')].join('::');
}

const word = (b: Uint8Array, o: number): number =>
  (((b[o] as number) << 24) | ((b[o + 1] as number) << 16) | ((b[o + 2] as number) << 8) | (b[o + 3] as number)) >>> 0;

export const ipv6String = (b: Uint8Array, o: number): string => ipv6FromWords(word(b, o), word(b, o + 4), word(b, o + 8), word(b, o + 12));

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

const macText = (b: Uint8Array, o: number): string =>
  [HEX[b[o] as number], HEX[b[o + 1] as number], HEX[b[o + 2] as number], HEX[b[o + 3] as number], HEX[b[o + 4] as number], HEX[b[o + 5] as number]].join(':');

export function macString(b: Uint8Array, o: number): string {
  if (!(o >= 0 && o + 6 <= b.length)) return macText(b, o);
  // 48 bits fit a number exactly.
  const key = ((b[o] as number) * 256 + (b[o + 1] as number)) * 4294967296 + word(b, o + 2);
  return macTexts.get(key) ?? remember(macTexts, key, macText(b, o));
}
