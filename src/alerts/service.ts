/**
 * @module Alert use cases: raise (with dedup folding), acknowledge, resolve, read, list and
 * dashboard counts. Creation, escalation and every status change are audited in the same
 * transaction as the change. Plain repeat occurrences only bump count/lastSeen and are not
 * audited one by one: a noisy detection must not be able to flood the audit log.
 */
import { conflict, DomainError, invalidInput, isoNow, newId, notFound, systemActor, systemClock, type Actor, type Clock } from '../core/index.js';
import type { AuditRecorder } from '../audit/index.js';
import {
  ALERT_LIMITS,
  ALERT_SEVERITIES,
  ALERT_STATUSES,
  severityRank,
  type Alert,
  type AlertPage,
  type AlertQuery,
  type AlertStatus,
  type AlertSummary,
  type EvidenceItem,
  type RaiseAlertInput,
  type RaiseOutcome,
} from './model.js';
import type { AlertChanges, AlertCursor, AlertRepository, AlertStore } from './ports.js';
import { validateNote, validateRaise, type ValidRaise } from './validation.js';

export interface AlertServiceOptions {
  repo: AlertRepository;
  audit: AuditRecorder;
  clock?: Clock;
}

const MAX_PAGE = 500;
const ACTIVE: readonly AlertStatus[] = ['open', 'acknowledged'];

/** A snapshot for the audit log: the alert's state without its bulky evidence list. */
const auditView = (a: Alert) => ({ status: a.status, severity: a.severity, count: a.count, title: a.title, deviceId: a.deviceId, dedupKey: a.dedupKey, evidenceItems: a.evidence.length });

function mergeEvidence(existing: EvidenceItem[], incoming: EvidenceItem[]): EvidenceItem[] {
  const seen = new Set(incoming.map((e) => `${e.kind}\u0000${e.ref}`));
  const kept = existing.filter((e) => !seen.has(`${e.kind}\u0000${e.ref}`));
  return [...kept, ...incoming].slice(-ALERT_LIMITS.evidenceKept);
}

/** A validation error of one input of a batch, re-pointed at that input (`/3/title`). */
function atInput(e: DomainError, index: number): DomainError {
  const pointer = `/${index}${e.location?.pointer ?? ''}`;
  return new DomainError(e.code, `input ${index}: ${e.message.replace(/\(at [^)]*\)$/, `(at ${pointer})`)}`, { status: e.status, details: e.details, location: { ...e.location, pointer } });
}

export function encodeCursor(c: AlertCursor): string {
  return Buffer.from(JSON.stringify([c.createdAt, c.id])).toString('base64url');
}

export function decodeCursor(cursor: string): AlertCursor {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return { createdAt: v[0], id: v[1] };
  } catch {
    // fall through to the typed error
  }
  throw invalidInput('alert.invalid_cursor', `cursor "${cursor.slice(0, 40)}" is not one this API issued`, { location: { pointer: '/cursor' } });
}

export class AlertService {
  private readonly repo: AlertRepository;
  private readonly audit: AuditRecorder;
  private readonly clock: Clock;

  constructor(options: AlertServiceOptions) {
    this.repo = options.repo;
    this.audit = options.audit;
    this.clock = options.clock ?? systemClock;
  }

  /** Raises an alert, or folds the occurrence into the active alert with the same dedup key. */
  async raise(input: RaiseAlertInput, actor?: Actor): Promise<RaiseOutcome> {
    const valid = validateRaise(input);
    const who = actor ?? systemActor(valid.source);
    const attempt = () =>
      this.repo.transaction(async (store, executor) => {
        const active = await store.findActive(valid.dedupKey);
        return active ? this.fold(store, executor, active, valid, who) : this.create(store, executor, valid, who);
      });
    // A concurrent raiser may create (or resolve) the active alert between our lookup and write;
    // the second attempt then sees its outcome.
    const outcome = (await attempt()) ?? (await attempt());
    if (!outcome) throw conflict('alert.raise_contended', `alert ${valid.dedupKey} changed concurrently; retry`);
    return outcome;
  }

  /**
   * raise() for each input in order, in one transaction per run of inputs instead of one each
   * (an ingest raises thousands): the same outcomes, folds (also between inputs of the batch) and
   * audit entries in the same order as sequential raise() calls. Every input is validated before
   * anything is written, so an invalid one (its index in the error's pointer) raises none. When
   * an input meets a concurrent raiser, what came before it commits, that input goes through
   * raise() (which retries), and the rest continue in a new transaction.
   */
  async raiseMany(inputs: readonly RaiseAlertInput[], actor?: Actor): Promise<RaiseOutcome[]> {
    const valid = inputs.map((input, i) => {
      try {
        return validateRaise(input);
      } catch (e) {
        throw e instanceof DomainError ? atInput(e, i) : e;
      }
    });
    const outcomes: RaiseOutcome[] = [];
    while (outcomes.length < valid.length) {
      const start = outcomes.length;
      const done = await this.repo.transaction(async (store, executor) => {
        const out: RaiseOutcome[] = [];
        // the active alerts of every key of the run in one lookup, kept up to date as the run raises
        // and folds: an ingest raises thousands, and a lookup each was most of the time it took
        const active = await store.findActiveMany(valid.slice(start).map((v) => v.dedupKey));
        for (let i = start; i < valid.length; i++) {
          const v = valid[i]!;
          const who = actor ?? systemActor(v.source);
          const current = active.get(v.dedupKey);
          const outcome = current ? await this.fold(store, executor, current, v, who) : await this.create(store, executor, v, who);
          // Nothing of this input was written (the insert or update matched no row): stop here.
          if (!outcome) break;
          active.set(v.dedupKey, outcome.alert);
          out.push(outcome);
        }
        return out;
      });
      outcomes.push(...done);
      if (outcomes.length < valid.length) outcomes.push(await this.raise(inputs[outcomes.length]!, actor));
    }
    return outcomes;
  }

