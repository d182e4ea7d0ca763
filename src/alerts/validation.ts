/**
 * @module Checks what a raiser hands the alert service (code or an HTTP integration): required
 * fields, known severity, bounded sizes. Errors name the offending field as a JSON pointer.
 */
import { invalidInput } from '../core/index.js';
import { ALERT_LIMITS, isAlertSeverity, type EvidenceItem, type RaiseAlertInput } from './model.js';

const fail = (pointer: string, message: string) => invalidInput('alert.invalid', `${message} (at ${pointer})`, { location: { pointer } });

function text(value: unknown, pointer: string, max: number, required: boolean): string | undefined {
  if (value === undefined || value === null) {
    if (required) throw fail(pointer, 'is required');
    return undefined;
  }
  if (typeof value !== 'string') throw fail(pointer, 'must be a string');
  const trimmed = value.trim();
  if (required && trimmed === '') throw fail(pointer, 'must not be empty');
  if (trimmed.length > max) throw fail(pointer, `is ${trimmed.length} characters; at most ${max} are allowed`);
  return trimmed;
}

// Never String(value): an object with a broken toString would throw from inside the error path.
function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.slice(0, 60));
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  const t = typeof v;
  return `${/^[aeiou]/.test(t) ? 'an' : 'a'} ${t}`;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export interface ValidRaise extends Omit<RaiseAlertInput, 'description' | 'dedupKey' | 'evidence' | 'observedAt'> {
  description: string;
  dedupKey: string;
  evidence: EvidenceItem[];
  observedAt?: string;
}

export function validateRaise(input: RaiseAlertInput): ValidRaise {
  const title = text(input.title, '/title', ALERT_LIMITS.title, true)!;
  const description = text(input.description, '/description', ALERT_LIMITS.description, false) ?? '';
  if (typeof input.severity !== 'string' || !isAlertSeverity(input.severity)) throw fail('/severity', `${show(input.severity)} is not one of critical, high, medium, low, info`);
  const source = text(input.source, '/source', ALERT_LIMITS.label, true)!;
  const category = text(input.category, '/category', ALERT_LIMITS.label, true)!;
  const deviceId = text(input.deviceId, '/deviceId', ALERT_LIMITS.label, false);
  const dedupKey = text(input.dedupKey, '/dedupKey', ALERT_LIMITS.dedupKey, false) || `${source}:${category}:${deviceId ?? '-'}:${title}`.slice(0, ALERT_LIMITS.dedupKey);
  const evidenceIn = input.evidence ?? [];
  if (!Array.isArray(evidenceIn)) throw fail('/evidence', 'must be a list');
  if (evidenceIn.length > ALERT_LIMITS.evidenceItems) throw fail('/evidence', `has ${evidenceIn.length} items; at most ${ALERT_LIMITS.evidenceItems} are allowed`);
  const evidence = evidenceIn.map((item: EvidenceItem, i): EvidenceItem => {
    if (item === null || typeof item !== 'object') throw fail(`/evidence/${i}`, 'must be an object');
    const out: EvidenceItem = { kind: text(item.kind, `/evidence/${i}/kind`, ALERT_LIMITS.evidenceKind, true)!, ref: text(item.ref, `/evidence/${i}/ref`, ALERT_LIMITS.evidenceRef, true)! };
    const detail = text(item.detail, `/evidence/${i}/detail`, ALERT_LIMITS.evidenceDetail, false);
    if (detail !== undefined) out.detail = detail;
    return out;
  });
  let observedAt: string | undefined;
  if (input.observedAt !== undefined) {
    if (typeof input.observedAt !== 'string' || !ISO_INSTANT.test(input.observedAt) || Number.isNaN(Date.parse(input.observedAt))) {
      throw fail('/observedAt', `${show(input.observedAt)} is not an ISO-8601 date-time with a zone`);
    }
    observedAt = new Date(input.observedAt).toISOString();
  }
  const valid: ValidRaise = { title, description, severity: input.severity, source, category, dedupKey, evidence };
  if (deviceId !== undefined) valid.deviceId = deviceId;
  if (observedAt !== undefined) valid.observedAt = observedAt;
  return valid;
}

export function validateNote(note: string | undefined): string | undefined {
  return text(note, '/note', ALERT_LIMITS.note, false) || undefined;
}
