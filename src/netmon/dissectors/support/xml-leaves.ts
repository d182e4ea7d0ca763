/**
 * @module A bounded reader of the leaf elements of a small XML document (UPnP device descriptions and
 * similar flat documents): each element without child elements becomes a leaf with its path of local
 * names, the id of its parent element (to tell sibling records apart) and its decoded text.
 *
 * Why not an XML library: the input is untrusted bytes from the wire and we need a handful of leaf values,
 * not a DOM. A hand-written single pass with `indexOf` scans keeps time linear in the input (no regex
 * backtracking), never resolves entities beyond the five predefined ones and character references
 * (no DTD processing, so no external entities or entity expansion bombs), bounds depth, leaf count and
 * text length, and tolerates a document cut short (the HTTP dissector keeps only a prefix of a body).
 * Nothing else is needed, and package.json could not take a dependency here.
 *
 * Tolerated: namespace prefixes (paths use local names; the root element's namespace is resolved from
 * xmlns declarations), comments, processing instructions, CDATA, a DOCTYPE without an internal subset.
 * Rejected with a typed error (code netmon.xml.<reason>, byte offset = character index): mismatched or
 * malformed tags, an internal DTD subset, nesting deeper than the bound.
 */
import { DissectorError } from '../errors.js';
import { cleanText } from './text.js';

export interface XmlLeaf {
  /** local names from the root element down to this leaf, e.g. ["root", "device", "friendlyName"] */
  path: readonly string[];
  /** id of the parent element (elements are numbered in document order from 0) */
  parent: number;
  /** decoded text, control characters replaced, at most `maxText` characters */
  text: string;
}

export interface XmlLeaves {
  /** local name of the root element ('' when no element started) */
  rootName: string;
  /** namespace URI of the root element ('' when none) */
  rootNamespace: string;
  leaves: XmlLeaf[];
  /** false when the input ended inside the document or a bound stopped reading early */
  complete: boolean;
}

export interface XmlLeavesOptions {
  /** default 32 */
  maxDepth?: number;
  /** default 512 */
  maxLeaves?: number;
  /** characters kept of one leaf's text; default 512 */
  maxText?: number;
}