  private async create(store: AlertStore, executor: unknown, v: ValidRaise, actor: Actor): Promise<RaiseOutcome | undefined> {
    const now = isoNow(this.clock);
    const seen = v.observedAt ?? now;
    const alert: Alert = {
      id: newId('alr'),
      title: v.title,
      description: v.description,
      severity: v.severity,
      status: 'open',
      source: v.source,
      category: v.category,
      dedupKey: v.dedupKey,
      evidence: v.evidence.slice(-ALERT_LIMITS.evidenceKept),
      count: 1,
      firstSeen: seen,
      lastSeen: seen,
      createdAt: now,
      updatedAt: now,
    };
    if (v.deviceId !== undefined) alert.deviceId = v.deviceId;
    if (!(await store.insert(alert))) return undefined;
    await this.audit.record({ actor, action: 'alert.raise', targetType: 'alert', targetId: alert.id, after: auditView(alert), details: { source: alert.source, category: alert.category } }, executor);
    return { alert, created: true };
  }

  private async fold(store: AlertStore, executor: unknown, active: Alert, v: ValidRaise, actor: Actor): Promise<RaiseOutcome | undefined> {
    const seen = v.observedAt ?? isoNow(this.clock);
    const escalated = severityRank(v.severity) > severityRank(active.severity);
    const changes: AlertChanges = {
      count: active.count + 1,
      lastSeen: seen > active.lastSeen ? seen : active.lastSeen,
      firstSeen: seen < active.firstSeen ? seen : active.firstSeen,
      updatedAt: isoNow(this.clock),
      evidence: v.evidence.length > 0 ? mergeEvidence(active.evidence, v.evidence) : active.evidence,
    };
    if (escalated) changes.severity = v.severity;
    if (!(await store.update(active.id, changes, ACTIVE))) return undefined;
    const alert: Alert = { ...active, ...changes };
    if (escalated) {
      await this.audit.record({ actor, action: 'alert.escalate', targetType: 'alert', targetId: alert.id, before: { severity: active.severity }, after: { severity: alert.severity, count: alert.count } }, executor);
    }
    return { alert, created: false };
  }

  acknowledge(id: string, actor: Actor, note?: string): Promise<Alert> {
    const cleanNote = validateNote(note);
    return this.transition(id, actor, 'alert.acknowledge', ['open'], (now) => ({
      status: 'acknowledged',
      acknowledgedAt: now,
      acknowledgedBy: { id: actor.id, name: actor.name },
      ...(cleanNote === undefined ? {} : { acknowledgeNote: cleanNote }),
    }));
  }

  resolve(id: string, actor: Actor, note?: string): Promise<Alert> {
    const cleanNote = validateNote(note);
    return this.transition(id, actor, 'alert.resolve', ACTIVE, (now) => ({
      status: 'resolved',
      resolvedAt: now,
      resolvedBy: { id: actor.id, name: actor.name },
      ...(cleanNote === undefined ? {} : { resolutionNote: cleanNote }),
    }));
  }

  private transition(id: string, actor: Actor, action: string, from: readonly AlertStatus[], changesAt: (now: string) => AlertChanges): Promise<Alert> {
    return this.repo.transaction(async (store, executor) => {
      const before = await store.get(id);
      if (!before) throw notFound('alert', id);
      const now = isoNow(this.clock);
      const changes = { ...changesAt(now), updatedAt: now };
      if (!from.includes(before.status) || !(await store.update(id, changes, from))) {
        const current = (await store.get(id))?.status ?? before.status;
        throw conflict(`alert.already_${current}`, `alert ${id} is ${current}; it cannot be ${action === 'alert.resolve' ? 'resolved' : 'acknowledged'}`, { id, status: current });
      }
      const after: Alert = { ...before, ...changes };
      const note = after.status === 'resolved' ? after.resolutionNote : after.acknowledgeNote;
      await this.audit.record({ actor, action, targetType: 'alert', targetId: id, before: { status: before.status }, after: { status: after.status, ...(note === undefined ? {} : { note }) } }, executor);
      return after;
    });
  }

  async get(id: string): Promise<Alert> {
    const alert = await this.repo.get(id);
    if (!alert) throw notFound('alert', id);
    return alert;
  }

  /** Newest first, with a keyset cursor and the exact number of matches. */
  async list(query: AlertQuery = {}): Promise<AlertPage> {
    const limit = Math.min(Math.max(query.limit ?? 50, 1), MAX_PAGE);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const filter = { status: query.status, severity: query.severity, deviceId: query.deviceId, source: query.source, q: query.q?.trim() || undefined };
    const rows = await this.repo.list(filter, after, limit + 1);
    const items = rows.slice(0, limit);
    const page: AlertPage = { items, total: await this.repo.count(filter) };
    const last = items[items.length - 1];
    if (rows.length > limit && last) page.nextCursor = encodeCursor({ createdAt: last.createdAt, id: last.id });
    return page;
  }

  async summary(): Promise<AlertSummary> {
    const byStatus = Object.fromEntries(ALERT_STATUSES.map((s) => [s, 0])) as AlertSummary['byStatus'];
    const activeBySeverity = Object.fromEntries(ALERT_SEVERITIES.map((s) => [s, 0])) as AlertSummary['activeBySeverity'];
    let total = 0;
    for (const row of await this.repo.countBy()) {
      total += row.n;
      byStatus[row.status] += row.n;
      if (row.status !== 'resolved') activeBySeverity[row.severity] += row.n;
    }
    return { total, byStatus, activeBySeverity };
  }
}
