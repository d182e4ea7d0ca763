/**
 * @module Test helpers for the audit log: a service over a test database with an in-memory key,
 * and a quick way to produce many distinct events. Test-only; not exported from index.ts.
 */
import { fixedClock, type Actor } from '../core/index.js';
import type { DatabaseHandle } from '../storage/index.js';
import { createAuditRepository } from '../storage/repositories/audit.js';
import type { AuditEventInput } from './model.js';
import { AuditService, type AuditServiceOptions } from './service.js';
import { generateSigningKey } from './signing.js';

export const testActor: Actor = { kind: 'user', id: 'user_ana', name: 'ana', role: 'admin', ip: '10.1.2.3', requestId: 'req-1' };

export function auditServiceFor(h: DatabaseHandle, options: Partial<AuditServiceOptions> = {}): AuditService {
  return new AuditService({
    repo: createAuditRepository(h.db, h.dialect),
    signingKey: generateSigningKey(),
    clock: fixedClock('2025-06-01T08:00:00.000Z', 1000),
    ...options,
  });
}

export function sampleEvent(i: number): AuditEventInput {
  return {
    actor: i % 4 === 0 ? { kind: 'system', id: 'netmon', name: 'netmon' } : testActor,
    action: i % 3 === 0 ? 'device.update' : 'alert.acknowledge',
    targetType: i % 3 === 0 ? 'device' : 'alert',
    targetId: `target-${i % 7}`,
    before: { n: i, status: 'open' },
    after: { n: i, status: i % 2 === 0 ? 'acknowledged' : 'open', note: `ü-${i}` },
    ...(i % 5 === 0 ? { details: { reason: 'bulk', i } } : {}),
  };
}