const MAX_TAG = 4096;
const NAME_END = new Set([' ', '\t', '\r', '\n', '/', '>']);
const BAD_NAME_CHAR = /[<>&"'=]/;

interface Frame {
  qname: string;
  local: string;
  id: number;
  hasChildren: boolean;
  text: string;
  /** prefix ('' = default) -> namespace declared on this element */
  ns: Map<string, string> | undefined;
}

export class XmlLeavesError extends DissectorError {
  constructor(reason: string, message: string, offset: number) {
    super('xml', reason, message, offset);
    this.name = 'XmlLeavesError';
  }
}

const fail = (reason: string, message: string, at: number): never => {
  throw new XmlLeavesError(reason, message, at);
};

export function readXmlLeaves(s: string, opts: XmlLeavesOptions = {}): XmlLeaves {
  const maxDepth = opts.maxDepth ?? 32;
  const maxLeaves = opts.maxLeaves ?? 512;
  const maxText = opts.maxText ?? 512;
  // raw text kept per element before decoding: room for entities that shrink when decoded
  const maxRaw = maxText * 8;
  const out: XmlLeaves = { rootName: '', rootNamespace: '', leaves: [], complete: false };
  const stack: Frame[] = [];
  let nextId = 0;
  let pos = 0;
  const addText = (raw: string, cdata: boolean): void => {
    const top = stack[stack.length - 1];
    if (!top || top.hasChildren || top.text.length >= maxRaw) return;
    // CDATA is literal: escape its ampersands so the one decoding pass leaves them as they were
    const t = cdata ? raw.replaceAll('&', '&amp;') : raw;
    top.text += t.length > maxRaw - top.text.length ? t.slice(0, maxRaw - top.text.length) : t;
  };
  while (pos < s.length) {
    const lt = s.indexOf('<', pos);
    if (lt < 0) {
      addText(s.slice(pos), false);
      break;
    }
    if (lt > pos) addText(s.slice(pos, lt), false);
    if (s.startsWith('<!--', lt)) {
      const end = s.indexOf('-->', lt + 4);
      if (end < 0) break;
      pos = end + 3;
    } else if (s.startsWith('<![CDATA[', lt)) {
      const end = s.indexOf(']]>', lt + 9);
      addText(s.slice(lt + 9, end < 0 ? s.length : end), true);
      if (end < 0) break;
      pos = end + 3;
    } else if (s.startsWith('<?', lt)) {
      const end = s.indexOf('?>', lt + 2);
      if (end < 0) break;
      pos = end + 2;
    } else if (s.startsWith('<!', lt)) {
      // the input ends inside "<![CDATA[" itself
      if (s.length - lt < 9 && '<![CDATA['.startsWith(s.slice(lt))) break;
      const end = s.indexOf('>', lt + 2);
      if (s.slice(lt + 2, end < 0 ? s.length : end).includes('[')) fail('dtd-not-supported', 'internal DTD subsets (entity declarations) are not read', lt);
      if (end < 0) break;
      pos = end + 1;
    } else if (s[lt + 1] === '/') {
      const end = s.indexOf('>', lt + 2);
      if (end < 0) break;
      const name = s.slice(lt + 2, end).trim();
      const top = stack.pop();
      if (!top || top.qname !== name) fail('mismatched-end-tag', `end tag </${name.slice(0, 64)}> does not close ${top ? `<${top.qname}>` : 'any element'}`, lt);
      if (!top!.hasChildren) {
        out.leaves.push({ path: [...stack.map((f) => f.local), top!.local], parent: stack[stack.length - 1]?.id ?? -1, text: decodeText(top!.text, maxText) });
        if (out.leaves.length >= maxLeaves) return out;
      }
      pos = end + 1;
      if (stack.length === 0) {
        out.complete = true;
        return out;
      }
    } else {
      const gt = tagEnd(s, lt + 1);
      if (gt < 0) {
        if (s.length - lt > MAX_TAG) fail('tag-too-long', `a tag longer than ${MAX_TAG} characters`, lt);
        break;
      }
      if (gt - lt > MAX_TAG) fail('tag-too-long', `a tag longer than ${MAX_TAG} characters`, lt);
      const selfClosing = s[gt - 1] === '/';
      const body = s.slice(lt + 1, selfClosing ? gt - 1 : gt);
      const { qname, ns } = startTag(body, lt);
      if (stack.length >= maxDepth) fail('too-deep', `elements nested deeper than ${maxDepth}`, lt);
      const parent = stack[stack.length - 1];
      if (parent) parent.hasChildren = true;
      const colon = qname.indexOf(':');
      const frame: Frame = { qname, local: colon < 0 ? qname : qname.slice(colon + 1), id: nextId++, hasChildren: false, text: '', ns };
      if (stack.length === 0) {
        out.rootName = frame.local;
        out.rootNamespace = ns?.get(colon < 0 ? '' : qname.slice(0, colon)) ?? '';
      }
      pos = gt + 1;
      if (selfClosing) {
        out.leaves.push({ path: [...stack.map((f) => f.local), frame.local], parent: parent?.id ?? -1, text: '' });
        if (out.leaves.length >= maxLeaves) return out;
        if (stack.length === 0) {
          out.complete = true;
          return out;
        }
      } else {
        stack.push(frame);
      }
    }
  }
  return out;
}

/** index of the '>' ending the tag whose name starts at `from`, skipping quoted attribute values; -1 if absent */
function tagEnd(s: string, from: number): number {
  let quote = '';
  const limit = Math.min(s.length, from + MAX_TAG + 1);
  for (let i = from; i < limit; i++) {
    const c = s[i];
    if (quote !== '') {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return i;
    } else if (c === '<') {
      fail('bad-tag', "'<' inside a tag", i);
    }
  }
  return limit < s.length ? limit : -1;
}

/** element name and namespace declarations of a start tag's inside ("u:root xmlns:u='...' a='1'") */
function startTag(body: string, at: number): { qname: string; ns: Map<string, string> | undefined } {
  let i = 0;
  while (i < body.length && !NAME_END.has(body[i] as string)) i++;
  const qname = body.slice(0, i);
  if (qname.length === 0 || BAD_NAME_CHAR.test(qname)) fail('bad-tag', 'a start tag without a valid element name', at);
  let ns: Map<string, string> | undefined;
  while (i < body.length) {
    while (i < body.length && isSpace(body[i] as string)) i++;
    if (i >= body.length) break;
    const nameStart = i;
    while (i < body.length && body[i] !== '=' && !isSpace(body[i] as string)) i++;
    const name = body.slice(nameStart, i);
    while (i < body.length && isSpace(body[i] as string)) i++;
    if (body[i] !== '=' || name.length === 0 || BAD_NAME_CHAR.test(name)) fail('bad-attribute', `malformed attribute in <${qname.slice(0, 64)}>`, at);
    i++;
    while (i < body.length && isSpace(body[i] as string)) i++;
    const q = body[i];
    if (q !== '"' && q !== "'") fail('bad-attribute', `unquoted attribute value in <${qname.slice(0, 64)}>`, at);
    const close = body.indexOf(q as string, i + 1);
    if (close < 0) fail('bad-attribute', `unterminated attribute value in <${qname.slice(0, 64)}>`, at);
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      ns ??= new Map();
      ns.set(name === 'xmlns' ? '' : name.slice(6), decodeText(body.slice(i + 1, close), 512));
    }
    i = close + 1;
  }
  return { qname, ns };
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';

const NAMED: ReadonlyMap<string, string> = new Map([['amp', '&'], ['lt', '<'], ['gt', '>'], ['quot', '"'], ['apos', "'"]]);

/** the five predefined entities and numeric character references; anything else stays as written */
export function decodeEntities(raw: string): string {
  if (!raw.includes('&')) return raw;
  let out = '';
  let pos = 0;
  while (pos < raw.length) {
    const amp = raw.indexOf('&', pos);
    if (amp < 0) {
      out += raw.slice(pos);
      break;
    }
    out += raw.slice(pos, amp);
    // a reference is short: look for its ';' only nearby, so many bare '&' stay linear
    const semi = raw.slice(amp + 1, amp + 13).indexOf(';') + amp + 1;
    const ref = semi === amp ? undefined : raw.slice(amp + 1, semi);
    const decoded = ref === undefined ? undefined : (NAMED.get(ref) ?? charRef(ref));
    if (decoded === undefined) {
      out += '&';
      pos = amp + 1;
    } else {
      out += decoded;
      pos = semi + 1;
    }
  }
  return out;
}

function charRef(ref: string): string | undefined {
  const hex = /^#[xX][0-9a-fA-F]{1,8}$/.test(ref);
  if (!hex && !/^#[0-9]{1,9}$/.test(ref)) return undefined;
  const cp = hex ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
  // XML 1.0 Char production: no NUL, no surrogates, nothing past U+10FFFF
  const valid = cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) && cp !== 0xfffe && cp !== 0xffff;
  return valid ? String.fromCodePoint(cp) : '\ufffd';
}

function decodeText(raw: string, max: number): string {
  return cleanText(decodeEntities(raw).trim(), max);
}

export const isXmlLeavesError = (e: unknown): e is XmlLeavesError => e instanceof XmlLeavesError;
