/**
 * @module Schema-level validation of an OSV record before it is normalized, mirroring the OSV
 * schema's required fields and the osv-linter checks that matter for matching: every range has an
 * 'introduced' event (R0001), event versions within a range are distinct (R0002), an affected
 * entry names a package unless all its ranges are GIT, GIT ranges name a repo, each event has
 * exactly one kind, and (when a registry lookup is supplied) the package exists (P0001).
 * Every failure is an AdvisoryParseError naming the JSON pointer and the reason.
 */
import { isObject, ptr, type JsonObject, JsonReader } from '../common/json.js';

export type PackageExists = (ecosystem: string, name: string) => boolean | undefined;

const EVENT_KINDS = ['introduced', 'fixed', 'last_affected', 'limit'] as const;
export type OsvEventKind = (typeof EVENT_KINDS)[number];
const RANGE_TYPES = ['SEMVER', 'ECOSYSTEM', 'GIT'];
const SEVERITY_TYPES = ['CVSS_V2', 'CVSS_V3', 'CVSS_V4', 'Ubuntu'];
const MAX_AFFECTED = 10_000;
const MAX_EVENTS = 10_000;

export interface OsvEvent {
  kind: OsvEventKind;
  value: string;
  pointer: string;
}

export function readEvent(r: JsonReader, raw: unknown, pointer: string): OsvEvent {
  const e = r.object(raw, pointer);
  const kinds = Object.keys(e).filter((k) => (EVENT_KINDS as readonly string[]).includes(k));
  if (kinds.length !== 1) r.fail(`an event must have exactly one of ${EVENT_KINDS.join(', ')}`, pointer);
  const kind = kinds[0] as OsvEventKind;
  return { kind, value: r.string(e[kind], ptr(pointer, kind)), pointer };
}

function validateRange(r: JsonReader, raw: unknown, pointer: string): void {
  const range = r.object(raw, pointer);
  const type = r.string(range.type, ptr(pointer, 'type'));
  if (!RANGE_TYPES.includes(type)) r.fail(`range type "${type}" is not one of ${RANGE_TYPES.join(', ')}`, ptr(pointer, 'type'));
  if (type === 'GIT') r.string(range.repo, ptr(pointer, 'repo'));
  const events = r.array(range.events, ptr(pointer, 'events'));
  if (events.length === 0) r.fail('a range needs at least one event', ptr(pointer, 'events'));
  if (events.length > MAX_EVENTS) r.fail(`more than ${MAX_EVENTS} events`, ptr(pointer, 'events'));
  const parsed = events.map((e, i) => readEvent(r, e, ptr(ptr(pointer, 'events'), i)));
  if (!parsed.some((e) => e.kind === 'introduced')) {
    r.fail("range has no 'introduced' event (osv-linter R0001)", ptr(pointer, 'events'));
  }
  const seen = new Map<string, OsvEvent>();
  for (const e of parsed) {
    const prior = seen.get(e.value);
    if (prior) {
      r.fail(`events are not distinct: "${e.value}" is both ${prior.kind} (${prior.pointer}) and ${e.kind} (osv-linter R0002)`, e.pointer);
    }
    seen.set(e.value, e);
  }
}

function validateAffected(r: JsonReader, raw: unknown, pointer: string, packageExists?: PackageExists): void {
  const a = r.object(raw, pointer);
  const ranges = r.optArray(a.ranges, ptr(pointer, 'ranges'));
  ranges.forEach((range, i) => validateRange(r, range, ptr(ptr(pointer, 'ranges'), i)));
  r.optArray(a.versions, ptr(pointer, 'versions')).forEach((v, i) => r.string(v, ptr(ptr(pointer, 'versions'), i)));
  const gitOnly = ranges.length > 0 && ranges.every((x) => isObject(x) && x.type === 'GIT');
  if (a.package === undefined) {
    if (!gitOnly) r.fail('affected entry names no package (only GIT-range entries may omit it)', ptr(pointer, 'package'));
    return;
  }
  const pkg = r.object(a.package, ptr(pointer, 'package'));
  const ecosystem = r.string(pkg.ecosystem, ptr(ptr(pointer, 'package'), 'ecosystem'));
  const name = r.string(pkg.name, ptr(ptr(pointer, 'package'), 'name'));
  if (ecosystem.trim() === '') r.fail('package ecosystem is empty', ptr(ptr(pointer, 'package'), 'ecosystem'));
  if (name.trim() === '') r.fail('package name is empty', ptr(ptr(pointer, 'package'), 'name'));
  r.optString(pkg.purl, ptr(ptr(pointer, 'package'), 'purl'));
  if (packageExists && packageExists(ecosystem, name) === false) {
    r.fail(`package "${name}" does not exist in ${ecosystem} (osv-linter P0001)`, ptr(ptr(pointer, 'package'), 'name'));
  }
}

/** Validate the record and return it as an object; throws AdvisoryParseError on the first problem. */
export function validateOsvRecord(r: JsonReader, doc: unknown, packageExists?: PackageExists): JsonObject {
  const o = r.object(doc, '');
  const id = r.string(o.id, '/id');
  if (id.trim() === '') r.fail('id is empty', '/id');
  r.timestamp(o.modified, '/modified');
  r.optTimestamp(o.published, '/published');
  r.optTimestamp(o.withdrawn, '/withdrawn');
  r.optString(o.schema_version, '/schema_version');
  r.optArray(o.aliases, '/aliases').forEach((x, i) => r.string(x, ptr('/aliases', i)));
  r.optString(o.summary, '/summary');
  r.optString(o.details, '/details');
  r.optArray(o.severity, '/severity').forEach((s, i) => {
    const sev = r.object(s, ptr('/severity', i));
    const type = r.string(sev.type, ptr(ptr('/severity', i), 'type'));
    if (!SEVERITY_TYPES.includes(type)) r.fail(`severity type "${type}" is not one of ${SEVERITY_TYPES.join(', ')}`, ptr(ptr('/severity', i), 'type'));
    r.string(sev.score, ptr(ptr('/severity', i), 'score'));
  });
  const affected = r.optArray(o.affected, '/affected');
  if (affected.length > MAX_AFFECTED) r.fail(`more than ${MAX_AFFECTED} affected entries`, '/affected');
  affected.forEach((a, i) => validateAffected(r, a, ptr('/affected', i), packageExists));
  r.optArray(o.references, '/references').forEach((ref, i) => {
    const x = r.object(ref, ptr('/references', i));
    r.string(x.url, ptr(ptr('/references', i), 'url'));
  });
  return o;
}
