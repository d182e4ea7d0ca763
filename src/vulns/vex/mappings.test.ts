import { describe, expect, it } from 'vitest';
import { VEX_JUSTIFICATIONS, VEX_STATES } from '../findings/model.js';
import {
  CDX_JUSTIFICATIONS,
  CDX_STATES,
  CDX_STATE_TO_VEX,
  CSAF_JUSTIFICATIONS,
  CSAF_STATUS_TO_VEX,
  VEX_TO_CDX_STATE,
  VEX_TO_CSAF_STATUS,
  toCdxJustification,
  toCsafJustification,
} from './mappings.js';

describe('VEX vocabulary mappings', () => {
  it('covers the contract vocabulary: the CSAF labels and CycloneDX values are exactly VEX_JUSTIFICATIONS', () => {
    expect([...CSAF_JUSTIFICATIONS, ...CDX_JUSTIFICATIONS]).toEqual([...VEX_JUSTIFICATIONS]);
  });

  it('maps every VEX state to CycloneDX and CSAF and back to itself', () => {
    for (const s of VEX_STATES) {
      expect(CDX_STATE_TO_VEX[VEX_TO_CDX_STATE[s]]).toBe(s);
      expect(CSAF_STATUS_TO_VEX[VEX_TO_CSAF_STATUS[s]]).toBe(s);
    }
    expect(CDX_STATES.map((s) => CDX_STATE_TO_VEX[s])).toEqual(['fixed', 'fixed', 'affected', 'under_investigation', 'not_affected', 'not_affected']);
  });

  it('writes each CycloneDX justification as the documented nearest CSAF label', () => {
    expect(Object.fromEntries(CDX_JUSTIFICATIONS.map((j) => [j, toCsafJustification(j)]))).toEqual({
      code_not_present: 'vulnerable_code_not_present',
      code_not_reachable: 'vulnerable_code_not_in_execute_path',
      requires_configuration: 'vulnerable_code_not_in_execute_path',
      requires_dependency: 'vulnerable_code_not_in_execute_path',
      requires_environment: 'vulnerable_code_cannot_be_controlled_by_adversary',
      protected_by_compiler: 'inline_mitigations_already_exist',
      protected_at_runtime: 'inline_mitigations_already_exist',
      protected_at_perimeter: 'vulnerable_code_cannot_be_controlled_by_adversary',
      protected_by_mitigating_control: 'inline_mitigations_already_exist',
    });
  });

  it('writes each CSAF label as the documented nearest CycloneDX justification', () => {
    expect(Object.fromEntries(CSAF_JUSTIFICATIONS.map((j) => [j, toCdxJustification(j)]))).toEqual({
      component_not_present: 'code_not_present',
      vulnerable_code_not_present: 'code_not_present',
      vulnerable_code_not_in_execute_path: 'code_not_reachable',
      vulnerable_code_cannot_be_controlled_by_adversary: 'requires_environment',
      inline_mitigations_already_exist: 'protected_by_mitigating_control',
    });
  });

  it('leaves a justification already in the target vocabulary unchanged', () => {
    for (const j of CSAF_JUSTIFICATIONS) expect(toCsafJustification(j)).toBe(j);
    for (const j of CDX_JUSTIFICATIONS) expect(toCdxJustification(j)).toBe(j);
  });
});
