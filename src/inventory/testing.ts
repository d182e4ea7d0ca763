/**
 * @module Test helpers for inventory tests: an audit recorder that keeps entries in memory (the
 * audit capability's own store is tested by its owner) and report builders with sensible defaults.
 * Not exported from index.ts; only tests import it.
 */
import type { AuditEventInput, AuditRecorder } from '../audit/model.js';
import type { Actor } from '../core/index.js';
import type { DeviceAttributes, DeviceReport, NetworkIdentities, Provenance } from './model.js';

export class MemoryAuditRecorder implements AuditRecorder {
  readonly events: AuditEventInput[] = [];
  /** whether each entry was recorded inside the caller's transaction */
  readonly executors: unknown[] = [];

  async record(event: AuditEventInput, executor?: unknown): Promise<void> {
    this.events.push(event);
    this.executors.push(executor);
  }
}

export const testActor: Actor = { kind: 'user', id: 'user_test', name: 'tester', role: 'admin' };

export function provenance(source: string, observedAt: string, overrides: Partial<Provenance> = {}): Provenance {
  return { source, kind: 'import', confidence: 0.8, observedAt, ...overrides };
}

export function report(attributes: DeviceAttributes, prov: Provenance, network: Partial<NetworkIdentities> = {}, deviceId?: string): DeviceReport {
  return { attributes, network, provenance: prov, ...(deviceId ? { deviceId } : {}) };
}
