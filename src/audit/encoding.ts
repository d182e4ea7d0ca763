/**
 * @module The byte encoding of an audit entry, which is its Merkle leaf: the canonical JSON (keys
 * sorted, absent fields omitted; core canonicalJson) of {seq, time, actor{kind,id,name,role,ip,
 * requestId}, action, targetType, targetId, before, after, details}, as UTF-8. The text is stored
 * as is, so verification hashes exactly what was written and readers parse exactly what was
 * hashed. A few fields are also stored as columns for filtering; because the keys are sorted, the
 * text starts with action and actor id and ends with seq, targetId, targetType and time, so those
 * copies can be checked against it without parsing.
 */
import { canonicalJson, invalidInput } from '../core/index.js';
import type { AuditActor, AuditEntry, AuditEntryRecord, AuditEventInput } from './model.js';

/** Entries beyond this are refused: the log is for who-did-what, not for bulk payloads. */
export const MAX_ENTRY_BYTES = 1024 * 1024;

// Strings needing no escape are quoted by hand: verification quotes five per entry.
function needsEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}
const q = (s: string): string => (needsEscape(s) ? JSON.stringify(s) : '"' + s + '"');

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

/** Builds the stored form of a new entry (leafHash left empty for the caller to fill). */
export function recordFromEvent(seq: number, time: string, event: AuditEventInput): AuditEntryRecord {
  if (!event.action || !event.targetType) {
    throw invalidInput('audit.invalid_event', 'an audit event needs an action and a target type', { details: { action: event.action, targetType: event.targetType } });
  }
  const entryJson = canonicalJson(leafObject({ seq, time, ...event }));
  if (entryJson.length > MAX_ENTRY_BYTES) {
    throw invalidInput('audit.entry_too_large', `audit entry for ${event.action} is ${entryJson.length} characters; the limit is ${MAX_ENTRY_BYTES}`);
  }
  return { seq, entryJson, leafHash: '', time, actorId: event.actor.id, action: event.action, targetType: event.targetType, targetId: event.targetId ?? null };
}

/** The entry as readers see it, parsed from the hashed text. */
export function entryFromRecord(r: AuditEntryRecord): AuditEntry {
  try {
    return { ...(JSON.parse(r.entryJson) as Omit<AuditEntry, 'leafHash'>), leafHash: r.leafHash };
  } catch {
    // A tampered row may hold text that is not JSON; readers still see it (verify flags it).
    const actor: AuditActor = { kind: 'system', id: r.actorId, name: r.actorId };
    return { seq: r.seq, time: r.time, actor, action: r.action, targetType: r.targetType, details: { unparseable: r.entryJson }, leafHash: r.leafHash };
  }
}

/** The seq written into the entry text (the last top-level "seq" key; payload keys come before it). */
export function contentSeq(entryJson: string): number | undefined {
  const at = entryJson.lastIndexOf(',"seq":');
  if (at < 0) return undefined;
  const m = /^\d{1,16}/.exec(entryJson.slice(at + 7, at + 24));
  return m ? Number(m[0]) : undefined;
}

export type IndexColumn = 'seq' | 'action' | 'actor_id' | 'target' | 'time';

/**
 * Which stored copy no longer matches the entry text, if any. Exact for canonical text: the
 * prefix holds action and actor id, the suffix seq, target and time, and JSON strings cannot
 * contain an unescaped quote, so neither can be spoofed from inside a payload. Compares in place
 * (no string building): it runs once per entry during verification.
 */
export function mismatchedColumn(r: AuditEntryRecord): IndexColumn | undefined {
  const j = r.entryJson;
  let p = 0;
  const ahead = (lit: string): boolean => {
    if (!j.startsWith(lit, p)) return false;
    p += lit.length;
    return true;
  };
  if (!(ahead('{"action":') && ahead(q(r.action)) && ahead(','))) return 'action';
  if (!(ahead('"actor":{"id":') && ahead(q(r.actorId)) && ahead(','))) return 'actor_id';
  let e = j.length;
  const behind = (lit: string): boolean => {
    if (!j.endsWith(lit, e)) return false;
    e -= lit.length;
    return true;
  };
  if (!(behind('}') && behind(q(r.time)) && behind(',"time":'))) return 'time';
  const target = behind(q(r.targetType)) && behind(',"targetType":') && (r.targetId === null || (behind(q(r.targetId)) && behind(',"targetId":')));
  if (!target) return contentSeq(j) === r.seq ? 'target' : 'seq';
  return behind(String(r.seq)) && behind(',"seq":') ? undefined : 'seq';
}
