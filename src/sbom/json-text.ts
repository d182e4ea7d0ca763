/**
 * @module Bounded JSON reading for SBOM parsers: size limit, JSON.parse with syntax errors
 * turned into line/column/byte positions, and a nesting-depth limit reported by JSON pointer.
 */
import { SBOM_LIMITS } from './parsers/contract.js';
import { SbomError } from './errors.js';

/** RFC 6901 pointer segment escaping. */
export const pointerSegment = (key: string | number): string =>
  typeof key === 'number' ? String(key) : key.replace(/~/g, '~0').replace(/\//g, '~1');

export const stripBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

export function checkSize(text: string, file: string | undefined): void {
  // a UTF-16 length above the limit cannot be under it in UTF-8; only measure when it might be
  const bytes = text.length > SBOM_LIMITS.maxBytes / 3 ? Buffer.byteLength(text, 'utf8') : text.length;
  if (bytes > SBOM_LIMITS.maxBytes) {
    throw new SbomError('sbom.too_large', `document is ${bytes} bytes; the limit is ${SBOM_LIMITS.maxBytes}`, { file });
  }
}

/** 1-based line and column of a UTF-16 offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

const isWs = (c: number) => c === 32 || c === 9 || c === 10 || c === 13;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;

/**
 * Offset of the first JSON syntax error, or -1. Only run after JSON.parse failed, because V8
 * does not give a position for every kind of error (e.g. an unexpected first token).
 */
export function firstSyntaxErrorOffset(s: string): number {
  const n = s.length;
  let i = 0;
  const stack: boolean[] = []; // true = object
  const ws = () => {
    while (i < n && isWs(s.charCodeAt(i))) i++;
  };
  const str = (): boolean => {
    i++;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 34) {
        i++;
        return true;
      }
      if (c < 0x20) return false;
      if (c === 92) {
        const e = s[i + 1];
        if (e === 'u') {
          if (!HEX4.test(s.slice(i + 2, i + 6))) {
            i += 1;
            return false;
          }
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else {
          i += 1; // V8 points at the character after the backslash
          return false;
        }
      } else i++;
    }
    return false;
  };
  const key = (): boolean => {
    if (s[i] !== '"' || !str()) return false;
    ws();
    if (s[i] !== ':') return false;
    i++;
    return true;
  };
  for (;;) {
    ws();
    const c = s[i];
    if (c === '{' || c === '[') {
      i++;
      ws();
      if (s[i] === (c === '{' ? '}' : ']')) i++;
      else {
        stack.push(c === '{');
        if (c === '{' && !key()) return i;
        continue;
      }
    } else if (c === '"') {
      if (!str()) return i;
    } else if (c === 't' || c === 'f' || c === 'n') {
      const word = c === 't' ? 'true' : c === 'f' ? 'false' : 'null';
      if (!s.startsWith(word, i)) return i;
      i += word.length;
    } else {
      NUMBER.lastIndex = i;
      if (c === undefined || !NUMBER.test(s)) return i;
      i = NUMBER.lastIndex;
    }
    // after a value: close containers or move to the next element
    for (;;) {
      ws();
      if (stack.length === 0) return i < n ? i : -1;
      const inObject = stack[stack.length - 1] as boolean;
      if (s[i] === ',') {
        i++;
        ws();
        if (inObject && !key()) return i;
        break;
      }
      if (s[i] === (inObject ? '}' : ']')) {
        i++;
        stack.pop();
        continue;
      }
      return i;
    }
  }
}

/** Deepest-first pointer of a node nested deeper than the limit, or undefined. */
function tooDeep(value: unknown, depth: number, pointer: string): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= SBOM_LIMITS.maxJsonDepth) return pointer;
  if (Array.isArray(value)) {
    for (let k = 0; k < value.length; k++) {
      const hit = tooDeep(value[k], depth + 1, `${pointer}/${k}`);
      if (hit !== undefined) return hit;
    }
  } else {
    for (const [k, v] of Object.entries(value)) {
      const hit = tooDeep(v, depth + 1, `${pointer}/${pointerSegment(k)}`);
      if (hit !== undefined) return hit;
    }
  }
  return undefined;
}

/** Parses a whole JSON document within the size and depth limits. */
export function parseJsonDocument(text: string, file: string | undefined): unknown {
  checkSize(text, file);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const m = /at position (\d+)/.exec(message);
    let offset = m ? Number(m[1]) : firstSyntaxErrorOffset(text);
    if (offset < 0) offset = text.length;
    const { line, column } = lineColumnAt(text, offset);
    const reason = message.replace(/, ".*" is not valid JSON$/s, '').replace(/ in JSON at position \d+.*$/s, '');
    const byteOffset = Buffer.byteLength(text.slice(0, offset), 'utf8');
    throw new SbomError('sbom.invalid_json', `not valid JSON: ${reason}`, { file, line, column, byteOffset });
  }
  const deep = tooDeep(value, 0, '');
  if (deep !== undefined) {
    throw new SbomError('sbom.too_deep', `JSON nesting deeper than ${SBOM_LIMITS.maxJsonDepth} levels`, { file, pointer: deep });
  }
  return value;
}
