/**
 * @module Post-market surveillance policy: which new or re-scored findings raise an alert. A new
 * finding at or above the risk threshold alerts; KEV-listed vulnerabilities and findings on
 * products that life-sustaining devices run always alert. The finding records its alert and the
 * time it was raised, so the time from advisory publication to alert can be reported.
 */
import type { RaiseAlertInput, RaiseOutcome } from '../alerts/index.js';
import { systemActor, type Actor, type Logger } from '../core/index.js';
import type { Finding } from './findings/model.js';
import type { Product, VulnRepository } from './ports.js';
import { productLabel } from './products.js';
import type { RematchOutcome } from './rematch.js';

export interface AlertRaiser {
  raise(input: RaiseAlertInput, actor?: Actor): Promise<RaiseOutcome>;
}

export interface SurveillancePolicy {
  /** 0..100; new findings at or above this raise an alert (default 70) */
  alertThreshold: number;
  /** most alerts one reconciliation may raise; the rest are counted in one summary alert */
  maxAlertsPerRun: number;
}

export const DEFAULT_SURVEILLANCE_POLICY: SurveillancePolicy = { alertThreshold: 70, maxAlertsPerRun: 200 };

export interface AlertContext {
  kev: boolean;
  lifeSustaining: boolean;
  deviceId?: string;
}

export type AlertContextResolver = (f: Finding) => Promise<AlertContext>;

export function severityOfRisk(score: number): RaiseAlertInput['severity'] {
  if (score >= 90) return 'critical';
  if (score >= 70) return 'high';
  if (score >= 40) return 'medium';
  return 'low';
}

export const shouldAlert = (f: Finding, ctx: AlertContext, policy: SurveillancePolicy): boolean =>
  f.status === 'open' && f.alertId === undefined && f.triage?.state !== 'not_affected' && f.triage?.state !== 'fixed' && (f.riskScore >= policy.alertThreshold || ctx.kev || ctx.lifeSustaining);

export class Surveillance {
  private readonly policy: SurveillancePolicy;
  private resolver: AlertContextResolver = async () => ({ kev: false, lifeSustaining: false });
  private readonly actor = systemActor('surveillance');

  constructor(
    private readonly alerts: AlertRaiser,
    policy: Partial<SurveillancePolicy> = {},
    private readonly logger?: Logger,
  ) {
    this.policy = { ...DEFAULT_SURVEILLANCE_POLICY, ...policy };
  }

  useContext(resolver: AlertContextResolver): void {
    this.resolver = resolver;
  }

  async alertNewFindings(repo: VulnRepository, outcome: RematchOutcome, now: string): Promise<number> {
    return this.alertFindings(repo, outcome.opened, (id) => outcome.products.get(id), now, outcome.alertContext);
  }

  async alertEscalated(repo: VulnRepository, findings: readonly Finding[], now: string): Promise<number> {
    const products = new Map<string, Product | undefined>();
    for (const f of findings) if (!products.has(f.productId)) products.set(f.productId, await repo.getProduct(f.productId));
    return this.alertFindings(repo, findings, (id) => products.get(id), now);
  }

  private async alertFindings(repo: VulnRepository, findings: readonly Finding[], productOf: (id: string) => Product | undefined, now: string, known?: ReadonlyMap<string, AlertContext>): Promise<number> {
    const due: Array<{ f: Finding; ctx: AlertContext }> = [];
    for (const f of findings) {
      const ctx = known?.get(f.id) ?? (await this.resolver(f));
      if (shouldAlert(f, ctx, this.policy)) due.push({ f, ctx });
    }
    due.sort((a, b) => b.f.riskScore - a.f.riskScore || a.f.id.localeCompare(b.f.id));
    const updated: Finding[] = [];
    for (const { f, ctx } of due.slice(0, this.policy.maxAlertsPerRun)) {
      const product = productOf(f.productId);
      const label = product ? productLabel(product) : f.productId;
      const why = [f.riskScore >= this.policy.alertThreshold ? `risk ${f.riskScore}` : '', ctx.kev ? 'KEV-listed' : '', ctx.lifeSustaining ? 'life-sustaining devices' : ''].filter(Boolean).join(', ');
      try {
        const { alert } = await this.alerts.raise(
          {
            title: `${f.vulnerabilityId} affects ${label}`,
            description: `${f.componentName}${f.componentVersion ? ` ${f.componentVersion}` : ''} in ${label} is affected by ${f.vulnerabilityId} (${why}). ${f.evidence.explanation}`,
            severity: ctx.kev || ctx.lifeSustaining ? (f.riskScore >= 90 ? 'critical' : 'high') : severityOfRisk(f.riskScore),
            ...(ctx.deviceId ? { deviceId: ctx.deviceId } : {}),
            source: 'vulns',
            category: 'vulnerability',
            dedupKey: `vulns:${f.productId}:${f.componentKey}:${f.vulnerabilityId}`,
            evidence: [
              { kind: 'finding', ref: f.id },
              { kind: 'advisory', ref: f.advisoryId, detail: f.evidence.advisoryField },
              { kind: 'component', ref: f.componentRef, detail: f.evidence.componentValue },
            ],
            observedAt: now,
          },
          this.actor,
        );
        updated.push({ ...f, alertId: alert.id, alertedAt: now });
      } catch (e) {
        this.logger?.error({ err: e, finding: f.id }, 'raising a vulnerability alert failed');
      }
    }
    if (due.length > this.policy.maxAlertsPerRun) {
      await this.alerts.raise(
        {
          title: `${due.length - this.policy.maxAlertsPerRun} more findings need attention`,
          description: `A reconciliation produced ${due.length} alert-worthy findings; the first ${this.policy.maxAlertsPerRun} were raised individually. See the findings view sorted by risk.`,
          severity: 'high',
          source: 'vulns',
          category: 'vulnerability-summary',
          observedAt: now,
        },
        this.actor,
      );
    }
    if (updated.length > 0) await repo.updateFindings(updated);
    return updated.length;
  }
}
