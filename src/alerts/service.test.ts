import { afterEach, beforeEach, expect, it } from 'vitest';
import { fixedClock, type Actor } from '../core/index.js';
import { auditServiceFor } from '../audit/testing.js';
import type { AuditService } from '../audit/index.js';
import type { DatabaseHandle } from '../storage/index.js';
import { createAlertRepository } from '../storage/repositories/alerts.js';
import { describeEachEngine } from '../storage/testing/engines.js';
import type { RaiseAlertInput } from './model.js';
import { AlertService } from './service.js';

const analyst: Actor = { kind: 'user', id: 'user_sam', name: 'sam', role: 'security_analyst', ip: '10.0.0.9' };
const telnet = (over: Partial<RaiseAlertInput> = {}): RaiseAlertInput => ({
  title: 'Telnet session to infusion pump',
  description: 'Cleartext remote shell observed',
  severity: 'medium',
  deviceId: 'dev_pump7',
  source: 'netmon',
  category: 'cleartext-protocol',
  dedupKey: 'netmon:telnet:dev_pump7',
  evidence: [{ kind: 'flow', ref: 'flow-1', detail: '10.1.1.5:51000 -> 10.2.0.7:23' }],
  ...over,
});

describeEachEngine('alert service', ({ open }) => {
  let h: DatabaseHandle;
  let audit: AuditService;
  let alerts: AlertService;
  beforeEach(async () => {
    h = await open();
    audit = auditServiceFor(h);
    alerts = new AlertService({ repo: createAlertRepository(h.db, h.dialect), audit, clock: fixedClock('2025-07-01T10:00:00.000Z', 1000) });
  });
  afterEach(async () => h.close());

  it('raises a new open alert and audits its creation by the raising component', async () => {
    const { alert, created } = await alerts.raise(telnet());
    expect(created).toBe(true);
    expect(alert).toMatchObject({ status: 'open', count: 1, severity: 'medium', deviceId: 'dev_pump7', source: 'netmon', dedupKey: 'netmon:telnet:dev_pump7' });
    expect(alert.id).toMatch(/^alr_/);
    expect(await alerts.get(alert.id)).toEqual(alert);
    const entries = await audit.list({ targetId: alert.id });
    expect(entries.items.map((e) => [e.action, e.actor.kind, e.actor.id])).toEqual([['alert.raise', 'system', 'netmon']]);
  });

  it('folds repeats of an active alert into count and lastSeen without new rows or audit entries', async () => {
    const first = await alerts.raise(telnet({ observedAt: '2025-07-01T09:00:00Z' }));
    const again = await alerts.raise(telnet({ observedAt: '2025-07-01T09:30:00Z', evidence: [{ kind: 'flow', ref: 'flow-2' }] }));
    await alerts.acknowledge(first.alert.id, analyst);
    const third = await alerts.raise(telnet({ observedAt: '2025-07-01T09:10:00Z' }));
    expect(again.created).toBe(false);
    expect(third.alert.id).toBe(first.alert.id);
    const stored = await alerts.get(first.alert.id);
    expect(stored).toMatchObject({ count: 3, status: 'acknowledged', firstSeen: '2025-07-01T09:00:00.000Z', lastSeen: '2025-07-01T09:30:00.000Z' });
    // the newest occurrence's evidence comes last
    expect(stored.evidence.map((e) => e.ref)).toEqual(['flow-2', 'flow-1']);
    expect((await alerts.list()).total).toBe(1);
    expect((await audit.list({ targetId: first.alert.id })).items.map((e) => e.action)).toEqual(['alert.acknowledge', 'alert.raise']);
  });

  it('escalates the severity of an active alert and audits the escalation', async () => {
    const { alert } = await alerts.raise(telnet());
    const { alert: up } = await alerts.raise(telnet({ severity: 'critical' }));
    await alerts.raise(telnet({ severity: 'low' }));
    expect((await alerts.get(alert.id)).severity).toBe('critical');
    expect(up.severity).toBe('critical');
    const escalation = (await audit.list({ action: 'alert.escalate' })).items[0]!;
    expect(escalation).toMatchObject({ targetId: alert.id, before: { severity: 'medium' }, after: { severity: 'critical', count: 2 } });
  });

  it('opens a new alert when the condition recurs after resolution', async () => {
    const { alert } = await alerts.raise(telnet());
    await alerts.resolve(alert.id, analyst, 'telnet disabled on pump');
    const recurrence = await alerts.raise(telnet());
    expect(recurrence.created).toBe(true);
    expect(recurrence.alert.id).not.toBe(alert.id);
    expect((await alerts.get(alert.id)).status).toBe('resolved');
  });

  it('acknowledges and resolves with notes, recording who and when, and audits each step', async () => {
    const { alert } = await alerts.raise(telnet());
    const acked = await alerts.acknowledge(alert.id, analyst, '  investigating  ');
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedBy: { id: 'user_sam', name: 'sam' }, acknowledgeNote: 'investigating' });
    const resolved = await alerts.resolve(alert.id, analyst, 'vendor patch applied');
    expect(resolved).toMatchObject({ status: 'resolved', resolvedBy: { id: 'user_sam', name: 'sam' }, resolutionNote: 'vendor patch applied' });
    expect(resolved.resolvedAt! >= resolved.acknowledgedAt!).toBe(true);
    expect(await alerts.get(alert.id)).toEqual(resolved);
    const trail = (await audit.list({ targetId: alert.id, order: 'asc' })).items;
    expect(trail.map((e) => e.action)).toEqual(['alert.raise', 'alert.acknowledge', 'alert.resolve']);
    expect(trail[2]).toMatchObject({ actor: { id: 'user_sam', ip: '10.0.0.9' }, before: { status: 'acknowledged' }, after: { status: 'resolved', note: 'vendor patch applied' } });
    expect((await audit.verify()).ok).toBe(true);
  });

  it('refuses transitions that do not apply, naming the current status', async () => {
    const { alert } = await alerts.raise(telnet());
    await alerts.acknowledge(alert.id, analyst);
    await expect(alerts.acknowledge(alert.id, analyst)).rejects.toMatchObject({ code: 'alert.already_acknowledged', status: 409 });
    await alerts.resolve(alert.id, analyst);
    await expect(alerts.resolve(alert.id, analyst)).rejects.toMatchObject({ code: 'alert.already_resolved', status: 409 });
    await expect(alerts.acknowledge(alert.id, analyst)).rejects.toThrow(/is resolved; it cannot be acknowledged/);
    await expect(alerts.acknowledge('alr_nope', analyst)).rejects.toMatchObject({ code: 'alert.not_found', status: 404 });
    expect((await audit.list({ targetId: alert.id })).total).toBe(3);
  });

  it('folds concurrent raises of the same condition into one alert', async () => {
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => alerts.raise(telnet())));
    expect(outcomes.filter((o) => o.created)).toHaveLength(1);
    const page = await alerts.list();
    expect(page.total).toBe(1);
    expect(page.items[0]!.count).toBe(8);
  });

  it('lists newest first with filters, a cursor and totals, and summarizes for dashboards', async () => {
    for (let i = 0; i < 7; i++) {
      await alerts.raise(telnet({ dedupKey: `k${i}`, title: `Finding ${i}`, severity: i % 2 === 0 ? 'high' : 'info', source: i < 5 ? 'vulns' : 'netmon', deviceId: `dev_${i % 3}` }));
    }
    const first = (await alerts.list({ source: 'vulns', limit: 2 }));
    expect(first.items.map((a) => a.title)).toEqual(['Finding 4', 'Finding 3']);
    expect(first.total).toBe(5);
    const second = await alerts.list({ source: 'vulns', limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((a) => a.title)).toEqual(['Finding 2', 'Finding 1']);
    expect((await alerts.list({ severity: ['high'], deviceId: 'dev_0' })).items.map((a) => a.title)).toEqual(['Finding 6', 'Finding 0']);
    expect((await alerts.list({ q: 'finding 5' })).total).toBe(1);
    const { items } = await alerts.list({ limit: 1 });
    await alerts.resolve(items[0]!.id, analyst);
    expect(await alerts.summary()).toEqual({
      total: 7,
      byStatus: { open: 6, acknowledged: 0, resolved: 1 },
      activeBySeverity: { critical: 0, high: 3, medium: 0, low: 0, info: 3 },
    });
    await expect(alerts.list({ cursor: 'garbage' })).rejects.toMatchObject({ code: 'alert.invalid_cursor' });
  });

  it('rejects invalid input before touching storage, naming the field', async () => {
    await expect(alerts.raise(telnet({ severity: 'urgent' as never }))).rejects.toMatchObject({ code: 'alert.invalid', location: { pointer: '/severity' } });
    await expect(alerts.raise(telnet({ evidence: [{ kind: 'flow', ref: '' }] }))).rejects.toMatchObject({ location: { pointer: '/evidence/0/ref' } });
    expect((await alerts.list()).total).toBe(0);
  });
});
