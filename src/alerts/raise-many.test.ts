import { afterEach, beforeEach, expect, it } from 'vitest';
import { DomainError, fixedClock, type Actor } from '../core/index.js';
import { auditServiceFor } from '../audit/testing.js';
import type { AuditService } from '../audit/index.js';
import type { DatabaseHandle } from '../storage/index.js';
import { createAlertRepository } from '../storage/repositories/alerts.js';
import { describeEachEngine } from '../storage/testing/engines.js';
import type { Alert, RaiseAlertInput, RaiseOutcome } from './model.js';
import type { AlertRepository, AlertStore } from './ports.js';
import { AlertService } from './service.js';

const analyst: Actor = { kind: 'user', id: 'user_sam', name: 'sam', role: 'security_analyst' };
const input = (n: number, over: Partial<RaiseAlertInput> = {}): RaiseAlertInput => ({
  title: `Finding ${n}`,
  description: `seen on device ${n}`,
  severity: 'medium',
  deviceId: `dev_${n}`,
  source: 'netmon',
  category: 'cleartext-protocol',
  dedupKey: `netmon:cleartext:dev_${n}`,
  evidence: [{ kind: 'packet', ref: `cap#frame=${n}`, detail: 'telnet' }],
  observedAt: `2025-07-01T09:00:${String(n % 60).padStart(2, '0')}.000Z`,
  ...over,
});

/** Before the batch: an open alert to fold into, and a resolved one (a repeat of it creates anew). */
const before: RaiseAlertInput[] = [input(1), input(2, { severity: 'low' })];
/**
 * The batch: a new alert, a fold into an alert from before the batch, an escalating fold, two
 * inputs with the same new dedup key (the second folds into the first within the batch), a repeat
 * of a resolved alert, and an input without a dedup key or actor-specific source.
 */
const batch: RaiseAlertInput[] = [
  input(3),
  input(1, { evidence: [{ kind: 'packet', ref: 'cap#frame=99', detail: 'telnet' }] }),
  input(5),
  input(5, { severity: 'critical', observedAt: '2025-07-01T08:00:00.000Z' }),
  input(4, { title: 'Resolved earlier', dedupKey: 'netmon:resolved' }),
  input(6, { dedupKey: undefined, source: 'vulns' }),
  input(2, { severity: 'high' }),
];

interface World {
  h: DatabaseHandle;
  audit: AuditService;
  alerts: AlertService;
}

/** Alerts and audit entries with the random ids replaced by their order of creation. */
async function snapshot(w: World, outcomes: RaiseOutcome[]) {
  const all = (await w.alerts.list({ limit: 500 })).items;
  const order = [...all].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0));
  const alias = new Map(order.map((a, i) => [a.id, `alert#${i}`]));
  const anon = (a: Alert) => ({ ...a, id: alias.get(a.id) });
  const entries = await w.audit.list({ limit: 500 });
  return {
    alerts: order.map(anon),
    outcomes: outcomes.map((o) => ({ created: o.created, alert: anon(o.alert) })),
    audit: [...entries.items]
      .sort((a, b) => a.seq - b.seq)
      .map((e) => ({ action: e.action, actor: e.actor, time: e.time, targetId: e.targetId ? (alias.get(e.targetId) ?? e.targetId) : undefined, before: e.before, after: e.after, details: e.details })),
  };
}

