/**
 * @module The questions of MITRE's "Rubric for Applying CVSS to Medical Devices" (qualified by
 * FDA as a Medical Device Development Tool in 2020), as data. Ids are the rubric's extended-vector
 * names (XAVN, XCP, ...) that rubric calculators record; texts are paraphrased. Each question names
 * the CVSS metric it informs, the answers it allows, the question it follows up (if any) and what
 * CareGuard's risk score does with it.
 *
 * Answers are stored per product, so they describe the product, not one vulnerability: the
 * attack-vector chain gives the most remote way the product can be reached at all (a ceiling for
 * every vulnerability's attack vector, like CVSS's Modified Attack Vector), and the impact
 * questions say which kinds of clinical data and function a compromise can touch (like CVSS's
 * security requirements). The complexity, privilege, interaction and scope questions are kept and
 * validated (they complete the rubric vector) but do not change the score: they are properties of
 * one vulnerability.
 */

export type RubricMetric = 'AV' | 'AC' | 'PR' | 'UI' | 'S' | 'C' | 'I' | 'A';
export type RubricCategory = 'phi' | 'diagnosis' | 'therapy' | 'workflow' | 'system' | 'other';
export type RubricAnswer = 'yes' | 'no' | 'unknown';

export interface RubricQuestion {
  id: string;
  /** the rubric's own numbering */
  ref: string;
  metric: RubricMetric;
  /** for impact questions: which kind of data or functionality */
  category?: RubricCategory;
  text: string;
  answers: readonly RubricAnswer[];
  /** asked only when another question got this answer */
  followUpOf?: { question: string; answer: RubricAnswer };
  /** true when the answer changes CareGuard's risk score */
  usedByScore: boolean;
  /** what the answer does, in the breakdown's words */
  effect: string;
}

const YNU: readonly RubricAnswer[] = ['yes', 'no', 'unknown'];
const YN: readonly RubricAnswer[] = ['yes', 'no'];

const CATEGORY_TEXT: Record<RubricCategory, string> = {
  phi: 'protected health information or other personal data (PHI/PII)',
  diagnosis: 'data or functions used for diagnosis or patient monitoring',
  therapy: 'data or functions that deliver therapy',
  workflow: 'data or functions of the clinical workflow (orders, scheduling, results routing)',
  system: 'private system or user data such as passwords and keys',
  other: 'any other critical or sensitive data or function',
};

const IMPACT_EFFECT: Record<RubricCategory, string> = {
  phi: 'yes/unknown: PHI counts in the score even when inventory does not say the device handles PHI',
  diagnosis: "yes/unknown on integrity or availability: clinical multiplier at least the 'diagnosis' floor; all clinical categories 'no': capped",
  therapy: "yes/unknown on integrity or availability: clinical multiplier at least the 'therapy' floor; all clinical categories 'no': capped",
  workflow: "all clinical categories (diagnosis, therapy, workflow) 'no' on integrity and availability: clinical multiplier capped",
  system: 'recorded in the rubric vector only',
  other: 'recorded in the rubric vector only',
};

const impactQuestions = (): RubricQuestion[] => {
  const cats: Array<[RubricCategory, string]> = [
    ['phi', 'P'],
    ['diagnosis', 'D'],
    ['therapy', 'T'],
    ['workflow', 'W'],
    ['system', 'S'],
    ['other', 'O'],
  ];
  const out: RubricQuestion[] = [];
  cats.forEach(([category, letter], i) => {
    const n = i + 1;
    const used = category === 'phi' || category === 'diagnosis' || category === 'therapy' || category === 'workflow';
    out.push({
      id: `XC${letter}`,
      ref: `Q${n}.C`,
      metric: 'C',
      category,
      text: `Can an attacker read ${CATEGORY_TEXT[category]}?`,
      answers: YNU,
      usedByScore: category === 'phi',
      effect: category === 'phi' ? IMPACT_EFFECT.phi : 'recorded in the rubric vector only (reading clinical data is not patient harm)',
    });
    if (category === 'phi') {
      out.push({
        id: 'XCPM',
        ref: 'Q1.1.C',
        metric: 'C',
        category,
        text: 'Could the exposed data cover many patients (about 500 or more), enough to force breach notification (HIPAA, GDPR)?',
        answers: YNU,
        followUpOf: { question: 'XCP', answer: 'yes' },
        usedByScore: true,
        effect: 'yes/unknown: the large-exposure PHI multiplier; no: the small one',
      });
    }
    out.push({
      id: `XI${letter}`,
      ref: `Q${n}.I`,
      metric: 'I',
      category,
      text: `Can an attacker modify or delete ${CATEGORY_TEXT[category]}?`,
      answers: YNU,
      usedByScore: used && category !== 'phi',
      effect: category === 'phi' ? 'recorded in the rubric vector only' : IMPACT_EFFECT[category],
    });
    out.push({
      id: `XA${letter}`,
      ref: `Q${n}.A`,
      metric: 'A',
      category,
      text: `Can an attacker make ${CATEGORY_TEXT[category]} unavailable?`,
      answers: YNU,
      usedByScore: used && category !== 'phi',
      effect: category === 'phi' ? 'recorded in the rubric vector only' : IMPACT_EFFECT[category],
    });
  });
  return out;
};

