/**
 * @module Analyst triage with VEX states. A decision is stored under its product line, component
 * identity and vulnerability, applied to every open finding with that identity (other versions of
 * the product carrying the same component included) and audited with before/after.
 */
import type { AuditRecorder } from '../audit/index.js';
import { invalidInput, notFound, type Actor, type Clock } from '../core/index.js';
import { VEX_JUSTIFICATIONS, VEX_STATES, type Finding, type TriageDecision, type VexJustification, type VexState } from './findings/model.js';
import type { TriageKey, VulnRepository, VulnStore } from './ports.js';
import { productLineOf } from './products.js';

export interface TriageInput {
  state: VexState;
  justification?: VexJustification;
  detail?: string;
  action?: string;
}

const MAX_TEXT = 4000;

export function validateTriage(input: TriageInput): void {
  if (!VEX_STATES.includes(input.state)) throw invalidInput('triage.invalid_state', `state must be one of ${VEX_STATES.join(', ')}`, { location: { pointer: '/state' } });
  if (input.justification !== undefined && !VEX_JUSTIFICATIONS.includes(input.justification)) {
    throw invalidInput('triage.invalid_justification', `justification must be one of ${VEX_JUSTIFICATIONS.join(', ')}`, { location: { pointer: '/justification' } });
  }
  if (input.state === 'not_affected' && input.justification === undefined && !input.detail?.trim()) {
    // CSAF and OpenVEX both require a justification or an impact statement for not_affected.
    throw invalidInput('triage.justification_required', 'not_affected needs a justification or an impact statement (detail)', { location: { pointer: '/justification' } });
  }
  if (input.state !== 'not_affected' && input.justification !== undefined) {
    throw invalidInput('triage.unexpected_justification', 'a justification only applies to not_affected', { location: { pointer: '/justification' } });
  }
  for (const field of ['detail', 'action'] as const) {
    const v = input[field];
    if (v !== undefined && v.length > MAX_TEXT) throw invalidInput('triage.too_long', `${field} is longer than ${MAX_TEXT} characters`, { location: { pointer: `/${field}` } });
  }
}

export class TriageService {
  constructor(
    private readonly repo: VulnRepository,
    private readonly audit: AuditRecorder,
    private readonly clock: Clock,
    private readonly onChange: () => void = () => undefined,
    /** re-scores findings whose triage changed (not_affected and fixed score 0); runs inside the transaction */
    private readonly rescore: (store: VulnStore, findings: Finding[]) => Promise<void> = async () => undefined,
    /** prepares what rescore needs before a transaction opens (the device snapshot) */
    private readonly prepare: () => Promise<void> = async () => undefined,
  ) {}

  /** Triage one finding; returns every open finding the decision now applies to. */
  async triage(findingId: string, input: TriageInput, actor: Actor): Promise<Finding[]> {
    validateTriage(input);
    await this.prepare();
    return this.repo.transaction(async (store, executor) => {
      const f = await store.getFinding(findingId);
      if (!f) throw notFound('finding', findingId);
      const decision = decisionOf(input, actor, this.clock.now().toISOString(), 'analyst');
      return this.apply(store, executor, f, decision, actor);
    }).finally(this.onChange);
  }

  /** Call before opening a transaction in which apply() will run. */
  prepareForApply(): Promise<void> {
    return this.prepare();
  }

  /** Apply a decision (analyst or imported VEX) to a finding and its identity siblings, inside a transaction. */
  async apply(store: VulnStore, executor: unknown, f: Finding, decision: TriageDecision, actor: Actor): Promise<Finding[]> {
    const product = await store.getProduct(f.productId);
    if (!product) throw notFound('product', f.productId);
    const key: TriageKey = { productLine: productLineOf(product), componentKey: f.componentKey, vulnerabilityId: f.vulnerabilityId };
    const before = await store.getTriage(key);
    await store.putTriage(key, decision);
    const siblings = (await store.listFindings({ vulnerabilityId: f.vulnerabilityId, status: 'open' }, 'lastSeen', undefined, 10_000)).filter((s) => s.componentKey === f.componentKey);
    const lines = new Map<string, string>();
    const updated: Finding[] = [];
    for (const s of siblings) {
      if (!lines.has(s.productId)) {
        const p = s.productId === product.id ? product : await store.getProduct(s.productId);
        lines.set(s.productId, p ? productLineOf(p) : '');
      }
      if (lines.get(s.productId) === key.productLine) updated.push({ ...s, triage: decision });
    }
    if (!updated.some((u) => u.id === f.id) && f.status === 'open') updated.push({ ...f, triage: decision });
    if (updated.length > 0) {
      await this.rescore(store, updated);
      await store.updateFindings(updated);
    }
    await this.audit.record(
      {
        actor,
        action: 'finding.triage',
        targetType: 'finding',
        targetId: f.id,
        before: before ?? f.triage ?? null,
        after: decision,
        details: { vulnerabilityId: f.vulnerabilityId, componentKey: f.componentKey, productLine: key.productLine, findings: updated.map((u) => u.id) },
      },
      executor,
    );
    return updated;
  }
}

export function decisionOf(input: TriageInput, actor: Actor, at: string, origin: string): TriageDecision {
  const d: TriageDecision = { state: input.state, by: { kind: actor.kind, id: actor.id, name: actor.name }, at, origin };
  if (input.justification !== undefined) d.justification = input.justification;
  if (input.detail?.trim()) d.detail = input.detail.trim();
  if (input.action?.trim()) d.action = input.action.trim();
  return d;
}
