/**
 * @module State, justification and response vocabularies of CycloneDX, CSAF and OpenVEX and the
 * mappings between them. Imports keep justifications as written; exporters call these to say the
 * same thing in the target vocabulary. Where the target has no equivalent the nearest value is
 * used; the tables are documented (with reasons) in docs/vex.md.
 */
import type { VexJustification, VexState } from '../findings/model.js';

export const CDX_STATES = ['resolved', 'resolved_with_pedigree', 'exploitable', 'in_triage', 'false_positive', 'not_affected'] as const;
export type CdxState = (typeof CDX_STATES)[number];

export const CDX_JUSTIFICATIONS = [
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
export type CdxJustification = (typeof CDX_JUSTIFICATIONS)[number];

export const CDX_RESPONSES = ['can_not_fix', 'will_not_fix', 'update', 'rollback', 'workaround_available'] as const;
export type CdxResponse = (typeof CDX_RESPONSES)[number];

/** CSAF 2.0 `flags[].label` values; OpenVEX 0.2.0 uses the same five. */
export const CSAF_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
] as const;
export type CsafJustification = (typeof CSAF_JUSTIFICATIONS)[number];

export const OPENVEX_STATUSES = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const;

export const CDX_STATE_TO_VEX: Record<CdxState, VexState> = {
  resolved: 'fixed',
  resolved_with_pedigree: 'fixed',
  exploitable: 'affected',
  in_triage: 'under_investigation',
  false_positive: 'not_affected',
  not_affected: 'not_affected',
};

export const VEX_TO_CDX_STATE: Record<VexState, CdxState> = {
  not_affected: 'not_affected',
  affected: 'exploitable',
  fixed: 'resolved',
  under_investigation: 'in_triage',
};

/** CSAF product_status categories; `recommended` products are treated as fixed (they are the versions to move to). */
export const CSAF_STATUS_TO_VEX = {
  known_affected: 'affected',
  first_affected: 'affected',
  last_affected: 'affected',
  known_not_affected: 'not_affected',
  fixed: 'fixed',
  first_fixed: 'fixed',
  recommended: 'fixed',
  under_investigation: 'under_investigation',
} as const satisfies Record<string, VexState>;
export type CsafStatus = keyof typeof CSAF_STATUS_TO_VEX;
export const CSAF_STATUSES = Object.keys(CSAF_STATUS_TO_VEX) as CsafStatus[];

export const VEX_TO_CSAF_STATUS: Record<VexState, 'known_affected' | 'known_not_affected' | 'fixed' | 'under_investigation'> = {
  affected: 'known_affected',
  not_affected: 'known_not_affected',
  fixed: 'fixed',
  under_investigation: 'under_investigation',
};

/** CycloneDX-only justification -> nearest CSAF/OpenVEX label. */
export const CDX_TO_CSAF_JUSTIFICATION: Record<CdxJustification, CsafJustification> = {
  code_not_present: 'vulnerable_code_not_present',
  code_not_reachable: 'vulnerable_code_not_in_execute_path',
  requires_configuration: 'vulnerable_code_not_in_execute_path',
  requires_dependency: 'vulnerable_code_not_in_execute_path',
  requires_environment: 'vulnerable_code_cannot_be_controlled_by_adversary',
  protected_by_compiler: 'inline_mitigations_already_exist',
  protected_at_runtime: 'inline_mitigations_already_exist',
  protected_at_perimeter: 'vulnerable_code_cannot_be_controlled_by_adversary',
  protected_by_mitigating_control: 'inline_mitigations_already_exist',
};

/** CSAF/OpenVEX label -> nearest CycloneDX justification. */
export const CSAF_TO_CDX_JUSTIFICATION: Record<CsafJustification, CdxJustification> = {
  component_not_present: 'code_not_present',
  vulnerable_code_not_present: 'code_not_present',
  vulnerable_code_not_in_execute_path: 'code_not_reachable',
  vulnerable_code_cannot_be_controlled_by_adversary: 'requires_environment',
  inline_mitigations_already_exist: 'protected_by_mitigating_control',
};

export const isCsafJustification = (j: string): j is CsafJustification => (CSAF_JUSTIFICATIONS as readonly string[]).includes(j);
export const isCdxJustification = (j: string): j is CdxJustification => (CDX_JUSTIFICATIONS as readonly string[]).includes(j);

/** The justification in the CSAF/OpenVEX vocabulary. */
export const toCsafJustification = (j: VexJustification): CsafJustification => (isCsafJustification(j) ? j : CDX_TO_CSAF_JUSTIFICATION[j as CdxJustification]);

/** The justification in the CycloneDX vocabulary. */
export const toCdxJustification = (j: VexJustification): CdxJustification => (isCdxJustification(j) ? j : CSAF_TO_CDX_JUSTIFICATION[j as CsafJustification]);

/** One sentence per CSAF label, used when a not_affected decision has no written impact statement. */
export const CSAF_JUSTIFICATION_TEXT: Record<CsafJustification, string> = {
  component_not_present: 'The vulnerable component is not present in the product.',
  vulnerable_code_not_present: 'The vulnerable code is not present in the product.',
  vulnerable_code_not_in_execute_path: 'The vulnerable code cannot be executed in the way the product uses it.',
  vulnerable_code_cannot_be_controlled_by_adversary: 'The vulnerable code cannot be controlled by an attacker in the product.',
  inline_mitigations_already_exist: 'Built-in mitigations prevent exploitation in the product.',
};

/** CycloneDX vulnerability property a CareGuard export uses to keep a CSAF/OpenVEX label exactly. */
export const VEX_JUSTIFICATION_PROPERTY = 'careguard:vex:justification';