describeEachEngine('alert service: raiseMany', ({ open }) => {
  const worlds: World[] = [];
  const world = async (repo?: (r: AlertRepository) => AlertRepository): Promise<World> => {
    const h = await open();
    const audit = auditServiceFor(h);
    const base = createAlertRepository(h.db, h.dialect);
    const alerts = new AlertService({ repo: repo ? repo(base) : base, audit, clock: fixedClock('2025-07-01T10:00:00.000Z', 1000) });
    const w = { h, audit, alerts };
    worlds.push(w);
    return w;
  };
  /** the state before the batch, identical in every world (same clock, same calls) */
  const prepare = async (w: World) => {
    for (const i of before) await w.alerts.raise(i, analyst);
    const resolved = await w.alerts.raise(input(4, { title: 'Resolved earlier', dedupKey: 'netmon:resolved' }), analyst);
    await w.alerts.resolve(resolved.alert.id, analyst, 'fixed');
  };
  beforeEach(() => {
    worlds.length = 0;
  });
  afterEach(async () => {
    for (const w of worlds) await w.h.close();
  });

  it('gives exactly what one raise() after another gives: outcomes, alerts, counts and audit entries in order', async () => {
    const seq = await world();
    const many = await world();
    await prepare(seq);
    await prepare(many);
    const seqOut: RaiseOutcome[] = [];
    for (const i of batch) seqOut.push(await seq.alerts.raise(i, analyst));
    const manyOut = await many.alerts.raiseMany(batch, analyst);

    const expected = await snapshot(seq, seqOut);
    expect(await snapshot(many, manyOut)).toEqual(expected);
    // the cases the batch is meant to cover did happen
    expect(manyOut.map((o) => o.created)).toEqual([true, false, true, false, true, true, false]);
    expect(manyOut[3]!.alert).toMatchObject({ count: 2, severity: 'critical', firstSeen: '2025-07-01T08:00:00.000Z' });
    expect(manyOut[1]!.alert.id).toBe((await many.alerts.list({ q: 'Finding 1' })).items[0]!.id);
    expect(expected.audit.map((e) => e.action)).toContain('alert.escalate');
    expect((await many.audit.verify()).ok).toBe(true);
  });

  it('writes a batch in one transaction', async () => {
    let transactions = 0;
    const w = await world((r) => ({ ...r, transaction: (fn) => (transactions++, r.transaction(fn)) }));
    await w.alerts.raiseMany(batch, analyst);
    expect(transactions).toBe(1);
    expect(await w.alerts.raiseMany([], analyst)).toEqual([]);
    expect(transactions).toBe(1);
  });

  it('lets raise() retry the input that met a concurrent raiser, commits what came before and continues after it', async () => {
    let raced = false;
    // The first insert of dedup key dev_5 loses to a "concurrent" raiser that creates it just before.
    const w = await world((r) => ({
      ...r,
      transaction: (fn) =>
        r.transaction((store, executor) => {
          const racing: AlertStore = {
            ...store,
            insert: async (a) => {
              if (!raced && a.dedupKey === 'netmon:cleartext:dev_5') {
                raced = true;
                await store.insert({ ...a, id: 'alr_concurrent', title: 'raised elsewhere' });
                return false;
              }
              return store.insert(a);
            },
          };
          return fn(racing, executor);
        }),
    }));
    const out = await w.alerts.raiseMany([input(3), input(5), input(7)], analyst);
    expect(raced).toBe(true);
    expect(out.map((o) => o.created)).toEqual([true, false, true]);
    expect(out[1]!.alert).toMatchObject({ id: 'alr_concurrent', count: 2 });
    const titles = (await w.alerts.list({ limit: 10 })).items.map((a) => a.title).sort();
    expect(titles).toEqual(['Finding 3', 'Finding 7', 'raised elsewhere']);
    const entries = (await w.audit.list({ limit: 10 })).items.sort((a, b) => a.seq - b.seq);
    expect(entries.map((e) => [e.action, e.after])).toEqual([
      ['alert.raise', expect.objectContaining({ title: 'Finding 3' })],
      ['alert.raise', expect.objectContaining({ title: 'Finding 7' })],
    ]);
  });

  it('rejects a batch with an invalid input before writing anything, naming the input and field', async () => {
    const w = await world();
    const bad = [input(1), input(2, { severity: 'urgent' as never })];
    const err = await w.alerts.raiseMany(bad, analyst).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DomainError);
    expect(err).toMatchObject({ code: 'alert.invalid', status: 400, location: { pointer: '/1/severity' } });
    expect((err as DomainError).message).toMatch(/^input 1: "?urgent"? is not one of .*\(at \/1\/severity\)$/);
    expect((await w.alerts.list()).total).toBe(0);
  });
});
