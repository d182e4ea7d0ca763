/**
 * @module Finds where a JSON text stops being valid, so a malformed request body can be answered
 * with a line, column and byte offset instead of the engine's message (which may quote the body).
 * Only called after JSON.parse has failed. Pure, iterative (no recursion on nesting depth), linear
 * in the input length, and it never throws.
 */

export interface JsonSyntaxError {
  /** character (UTF-16 code unit) offset of the first offending character */
  offset: number;
  /** UTF-8 byte offset of the same position */
  byteOffset: number;
  line: number;
  column: number;
  reason: string;
}

type State = 'value' | 'value_or_end' | 'key' | 'key_or_end' | 'colon' | 'after_value';

const isWs = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHex = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

/** null when `text` is valid JSON, else where and why it is not. */
export function locateJsonSyntaxError(text: string): JsonSyntaxError | null {
  const fail = (offset: number, reason: string): JsonSyntaxError => position(text, offset, reason);
  const stack: number[] = [];
  let state: State = 'value';
  let i = 0;
  const n = text.length;

  for (;;) {
    while (i < n && isWs(text.charCodeAt(i))) i++;
    if (i >= n) {
      return state === 'after_value' && stack.length === 0 ? null : fail(n, 'unexpected end of input');
    }
    const c = text.charCodeAt(i);
    switch (state) {
      case 'value_or_end':
      case 'value': {
        if (state === 'value_or_end' && c === 0x5d) {
          stack.pop();
          i++;
          state = 'after_value';
          break;
        }
        if (c === 0x7b) {
          stack.push(0x7b);
          i++;
          state = 'key_or_end';
        } else if (c === 0x5b) {
          stack.push(0x5b);
          i++;
          state = 'value_or_end';
        } else {
          const end = c === 0x22 ? scanString(text, i) : c === 0x2d || isDigit(c) ? scanNumber(text, i) : scanLiteral(text, i);
          if (typeof end !== 'number') return fail(end.at, end.reason);
          i = end;
          state = 'after_value';
        }
        break;
      }
      case 'key_or_end':
      case 'key': {
        if (state === 'key_or_end' && c === 0x7d) {
          stack.pop();
          i++;
          state = 'after_value';
          break;
        }
        if (c !== 0x22) return fail(i, 'expected a double-quoted property name');
        const end = scanString(text, i);
        if (typeof end !== 'number') return fail(end.at, end.reason);
        i = end;
        state = 'colon';
        break;
      }
      case 'colon':
        if (c !== 0x3a) return fail(i, "expected ':' after a property name");
        i++;
        state = 'value';
        break;
      case 'after_value': {
        const top = stack[stack.length - 1];
        if (top === undefined) return fail(i, 'unexpected content after the JSON value');
        if (c === 0x2c) {
          i++;
          state = top === 0x7b ? 'key' : 'value';
        } else if ((top === 0x7b && c === 0x7d) || (top === 0x5b && c === 0x5d)) {
          stack.pop();
          i++;
        } else {
          return fail(i, top === 0x7b ? "expected ',' or '}' in an object" : "expected ',' or ']' in an array");
        }
        break;
      }
    }
  }
}

interface ScanError {
  at: number;
  reason: string;
}

function scanString(text: string, start: number): number | ScanError {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22) return i + 1;
    if (c < 0x20) return { at: i, reason: 'control character inside a string' };
    if (c === 0x5c) {
      const e = text.charCodeAt(i + 1);
      if (e === 0x75) {
        for (let k = 2; k < 6; k++) if (!isHex(text.charCodeAt(i + k))) return { at: Math.min(i + k, text.length), reason: 'invalid \\u escape' };
        i += 6;
        continue;
      }
      if ([0x22, 0x5c, 0x2f, 0x62, 0x66, 0x6e, 0x72, 0x74].includes(e)) {
        i += 2;
        continue;
      }
      return { at: Math.min(i + 1, text.length), reason: 'invalid escape in a string' };
    }
    i++;
  }
  return { at: text.length, reason: 'unterminated string' };
}

function scanNumber(text: string, start: number): number | ScanError {
  let i = start;
  if (text.charCodeAt(i) === 0x2d) i++;
  if (text.charCodeAt(i) === 0x30) i++;
  else if (isDigit(text.charCodeAt(i))) while (isDigit(text.charCodeAt(i))) i++;
  else return { at: i, reason: 'invalid number' };
  if (text.charCodeAt(i) === 0x2e) {
    i++;
    if (!isDigit(text.charCodeAt(i))) return { at: i, reason: 'invalid number' };
    while (isDigit(text.charCodeAt(i))) i++;
  }
  const e = text.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    const s = text.charCodeAt(i);
    if (s === 0x2b || s === 0x2d) i++;
    if (!isDigit(text.charCodeAt(i))) return { at: i, reason: 'invalid number' };
    while (isDigit(text.charCodeAt(i))) i++;
  }
  return i;
}

function scanLiteral(text: string, start: number): number | ScanError {
  for (const word of ['true', 'false', 'null']) {
    if (text.startsWith(word, start)) return start + word.length;
  }
  for (const word of ['true', 'false', 'null']) {
    if (word[0] === text[start]) {
      let k = 1;
      while (k < word.length && text[start + k] === word[k]) k++;
      return { at: start + k, reason: `invalid literal (expected ${word})` };
    }
  }
  return { at: start, reason: 'unexpected character' };
}

function position(text: string, offset: number, reason: string): JsonSyntaxError {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, byteOffset: Buffer.byteLength(text.slice(0, offset), 'utf8'), line, column: offset - lineStart + 1, reason };
}
