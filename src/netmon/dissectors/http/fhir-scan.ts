/**
 * @module The byte scanner behind fhir-body.ts: one linear pass over a FHIR JSON prefix that knows
 * strings and their escapes and tracks the path of keys to depth 64 (deeper containers only counted),
 * so that `entry[i].resource.resourceType` is told from a `resourceType` in a string or deeper inside.
 * Never throws: a cut or malformed prefix ends the pass with what was read.
 */

export const BUNDLE_TYPES = ['document', 'message', 'transaction', 'transaction-response', 'batch', 'batch-response', 'history', 'searchset', 'collection', 'subscription-notification'] as const;
export type BundleType = (typeof BUNDLE_TYPES)[number];
export const ENTRY_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'] as const;
export type EntryMethod = (typeof ENTRY_METHODS)[number];

export interface FhirBodySummary {
  /** the body opens with a JSON object (after an optional BOM and whitespace) */
  object: boolean;
  /** the top-level resourceType; null when not seen in the prefix (or not a type name) */
  resourceType: string | null;
  bundleType: BundleType | null;
  /** objects seen in the top-level `entry` array */
  entries: number;
  /** distinct entry[].resource.resourceType, and the types transaction/batch entries without a resource name in request.url (at most 16) */
  resourceTypes: string[];
  /** distinct types of resources nested deeper: contained in an entry's resource, a nested Bundle's entries, Parameters (at most 16) */
  nestedTypes: string[];
  /** more distinct types were seen than listed */
  typesOverflow: boolean;
  /** entry[].request.method counted */
  methods: Partial<Record<EntryMethod, number>>;
  /** a type seen (listed or not; the top-level one unless Bundle) satisfied the `matches` option */
  matched: boolean;
  /** the top-level object ended within the prefix, well-formed up to there */
  complete: boolean;
}

const MAX_DEPTH = 64;
const MAX_TYPES = 16;
/** characters of a key or value captured: enough for any key, type name or method of interest */
const MAX_CAPTURE = 64;
const TYPE_NAME = /^[A-Z][A-Za-z]{1,63}$/;

// the roles of a container: what its keys or elements mean
const TOP = 0;
const ENTRIES = 1;
const ENTRY = 2;
const RESOURCE = 3;
const REQUEST = 4;
const OTHER = 5;
// keys that matter in some role
const K_OTHER = 0;
const K_RESOURCE_TYPE = 1;
const K_TYPE = 2;
const K_ENTRY = 3;
const K_RESOURCE = 4;
const K_REQUEST = 5;
const K_METHOD = 6;
const K_URL = 7;
// a Map, not an object literal: a key such as "constructor" must not find Object.prototype
const KEYS = new Map([['resourceType', K_RESOURCE_TYPE], ['type', K_TYPE], ['entry', K_ENTRY], ['resource', K_RESOURCE], ['request', K_REQUEST], ['method', K_METHOD], ['url', K_URL]]);
// what a container waits for next
const FIRST = 0; // after `{` or `[`: a key (object) or value (array), or the end
const KEY = 1;
const COLON = 2;
const VALUE = 3;
const NEXT = 4; // `,` or the end

/** distinct type names, the first 16 listed */
class TypeSet {
  readonly list: string[] = [];
  overflow = false;
  matched = false;
  constructor(private readonly matches: (t: string) => boolean) {}
  add(t: string): void {
    if (!this.matched && this.matches(t)) this.matched = true;
    if (this.list.includes(t)) return;
    if (this.list.length < MAX_TYPES) this.list.push(t);
    else this.overflow = true;
  }
}

export class Scanner {
  private readonly roles = new Uint8Array(MAX_DEPTH);
  /** 1: the container is an array */
  private readonly arrays = new Uint8Array(MAX_DEPTH);
  private readonly states = new Uint8Array(MAX_DEPTH);
  private readonly keys = new Uint8Array(MAX_DEPTH);
  private depth = 0;
  /** containers open past MAX_DEPTH: only their brackets are counted */
  private skip = 0;
  /** the string just read: its first characters (escapes decoded), `long` when it went on (or left ASCII) */
  private text = '';
  private long = false;
  private resourceType: string | null = null;
  private bundleType: BundleType | null = null;
  private entries = 0;
  private readonly entryTypes: TypeSet;
  private readonly urlTypes: TypeSet;
  private readonly nested: TypeSet;
  private readonly methods: Partial<Record<EntryMethod, number>> = {};
  /** the entry being read: whether its resource's type was seen, and the type its request.url names */
  private inEntry = false;
  private entryTyped = false;
  private entryUrlType: string | null = null;
  private complete = false;

