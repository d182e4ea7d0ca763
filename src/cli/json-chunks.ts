/**
 * @module JSON text written out in pieces instead of built whole: the same characters as
 * `JSON.stringify(value, null, indent)`, handed to `write` a chunk at a time. A capture report of
 * 20,000 devices is a 35 MB string (and as much again as the Buffer written to stdout), so printing
 * it whole doubled the memory the analysis itself needed. The outer arrays and objects are walked
 * here, down to `streamDepth`, and long arrays at any depth (the devices of an ingest result); any
 * other value, or run of array elements, is one JSON.stringify call (a device: a few KB) made at its
 * own indentation, so escaping, number formatting and the rest are exactly those of JSON.stringify,
 * and so nearly is the speed (a 34 MB report: 97-130 ms, as JSON.stringify takes).
 */

export interface JsonChunkOptions {
  /** spaces per level, as JSON.stringify's third argument (default 2; 0 for compact) */
  indent?: number;
  /** characters gathered before `write` is called (default 65,536) */
  chunkSize?: number;
  /** nesting levels walked here, whatever their size (default 2: a report and its lists) */
  streamDepth?: number;
  /** deeper than that, arrays longer than this are walked too (default 64); other values are stringified whole */
  streamLength?: number;
}

type Holder = Record<string, unknown> | unknown[];

/** array elements stringified together when none of them needs walking */
const RUN = 32;

/**
 * Writes `value` as JSON.stringify(value, null, indent) would spell it, in chunks. Returns false
 * (writing nothing) where JSON.stringify returns undefined: undefined, a function or a symbol.
 * Throws what JSON.stringify throws (a cycle, a BigInt), possibly after some chunks were written.
 */
export function writeJsonChunks(value: unknown, write: (chunk: string) => void, opts: JsonChunkOptions = {}): boolean {
  const chunks = jsonChunks(value, opts);
  for (;;) {
    const next = chunks.next();
    if (next.done) return next.value;
    write(next.value);
  }
}

/**
 * The chunks writeJsonChunks writes, one at a time: a caller writing to a stream can wait for it to
 * drain between two (the generator's return value is writeJsonChunks's).
 */
export function* jsonChunks(value: unknown, opts: JsonChunkOptions = {}): Generator<string, boolean, undefined> {
  const indent = ' '.repeat(Math.max(0, Math.min(10, Math.floor(opts.indent ?? 2))));
  const chunkSize = opts.chunkSize ?? 65_536;
  const streamDepth = opts.streamDepth ?? 2;
  const streamLength = opts.streamLength ?? 64;
  const open: object[] = [];
  let buf = '';
  function* out(s: string): Generator<string, void, undefined> {
    buf += s;
    if (buf.length >= chunkSize) {
      const chunk = buf;
      buf = '';
      yield chunk;
    }
  }

  /** The value JSON.stringify would serialise for holder[key] (after its toJSON), and whether toJSON made it. */
  const resolve = (holder: Holder, key: string): { value: unknown; converted: boolean } => {
    let v = (holder as Record<string, unknown>)[key];
    let converted = false;
    if ((typeof v === 'object' && v !== null) || typeof v === 'bigint') {
      const toJSON = (v as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') {
        v = (toJSON as (k: string) => unknown).call(v, key);
        converted = true;
      }
    }
    return { value: v, converted };
  };

  const skipped = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';
  /** Long enough to be walked rather than stringified whole. */
  const long = (v: unknown): boolean => Array.isArray(v) && v.length > streamLength;
  /** JSON.stringify would write it as walking it here would: nothing to walk and no toJSON to call with its index. */
  const plain = (v: unknown): boolean =>
    !(((typeof v === 'object' && v !== null) || typeof v === 'bigint') && (typeof (v as { toJSON?: unknown }).toJSON === 'function' || long(v)));

  /**
   * JSON.stringify(v, null, indent) as it reads at nesting `level`: v wrapped in `level` arrays, so
   * that one native call indents every line, and the wrappers cut off again.
   */
  const stringifyAt = (v: unknown, level: number): string => {
    if (level === 0 || indent === '') return JSON.stringify(v, null, indent);
    let wrapped: unknown = v;
    for (let k = 0; k < level; k++) wrapped = [wrapped];
    const text = JSON.stringify(wrapped, null, indent);
    // "[\n" + indentation before each level going in, "\n" + indentation + "]" after each coming out
    const head = 2 * level + (indent.length * level * (level + 1)) / 2;
    const tail = 2 * level + (indent.length * level * (level - 1)) / 2;
    return text.slice(head, text.length - tail);
  };

  /** Writes a resolved value at nesting `depth` (prefix = its line's indentation). */
  function* emit(v: unknown, converted: boolean, depth: number, prefix: string): Generator<string, void, undefined> {
    if (typeof v !== 'object' || v === null || v instanceof Number || v instanceof String || v instanceof Boolean || v instanceof BigInt) {
      yield* out(JSON.stringify(v));
      return;
    }
    // toJSON was applied here, so the result is walked (JSON.stringify would call its toJSON again)
    if (depth >= streamDepth && !converted && !long(v)) {
      yield* out(stringifyAt(v, depth));
      return;
    }
    if (open.includes(v)) throw new TypeError('Converting circular structure to JSON');
    open.push(v);
    const inner = prefix + indent;
    const sep = indent === '' ? ',' : `,\n${inner}`;
    const first = indent === '' ? '' : `\n${inner}`;
    const last = indent === '' ? '' : `\n${prefix}`;
    if (Array.isArray(v)) {
      if (v.length === 0) yield* out('[]');
      else {
        yield* out('[');
        for (let i = 0; i < v.length; ) {
          const end = Math.min(v.length, i + RUN);
          let plainRun = depth + 1 >= streamDepth;
          for (let j = i; plainRun && j < end; j++) plainRun = plain(v[j]);
          if (plainRun) {
            // RUN elements in one JSON.stringify call: "[\n<inner>a,\n<inner>b\n<prefix>]" less its brackets
            const text = stringifyAt(v.slice(i, end), depth);
            yield* out(`${i > 0 ? ',' : ''}${text.slice(1, text.length - last.length - 1)}`);
            i = end;
            continue;
          }
          yield* out(i > 0 ? sep : first);
          const item = resolve(v, String(i));
          if (skipped(item.value)) yield* out('null');
          else yield* emit(item.value, item.converted, depth + 1, inner);
          i++;
        }
        yield* out(`${last}]`);
      }
    } else {
      const colon = indent === '' ? ':' : ': ';
      let written = 0;
      for (const k of Object.keys(v)) {
        const member = resolve(v as Record<string, unknown>, k);
        // members whose value is undefined, a function or a symbol are left out, as JSON.stringify does
        if (skipped(member.value)) continue;
        yield* out(`${written++ === 0 ? `{${first}` : sep}${JSON.stringify(k)}${colon}`);
        yield* emit(member.value, member.converted, depth + 1, inner);
      }
      yield* out(written === 0 ? '{}' : `${last}}`);
    }
    open.pop();
  }

  const top = resolve({ '': value }, '');
  if (skipped(top.value)) return false;
  yield* emit(top.value, top.converted, 0, '');
  if (buf.length > 0) yield buf;
  return true;
}
