import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/index.js';
import { assertValidRubricAnswers, assessRubric, validateRubricAnswers } from './rubric.js';
import { RUBRIC_QUESTIONS, RUBRIC_QUESTION_IDS } from './rubric-questions.js';

describe('rubric questions as data', () => {
  it('has unique ids, each with allowed answers and a stated effect', () => {
    expect(new Set(RUBRIC_QUESTION_IDS).size).toBe(RUBRIC_QUESTIONS.length);
    for (const q of RUBRIC_QUESTIONS) {
      expect(q.answers.length).toBeGreaterThanOrEqual(2);
      expect(q.effect.length).toBeGreaterThan(0);
      if (q.followUpOf) expect(RUBRIC_QUESTION_IDS).toContain(q.followUpOf.question);
    }
  });

  it('covers the attack-vector chain and confidentiality, integrity and availability for all six kinds of data', () => {
    for (const id of ['XAVN', 'XAVT', 'XAVW', 'XAVR', 'XAVP', 'XAVPA', 'XACL', 'XPRL', 'XPRZ', 'XPRS', 'XUI', 'XS', 'XCPM']) expect(RUBRIC_QUESTION_IDS).toContain(id);
    for (const m of ['C', 'I', 'A']) for (const c of ['P', 'D', 'T', 'W', 'S', 'O']) expect(RUBRIC_QUESTION_IDS).toContain(`X${m}${c}`);
  });
});

describe('validateRubricAnswers', () => {
  it('accepts a complete, consistent set of answers', () => {
    const v = validateRubricAnswers({ XAVN: 'yes', XAVT: 'yes', XIT: 'yes', XAT: 'unknown', XCP: 'yes', XCPM: 'no' });
    expect(v).toEqual({ valid: true, errors: [], warnings: [] });
  });

  it('rejects an unknown question, naming it by JSON pointer and listing the known ones', () => {
    const v = validateRubricAnswers({ XAVQ: 'yes' });
    expect(v.valid).toBe(false);
    expect(v.errors).toHaveLength(1);
    expect(v.errors[0]).toMatchObject({ pointer: '/XAVQ', code: 'rubric.unknown_question' });
    expect(v.errors[0]!.message).toContain('unknown rubric question "XAVQ"');
    expect(v.errors[0]!.message).toContain('known questions: XAVN, XAVT');
  });

  it('suggests the question id when only the case differs', () => {
    expect(validateRubricAnswers({ xavn: 'yes' }).errors[0]!.message).toContain('did you mean XAVN?');
  });

  it('rejects an answer a question does not allow, listing the allowed answers', () => {
    const v = validateRubricAnswers({ XAVW: 'unknown', XIT: 'Yes', XAT: 3 });
    expect(v.errors.map((e) => e.pointer)).toEqual(['/XAVW', '/XIT', '/XAT']);
    expect(v.errors[0]!.message).toBe('/XAVW: "unknown" is not an allowed answer to XAVW (AV Q3); allowed: yes, no');
    expect(v.errors[2]!.message).toContain('3 is not an allowed answer to XAT');
    expect(v.errors.every((e) => e.code === 'rubric.invalid_answer')).toBe(true);
  });

  it('escapes JSON pointer characters in question ids', () => {
    expect(validateRubricAnswers({ 'a/b~c': 'yes' }).errors[0]!.pointer).toBe('/a~1b~0c');
  });

  it('rejects anything but an object', () => {
    for (const bad of [null, [], 'XAVN=yes', 3]) {
      const v = validateRubricAnswers(bad);
      expect(v.valid).toBe(false);
      expect(v.errors[0]).toMatchObject({ pointer: '', code: 'rubric.not_object' });
    }
  });

  it('warns, without failing, about a follow-up whose parent answer skips it', () => {
    const v = validateRubricAnswers({ XAVN: 'no', XAVT: 'yes', XCPM: 'yes' });
    expect(v.valid).toBe(true);
    expect(v.warnings.map((w) => w.pointer)).toEqual(['/XAVT', '/XCPM']);
    expect(v.warnings[0]!.message).toBe("/XAVT: XAVT is asked only when XAVN is 'yes' (it is \"no\"); the answer is ignored");
    expect(v.warnings[1]!.message).toContain('(it is unanswered)');
  });

  it('assertValidRubricAnswers throws one DomainError listing every problem, located at the first', () => {
    let caught: unknown;
    try {
      assertValidRubricAnswers({ XAVN: 'maybe', NOPE: 'yes' });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(DomainError);
    const err = caught as DomainError;
    expect(err.code).toBe('risk.rubric_invalid');
    expect(err.status).toBe(400);
    expect(err.location?.pointer).toBe('/XAVN');
    expect(err.message).toContain('/XAVN');
    expect(err.message).toContain('/NOPE');
    expect(assertValidRubricAnswers({ XAVN: 'no' })).toEqual({ XAVN: 'no' });
  });
});

describe('assessRubric', () => {
  it.each([
    [{ XAVN: 'unknown' }, 'N'],
    [{ XAVN: 'yes', XAVT: 'yes' }, 'N'],
    [{ XAVN: 'yes', XAVT: 'unknown' }, 'N'],
    [{ XAVN: 'yes', XAVT: 'no', XAVW: 'no' }, 'A'],
    [{ XAVN: 'yes', XAVT: 'no', XAVW: 'yes', XAVR: 'no' }, 'A'],
    [{ XAVN: 'yes', XAVT: 'no', XAVW: 'yes', XAVR: 'yes' }, 'L'],
    [{ XAVN: 'no', XAVP: 'no' }, 'L'],
    [{ XAVN: 'no', XAVP: 'yes', XAVPA: 'yes' }, 'P'],
  ])('derives attack vector from %j as %s', (answers, av) => {
    expect(assessRubric(answers).attackVector).toBe(av);
  });

  it('leaves the attack vector undecided when the chain stops early', () => {
    const a = assessRubric({ XAVN: 'yes' });
    expect(a.attackVector).toBeUndefined();
    expect(a.attackVectorPath).toEqual([]);
  });

  it('derives the CVSS v3.1 vector once all eight base metrics are answered', () => {
    const a = assessRubric({
      XAVN: 'yes',
      XAVT: 'yes',
      XACL: 'yes',
      XPRL: 'yes',
      XPRZ: 'yes',
      XPRS: 'no',
      XUI: 'no',
      XS: 'no',
      XCP: 'yes',
      XCPM: 'no',
      XIT: 'yes',
      XAD: 'no',
    });
    expect(a.vector).toBe('CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:H/A:N');
    expect(assessRubric({ XAVN: 'yes', XAVT: 'yes' }).vector).toBeUndefined();
  });

  it('reads which clinical functions a compromise can touch', () => {
    const a = assessRubric({ XIT: 'no', XAT: 'unknown', XID: 'no', XCP: 'yes' });
    expect(a.clinicalHarm).toEqual({ therapy: true, diagnosis: false });
    expect(a.noClinicalImpact).toBe(false);
    expect(a.phiExposure).toBe('large');
    expect(assessRubric({ XCP: 'no' }).phiExposure).toBe('none');
    expect(assessRubric({ XCP: 'yes', XCPM: 'no' }).phiExposure).toBe('small');
  });

  it('lists invalid entries as ignored instead of guessing', () => {
    expect(assessRubric({ XAVN: 'perhaps', FOO: 'yes' }).ignored).toEqual(['XAVN', 'FOO']);
  });
});