  constructor(
    private readonly b: Uint8Array,
    private readonly matches: (t: string) => boolean,
  ) {
    this.entryTypes = new TypeSet(matches);
    this.urlTypes = new TypeSet(matches);
    this.nested = new TypeSet(matches);
  }

  run(): boolean {
    const b = this.b;
    let i = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
    while (i < b.length && isSpace(b[i] as number)) i++;
    if (b[i] !== 0x7b) return false;
    this.push(TOP, true);
    i++;
    while (i < b.length) {
      const c = b[i] as number;
      if (isSpace(c)) {
        i++;
        continue;
      }
      const next = this.skip > 0 ? this.skipped(c, i) : this.step(c, i);
      if (next < 0) return true;
      i = next;
    }
    return true;
  }

  /** one token in a tracked container; the index after it, or -1 to stop (the end, a fault, a cut) */
  private step(c: number, i: number): number {
    const f = this.depth - 1;
    const state = this.states[f] as number;
    const isArray = this.arrays[f] === 1;
    if (state === NEXT) {
      if (c === 0x2c) {
        this.states[f] = isArray ? VALUE : KEY;
        return i + 1;
      }
      return c === (isArray ? 0x5d : 0x7d) ? this.close(i) : -1;
    }
    if (!isArray && state !== VALUE) {
      if (state === COLON) {
        if (c !== 0x3a) return -1;
        this.states[f] = VALUE;
        return i + 1;
      }
      if (state === FIRST && c === 0x7d) return this.close(i);
      if (c !== 0x22) return -1;
      const end = this.string(i + 1, true);
      if (end < 0) return -1;
      this.keys[f] = this.long ? K_OTHER : (KEYS.get(this.text) ?? K_OTHER);
      this.states[f] = COLON;
      return end;
    }
    if (isArray && state === FIRST && c === 0x5d) return this.close(i);
    return this.value(c, i, f);
  }

  /** a value in container `f` (after a key's colon, or an array element) */
  private value(c: number, i: number, f: number): number {
    const role = this.roles[f] as number;
    const key = this.keys[f] as number;
    this.states[f] = NEXT;
    if (c === 0x7b || c === 0x5b) {
      const object = c === 0x7b;
      let child = OTHER;
      if (role === TOP && key === K_ENTRY && !object) child = ENTRIES;
      else if (role === ENTRIES && object) child = ENTRY;
      else if (role === ENTRY && key === K_RESOURCE && object) child = RESOURCE;
      else if (role === ENTRY && key === K_REQUEST && object) child = REQUEST;
      if (child === ENTRY) this.beginEntry();
      if (this.depth >= MAX_DEPTH) this.skip = 1;
      else this.push(child, object);
      return i + 1;
    }
    if (c === 0x22) {
      const wanted =
        key === K_RESOURCE_TYPE ? role === TOP || role === RESOURCE || role === OTHER : (role === TOP && key === K_TYPE) || (role === REQUEST && (key === K_METHOD || key === K_URL));
      const end = this.string(i + 1, wanted);
      if (end < 0) return -1;
      if (wanted) this.scalar(role, key);
      return end;
    }
    // a number, true, false or null: its characters, not checked further
    let j = i;
    while (j < this.b.length && isLiteral(this.b[j] as number)) j++;
    return j === i ? -1 : j;
  }

  /** a string value the path says something of, in this.text */
  private scalar(role: number, key: number): void {
    const t = this.text;
    if (key === K_RESOURCE_TYPE) {
      if (this.long || !TYPE_NAME.test(t)) return;
      if (role === TOP) this.resourceType = t;
      else if (role === RESOURCE) {
        this.entryTypes.add(t);
        this.entryTyped = true;
      } else this.nested.add(t);
    } else if (key === K_TYPE) {
      if (!this.long) this.bundleType = (BUNDLE_TYPES as readonly string[]).includes(t) ? (t as BundleType) : null;
    } else if (key === K_METHOD) {
      const m = !this.long && (ENTRY_METHODS as readonly string[]).includes(t) ? (t as EntryMethod) : undefined;
      if (m) this.methods[m] = (this.methods[m] ?? 0) + 1;
    } else {
      this.entryUrlType = urlType(t, this.long);
    }
  }

  /** inside containers past the depth bound: strings are skipped whole so their brackets do not count */
  private skipped(c: number, i: number): number {
    if (c === 0x22) return this.string(i + 1, false);
    if (c === 0x7b || c === 0x5b) this.skip++;
    else if (c === 0x7d || c === 0x5d) this.skip--;
    return i + 1;
  }

