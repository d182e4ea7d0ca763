/**
 * @module Findings and triage. A finding is one (product version, component, vulnerability,
 * source) with a lifecycle: reconciliation opens and closes it, analysts triage it with VEX states.
 * Triage decisions are keyed by product line + component identity + vulnerability, so they carry
 * over to a new SBOM (or a new product version) whose component did not change.
 */
import type { Actor } from '../../core/index.js';
import type { AdvisorySource } from '../model.js';
import type { MatchEvidence, MatchRule } from '../match/model.js';

export const VEX_STATES = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const;
export type VexState = (typeof VEX_STATES)[number];

/**
 * CSAF/OpenVEX justification labels first, then CycloneDX 1.6 `analysis.justification` values.
 * Stored as given; exporters map between vocabularies (docs/vex.md).
 */
export const VEX_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
  'code_not_present',
  'code_not_reachable',
  'requires_configuration',
  'requires_dependency',
  'requires_environment',
  'protected_by_compiler',
  'protected_at_runtime',
  'protected_at_perimeter',
  'protected_by_mitigating_control',
] as const;
export type VexJustification = (typeof VEX_JUSTIFICATIONS)[number];

export type FindingStatus = 'open' | 'closed';
/** why reconciliation closed a finding */
export type FindingCloseReason = 'component-removed' | 'no-longer-matches' | 'advisory-withdrawn' | 'fixed';

export interface TriageDecision {
  state: VexState;
  justification?: VexJustification;
  /** impact statement / detail shown to customers */
  detail?: string;
  /** response / action statement */
  action?: string;
  by: Pick<Actor, 'kind' | 'id' | 'name'>;
  at: string;
  /** 'analyst' | 'vex:cyclonedx' | 'vex:csaf' | 'vex:openvex' (+ file) */
  origin: string;
}

export interface Finding {
  id: string;
  productId: string;
  componentRef: string;
  componentKey: string;
  componentName: string;
  componentVersion?: string;
  componentPurl?: string;
  vulnerabilityId: string;
  advisoryId: string;
  advisorySource: AdvisorySource;
  rule: MatchRule;
  confidence: number;
  needsReview: boolean;
  evidence: MatchEvidence;
  fixedVersions: string[];
  status: FindingStatus;
  closeReason?: FindingCloseReason;
  /** current triage (analyst or imported VEX); absent = not triaged yet */
  triage?: TriageDecision;
  /** clinical risk score 0..100 at last reconciliation (highest over the devices running the product) */
  riskScore: number;
  firstSeen: string;
  lastSeen: string;
  closedAt?: string;
  /** advisory publication (or first-seen-by-feed) time, for time-to-alert */
  advisoryPublished?: string;
  alertId?: string;
  alertedAt?: string;
}