export const RUBRIC_QUESTIONS: readonly RubricQuestion[] = [
  {
    id: 'XAVN',
    ref: 'AV Q1',
    metric: 'AV',
    text: 'Can an attacker reach the product over some network or communication protocol (wired or wireless)?',
    answers: YNU,
    usedByScore: true,
    effect: 'starts the attack-vector chain; unknown: network (the conservative reading)',
  },
  {
    id: 'XAVT',
    ref: 'AV Q2',
    metric: 'AV',
    text: 'Does that communication use OSI layer 3/4 protocols (IP, TCP, UDP)?',
    answers: YNU,
    followUpOf: { question: 'XAVN', answer: 'yes' },
    usedByScore: true,
    effect: 'yes/unknown: network (AV:N); no: ask whether it is wireless',
  },
  {
    id: 'XAVW',
    ref: 'AV Q3',
    metric: 'AV',
    text: 'Is the non-IP communication over a wireless channel (Bluetooth, proprietary RF, NFC)?',
    answers: YN,
    followUpOf: { question: 'XAVT', answer: 'no' },
    usedByScore: true,
    effect: 'yes: ask about range; no (wired serial, USB, proprietary bus): adjacent (AV:A), the conservative reading',
  },
  {
    id: 'XAVR',
    ref: 'AV Q4',
    metric: 'AV',
    text: 'Is the wireless range about 10 feet (3 m) or less?',
    answers: YNU,
    followUpOf: { question: 'XAVW', answer: 'yes' },
    usedByScore: true,
    effect: 'yes: local (AV:L); no/unknown: adjacent (AV:A)',
  },
  {
    id: 'XAVP',
    ref: 'AV Q5',
    metric: 'AV',
    text: 'Without a network, must the attacker physically touch the device?',
    answers: YN,
    followUpOf: { question: 'XAVN', answer: 'no' },
    usedByScore: true,
    effect: 'yes: physical (AV:P); no: local (AV:L)',
  },
  {
    id: 'XAVPA',
    ref: 'AV Q5.1',
    metric: 'AV',
    text: 'Is the physical access through a human-user interface meant for manual operation by device users?',
    answers: YN,
    followUpOf: { question: 'XAVP', answer: 'yes' },
    usedByScore: false,
    effect: 'recorded only: physical either way',
  },
  {
    id: 'XACL',
    ref: 'AC Q1',
    metric: 'AC',
    text: 'Can the attacker try the exploit at will, without special circumstances, configurations or other attacks first?',
    answers: YN,
    usedByScore: false,
    effect: 'rubric vector only: yes AC:L, no AC:H',
  },
  {
    id: 'XPRL',
    ref: 'PR Q1',
    metric: 'PR',
    text: 'Does the product have an authorization model with several users or roles at different privilege levels?',
    answers: YN,
    usedByScore: false,
    effect: 'rubric vector only: no PR:N; yes: ask whether authorization is needed',
  },
  {
    id: 'XPRZ',
    ref: 'PR Q2',
    metric: 'PR',
    text: 'Must the attacker already be authorized to the affected component before exploiting?',
    answers: YN,
    followUpOf: { question: 'XPRL', answer: 'yes' },
    usedByScore: false,
    effect: 'rubric vector only: no PR:N; yes: ask about privilege level',
  },
  {
    id: 'XPRS',
    ref: 'PR Q3',
    metric: 'PR',
    text: 'Must the attacker hold administrator, maintainer or other system-level privileges?',
    answers: YN,
    followUpOf: { question: 'XPRZ', answer: 'yes' },
    usedByScore: false,
    effect: 'rubric vector only: yes PR:H, no PR:L',
  },
  {
    id: 'XUI',
    ref: 'UI Q1',
    metric: 'UI',
    text: 'Does a successful exploit depend on another user (clinician, patient, technician) doing something?',
    answers: YN,
    usedByScore: false,
    effect: 'rubric vector only: yes UI:R, no UI:N',
  },
  {
    id: 'XS',
    ref: 'S Q1',
    metric: 'S',
    text: 'Can the attacker affect a component under a different authority than the vulnerable one (scope change)?',
    answers: YN,
    usedByScore: false,
    effect: 'rubric vector only: yes S:C, no S:U',
  },
  ...impactQuestions(),
];

export const RUBRIC_QUESTION_IDS: readonly string[] = RUBRIC_QUESTIONS.map((q) => q.id);

const BY_ID = new Map(RUBRIC_QUESTIONS.map((q) => [q.id, q]));
export const rubricQuestion = (id: string): RubricQuestion | undefined => BY_ID.get(id);