  private push(role: number, object: boolean): void {
    this.roles[this.depth] = role;
    this.arrays[this.depth] = object ? 0 : 1;
    this.states[this.depth] = FIRST;
    this.keys[this.depth] = K_OTHER;
    this.depth++;
  }

  private close(i: number): number {
    if (this.roles[this.depth - 1] === ENTRY) this.endEntry();
    this.depth--;
    if (this.depth > 0) return i + 1;
    this.complete = true;
    return -1;
  }

  private beginEntry(): void {
    this.entries++;
    this.inEntry = true;
    this.entryTyped = false;
    this.entryUrlType = null;
  }

  private endEntry(): void {
    if (this.inEntry && !this.entryTyped && this.entryUrlType !== null) this.urlTypes.add(this.entryUrlType);
    this.inEntry = false;
  }

  /**
   * Reads a string from `i` (after its opening quote); with `capture` its first characters go to
   * this.text. The index after the closing quote, or -1 (cut, a control character, a bad escape).
   */
  private string(i: number, capture: boolean): number {
    const b = this.b;
    let text = '';
    let long = !capture;
    while (i < b.length) {
      const c = b[i] as number;
      if (c === 0x22) {
        this.text = text;
        this.long = long;
        return i + 1;
      }
      if (c < 0x20) return -1;
      let ch = c;
      if (c === 0x5c) {
        const e = b[i + 1];
        if (e === undefined) return -1;
        if (e === 0x75) {
          if (i + 6 > b.length) return -1;
          ch = 0;
          for (let k = i + 2; k < i + 6; k++) {
            const h = hexValue(b[k] as number);
            if (h < 0) return -1;
            ch = ch * 16 + h;
          }
          i += 6;
        } else {
          const s = ESCAPES.get(e);
          if (s === undefined) return -1;
          ch = s;
          i += 2;
        }
      } else {
        i++;
      }
      if (long) continue;
      // only ASCII names matter: a string leaving ASCII, or too long, matches none
      if (ch >= 0x80 || text.length >= MAX_CAPTURE) long = true;
      else text += String.fromCharCode(ch);
    }
    return -1;
  }

  summary(object: boolean): FhirBodySummary {
    this.endEntry();
    const rt = this.resourceType;
    // entries are a Bundle's (or, before resourceType was seen, taken as one); another resource's
    // `entry` (List) holds no resources of its own, its resources are nested ones
    const bundle = rt === null || rt === 'Bundle';
    const withUrls = bundle && (this.bundleType === null || this.bundleType === 'transaction' || this.bundleType === 'batch');
    const types = new TypeSet(() => false);
    for (const t of this.entryTypes.list) types.add(t);
    if (withUrls) for (const t of this.urlTypes.list) types.add(t);
    const nested = bundle ? this.nested : mergeInto(this.nested, types);
    const overflow = types.overflow || nested.overflow || this.entryTypes.overflow || this.nested.overflow || (withUrls && this.urlTypes.overflow);
    return {
      object,
      resourceType: rt,
      bundleType: bundle ? this.bundleType : null,
      entries: bundle ? this.entries : 0,
      resourceTypes: bundle ? types.list : [],
      nestedTypes: nested.list,
      typesOverflow: overflow,
      methods: bundle ? this.methods : {},
      matched: this.entryTypes.matched || this.nested.matched || (withUrls && this.urlTypes.matched) || (rt !== null && !bundle && this.matches(rt)),
      complete: this.complete,
    };
  }
}

/** `into`'s types, then `from`'s: the first 16 listed */
function mergeInto(into: TypeSet, from: TypeSet): TypeSet {
  const out = new TypeSet(() => false);
  for (const t of into.list) out.add(t);
  for (const t of from.list) out.add(t);
  return out;
}

const ESCAPES = new Map([
  [0x22, 0x22],
  [0x5c, 0x5c],
  [0x2f, 0x2f],
  [0x62, 0x08],
  [0x66, 0x0c],
  [0x6e, 0x0a],
  [0x72, 0x0d],
  [0x74, 0x09],
]);

const hexValue = (c: number): number => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1);
export const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
/** characters of a number or of true/false/null */
const isLiteral = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x2d || c === 0x2b || c === 0x2e;

/** the resource type a relative request.url names first (`Patient/1`, `Patient?identifier=…`), or null */
function urlType(url: string, long: boolean): string | null {
  const u = url.startsWith('/') ? url.slice(1) : url;
  const end = u.search(/[/?]/);
  // a name running to the end of a string cut short may be cut too
  if (end < 0 && long) return null;
  const t = end < 0 ? u : u.slice(0, end);
  return TYPE_NAME.test(t) ? t : null;
}
