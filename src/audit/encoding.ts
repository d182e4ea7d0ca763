/**
 * @module The byte encoding of an audit entry, which is its Merkle leaf: the canonical JSON (RFC 8785
 * key order, absent fields omitted; canonicalText below) of {seq, time, actor{kind,id,name,role,ip,
 * requestId}, action, targetType, targetId, before, after, details}, as UTF-8. The text is stored
 * as is, so verification hashes exactly what was written and readers parse exactly what was
 * hashed.
 */
import { invalidInput } from '../core/index.js';
import type { AuditEntry, AuditEntryRecord, AuditEventInput } from './model.js';

/** Entries beyond this are refused: the log is for who-did-what, not for bulk payloads. */
export const MAX_ENTRY_BYTES = 1024 * 1024;

function needsEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}
const quote = (s: string): string => (needsEscape(s) ? JSON.stringify(s) : '"' + s + '"');

/**
 * The audit log's canonical JSON: RFC 8785 (JCS) key order (every object's keys sorted by UTF-16
 * code units, including integer-like keys, which core canonicalJson leaves in JavaScript's
 * integer-first order), numbers and strings as JSON.stringify writes them, undefined, functions
 * and symbols dropped from objects (null in arrays), Dates as ISO strings, a "__proto__" key
 * dropped. Written in one pass: every audited change encodes one entry.
 */
export function canonicalText(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return quote(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object': {
      if (v === null) return 'null';
      if (Array.isArray(v)) {
        let out = '';
        for (let i = 0; i < v.length; i++) out += (i === 0 ? '' : ',') + (canonicalText(v[i]) ?? 'null');
        return '[' + out + ']';
      }
      if (v instanceof Date) return JSON.stringify(v);
      const o = v as Record<string, unknown>;
      let out = '';
      for (const k of Object.keys(o).sort()) {
        if (k === '__proto__') continue;
        const text = canonicalText(o[k]);
        if (text !== undefined) out += (out === '' ? '' : ',') + quote(k) + ':' + text;
      }
      return '{' + out + '}';
    }
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    default:
      return undefined;
  }
}

/** The plain object whose canonical JSON is the leaf (what an independent verifier rebuilds). */
export function leafObject(e: Omit<AuditEntry, 'leafHash'>): Record<string, unknown> {
  const a = e.actor;
  return {
    seq: e.seq,
    time: e.time,
    actor: { kind: a.kind, id: a.id, name: a.name, role: a.role, ip: a.ip, requestId: a.requestId },
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    before: e.before,
    after: e.after,
    details: e.details,
  };
}

/** Appends `"key":<canonical value>` to `out` unless the value is dropped (undefined). */
function member(out: string, key: string, value: unknown): string {
  const text = canonicalText(value);
  return text === undefined ? out : (out === '' ? '"' : out + ',"') + key + '":' + text;
}

/**
 * canonicalText(leafObject(...)) written directly: the entry's and the actor's keys are fixed, so
 * their sorted order is known and only the payloads need the general encoder (every audited
 * change encodes one entry; encoding.test.ts checks both produce the same text).
 */
function entryText(seq: number, time: string, e: AuditEventInput): string {
  const a = e.actor;
  let actor = member('', 'id', a.id);
  actor = member(actor, 'ip', a.ip);
  actor = member(actor, 'kind', a.kind);
  actor = member(actor, 'name', a.name);
  actor = member(actor, 'requestId', a.requestId);
  actor = member(actor, 'role', a.role);
  let out = member('', 'action', e.action);
  out = (out === '' ? '"' : out + ',"') + 'actor":{' + actor + '}';
  out = member(out, 'after', e.after);
  out = member(out, 'before', e.before);
  out = member(out, 'details', e.details);
  out = member(out, 'seq', seq);
  out = member(out, 'targetId', e.targetId);
  out = member(out, 'targetType', e.targetType);
  out = member(out, 'time', time);
  return '{' + out + '}';
}

/** Builds the stored form of a new entry (leafHash left empty for the caller to fill). */
export function recordFromEvent(seq: number, time: string, event: AuditEventInput): AuditEntryRecord {
  if (!event.action || !event.targetType) {
    throw invalidInput('audit.invalid_event', 'an audit event needs an action and a target type', { details: { action: event.action, targetType: event.targetType } });
  }
  const entryJson = entryText(seq, time, event);
  if (entryJson.length > MAX_ENTRY_BYTES) {
    throw invalidInput('audit.entry_too_large', `audit entry for ${event.action} is ${entryJson.length} characters; the limit is ${MAX_ENTRY_BYTES}`);
  }
  return { seq, entryJson, leafHash: '' };
}

/** The entry as readers see it, parsed from the hashed text. */
export function entryFromRecord(r: AuditEntryRecord): AuditEntry {
  try {
    return { ...(JSON.parse(r.entryJson) as Omit<AuditEntry, 'leafHash'>), leafHash: r.leafHash };
  } catch {
    // Only reachable after someone bypassed the database's JSON indexes; verify flags the entry.
    const unreadable = '(unreadable)';
    return { seq: r.seq, time: '', actor: { kind: 'system', id: unreadable, name: unreadable }, action: unreadable, targetType: unreadable, details: { unparseable: r.entryJson }, leafHash: r.leafHash };
  }
}

/** The seq written into the entry text (the last top-level "seq" key; payload keys come before it). */
export function contentSeq(entryJson: string): number | undefined {
  const at = entryJson.lastIndexOf(',"seq":');
  if (at < 0) return undefined;
  const m = /^\d{1,16}/.exec(entryJson.slice(at + 7, at + 24));
  return m ? Number(m[0]) : undefined;
}
