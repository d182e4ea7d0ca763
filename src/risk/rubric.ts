/**
 * @module Validation and interpretation of a product's MITRE rubric answers. Validation names each
 * bad entry by JSON pointer (the question id) with the answers it allows; interpretation turns
 * valid answers into what the risk score uses: the product's attack-vector ceiling, which kinds of
 * clinical data and function a compromise can touch, and the rubric's CVSS v3.1 vector so far.
 */
import { invalidInput, type DomainError } from '../core/index.js';
import type { CvssAttackVector, RubricAnswers } from './model.js';
import { RUBRIC_QUESTIONS, RUBRIC_QUESTION_IDS, rubricQuestion, type RubricAnswer, type RubricCategory } from './rubric-questions.js';

export interface RubricIssue {
  /** RFC 6901 pointer into the answers object: '/XAVN' */
  pointer: string;
  code: 'rubric.not_object' | 'rubric.unknown_question' | 'rubric.invalid_answer' | 'rubric.not_applicable';
  message: string;
}

export interface RubricValidation {
  valid: boolean;
  errors: RubricIssue[];
  /** follow-up questions answered although their parent question's answer skips them */
  warnings: RubricIssue[];
}

const pointerOf = (key: string): string => `/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;

/** Checks answers from an API body or the store. Errors for unknown questions and answers; warnings for skipped follow-ups. */
export function validateRubricAnswers(answers: unknown): RubricValidation {
  if (typeof answers !== 'object' || answers === null || Array.isArray(answers)) {
    const got = answers === null ? 'null' : Array.isArray(answers) ? 'an array' : typeof answers;
    return { valid: false, errors: [{ pointer: '', code: 'rubric.not_object', message: `rubric answers must be an object of question id -> answer, got ${got}` }], warnings: [] };
  }
  const errors: RubricIssue[] = [];
  const warnings: RubricIssue[] = [];
  const entries = Object.entries(answers as Record<string, unknown>);
  for (const [key, value] of entries) {
    const pointer = pointerOf(key);
    const q = rubricQuestion(key);
    if (!q) {
      const near = RUBRIC_QUESTION_IDS.find((id) => id.toLowerCase() === key.trim().toLowerCase());
      const hint = near ? ` (did you mean ${near}?)` : ` (known questions: ${RUBRIC_QUESTION_IDS.join(', ')})`;
      errors.push({ pointer, code: 'rubric.unknown_question', message: `${pointer}: unknown rubric question ${JSON.stringify(key)}${hint}` });
      continue;
    }
    if (typeof value !== 'string' || !(q.answers as readonly string[]).includes(value)) {
      errors.push({
        pointer,
        code: 'rubric.invalid_answer',
        message: `${pointer}: ${JSON.stringify(value)} is not an allowed answer to ${q.id} (${q.ref}); allowed: ${q.answers.join(', ')}`,
      });
    }
  }
  const map = answers as Record<string, unknown>;
  for (const [key] of entries) {
    const q = rubricQuestion(key);
    if (!q?.followUpOf) continue;
    const parent = map[q.followUpOf.question];
    if (parent !== q.followUpOf.answer) {
      const pointer = pointerOf(key);
      const shown = parent === undefined ? 'unanswered' : JSON.stringify(parent);
      warnings.push({
        pointer,
        code: 'rubric.not_applicable',
        message: `${pointer}: ${q.id} is asked only when ${q.followUpOf.question} is '${q.followUpOf.answer}' (it is ${shown}); the answer is ignored`,
      });
    }
  }
  return { valid: errors.length === 0, errors, warnings };
}

/** Validates and returns the answers typed, or throws one DomainError ('risk.rubric_invalid') listing every problem. */
export function assertValidRubricAnswers(answers: unknown): RubricAnswers {
  const v = validateRubricAnswers(answers);
  if (!v.valid) {
    const err: DomainError = invalidInput('risk.rubric_invalid', `invalid rubric answers: ${v.errors.map((e) => e.message).join('; ')}`, {
      location: { pointer: v.errors[0]!.pointer },
      details: { errors: v.errors },
    });
    throw err;
  }
  return answers as RubricAnswers;
}

type Level = 'H' | 'L' | 'N';

export interface RubricAssessment {
  /** the most remote way the product can be attacked, when the attack-vector chain is answered far enough */
  attackVector?: CvssAttackVector;
  /** the answers that decided it: ['XAVN=yes', 'XAVT=no', ...] */
  attackVectorPath: string[];
  /** impact per kind of data/function: true when it can be altered or made unavailable (yes/unknown) */
  clinicalHarm: { diagnosis?: boolean; therapy?: boolean; workflow?: boolean };
  /** every clinical integrity/availability question (diagnosis, therapy, workflow) answered 'no' */
  noClinicalImpact: boolean;
  /** readable PHI: 'large' (500+ patients or unknown), 'small', 'none'; undefined when not answered */
  phiExposure?: 'large' | 'small' | 'none';
  /** CVSS v3.1 base metrics the rubric determines so far */
  metrics: Partial<Record<'AV' | 'AC' | 'PR' | 'UI' | 'S' | 'C' | 'I' | 'A', string>>;
  /** 'CVSS:3.1/AV:N/...' when all eight base metrics are determined */
  vector?: string;
  /** entries that failed validation and were ignored */
  ignored: string[];
}

/** Interprets answers; invalid entries are ignored (and listed), never guessed at. */
export function assessRubric(raw: RubricAnswers): RubricAssessment {
  const ignored: string[] = [];
  const a = new Map<string, RubricAnswer>();
  for (const [key, value] of Object.entries(raw)) {
    const q = rubricQuestion(key);
    if (q && (q.answers as readonly string[]).includes(value)) a.set(key, value as RubricAnswer);
    else ignored.push(key);
  }
  const path: string[] = [];
  const ask = (id: string): RubricAnswer | undefined => {
    const v = a.get(id);
    if (v !== undefined) path.push(`${id}=${v}`);
    return v;
  };
  const attackVector = ((): CvssAttackVector | undefined => {
    const n = ask('XAVN');
    if (n === undefined) return undefined;
    if (n === 'unknown') return 'N';
    if (n === 'yes') {
      const t = ask('XAVT');
      if (t === undefined) return undefined;
      if (t !== 'no') return 'N';
      const w = ask('XAVW');
      if (w === undefined) return undefined;
      if (w === 'no') return 'A';
      const r = ask('XAVR');
      if (r === undefined) return undefined;
      return r === 'yes' ? 'L' : 'A';
    }
    const p = ask('XAVP');
    if (p === undefined) return undefined;
    return p === 'yes' ? 'P' : 'L';
  })();

  const harmed = (c: RubricCategory): boolean | undefined => {
    const letter = CATEGORY_LETTER[c];
    const values = [a.get(`XI${letter}`), a.get(`XA${letter}`)].filter((v): v is RubricAnswer => v !== undefined);
    if (values.length === 0) return undefined;
    return values.some((v) => v !== 'no');
  };
  const clinicalHarm: RubricAssessment['clinicalHarm'] = {};
  for (const c of ['diagnosis', 'therapy', 'workflow'] as const) {
    const h = harmed(c);
    if (h !== undefined) clinicalHarm[c] = h;
  }
  const clinicalIds = ['XID', 'XAD', 'XIT', 'XAT', 'XIW', 'XAW'];
  const noClinicalImpact = clinicalIds.every((id) => a.get(id) === 'no');

  const xcp = a.get('XCP');
  const phiExposure =
    xcp === undefined ? undefined : xcp === 'no' ? 'none' : xcp === 'unknown' || a.get('XCPM') !== 'no' ? 'large' : 'small';

  const metrics = rubricMetrics(a, attackVector);
  const order = ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A'] as const;
  const out: RubricAssessment = { attackVectorPath: attackVector ? path : [], clinicalHarm, noClinicalImpact, metrics, ignored };
  if (attackVector) out.attackVector = attackVector;
  if (phiExposure) out.phiExposure = phiExposure;
  if (order.every((k) => metrics[k] !== undefined)) out.vector = `CVSS:3.1/${order.map((k) => `${k}:${metrics[k]}`).join('/')}`;
  return out;
}

const CATEGORY_LETTER: Record<RubricCategory, string> = { phi: 'P', diagnosis: 'D', therapy: 'T', workflow: 'W', system: 'S', other: 'O' };

function rubricMetrics(a: Map<string, RubricAnswer>, av: CvssAttackVector | undefined): RubricAssessment['metrics'] {
  const m: RubricAssessment['metrics'] = {};
  if (av) m.AV = av;
  const ac = a.get('XACL');
  if (ac) m.AC = ac === 'yes' ? 'L' : 'H';
  const prl = a.get('XPRL');
  if (prl === 'no') m.PR = 'N';
  else if (prl === 'yes') {
    const prz = a.get('XPRZ');
    if (prz === 'no') m.PR = 'N';
    else if (prz === 'yes') {
      const prs = a.get('XPRS');
      if (prs) m.PR = prs === 'yes' ? 'H' : 'L';
    }
  }
  const ui = a.get('XUI');
  if (ui) m.UI = ui === 'yes' ? 'R' : 'N';
  const s = a.get('XS');
  if (s) m.S = s === 'yes' ? 'C' : 'U';
  // each impact metric is the highest over the kinds of data answered; unknown counts as yes
  for (const metric of ['C', 'I', 'A'] as const) {
    const levels: Level[] = [];
    for (const q of RUBRIC_QUESTIONS) {
      if (q.metric !== metric || q.followUpOf) continue;
      const v = a.get(q.id);
      if (v === undefined) continue;
      if (v === 'no') levels.push('N');
      else if (q.id === 'XCP' && v === 'yes' && a.get('XCPM') === 'no') levels.push('L');
      else levels.push('H');
    }
    if (levels.length > 0) m[metric] = levels.includes('H') ? 'H' : levels.includes('L') ? 'L' : 'N';
  }
  return m;
}
