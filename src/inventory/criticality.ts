/**
 * @module Clinical criticality: what each level means for patient safety and for the response a
 * security event on such a device deserves. Risk scoring, alert priority and the dashboard read
 * these definitions; docs/inventory.md repeats them for people.
 */
import { CRITICALITIES, type Criticality } from './model.js';

export interface CriticalityLevel {
  id: Criticality;
  label: string;
  /** 0 is the most critical; sorting by criticality sorts by rank */
  rank: number;
  meaning: string;
  /** how to treat a security event on a device of this level */
  response: string;
  examples: string[];
}

export const CRITICALITY_LEVELS: readonly CriticalityLevel[] = [
  {
    id: 'life-sustaining',
    label: 'Life-sustaining',
    rank: 0,
    meaning:
      'The patient depends on the device continuously to stay alive: loss of function, or a manipulated output, can cause death or serious injury within minutes.',
    response:
      'Highest priority. Never isolate or reboot without a clinical fallback in place at the bedside; involve clinical engineering and the care team immediately.',
    examples: ['ventilator', 'anesthesia machine', 'ECMO', 'hemodialysis machine during therapy', 'implanted pacemaker or ICD'],
  },
  {
    id: 'life-supporting',
    label: 'Life-supporting',
    rank: 1,
    meaning:
      'Supports or watches vital functions: failure can harm a patient if it goes unnoticed, but staff have a workaround within minutes (manual observation, a spare device).',
    response: 'Urgent. Coordinate containment with the unit so monitoring or therapy continues on a substitute.',
    examples: ['infusion pump', 'patient monitor', 'central station', 'telemetry', 'nurse call'],
  },
  {
    id: 'diagnostic',
    label: 'Diagnostic',
    rank: 2,
    meaning:
      'Produces images, results or measurements that decisions are based on: unavailability delays care; a tampered result can lead to a wrong diagnosis or treatment.',
    response: 'High. Integrity matters as much as availability: verify results produced during the incident window.',
    examples: ['CT', 'MRI', 'X-ray', 'ultrasound', 'PACS', 'lab analyzer', 'ECG'],
  },
  {
    id: 'therapeutic-non-critical',
    label: 'Therapeutic, non-critical',
    rank: 3,
    meaning:
      'Delivers or supports therapy whose interruption does not threaten life in the short term; care can be postponed or moved to another device.',
    response: 'Normal priority; schedule containment with the department.',
    examples: ['enteral feeding pump', 'medication dispensing cabinet', 'smart bed', 'physiotherapy equipment'],
  },
  {
    id: 'non-clinical',
    label: 'Non-clinical',
    rank: 4,
    meaning:
      'No direct effect on a patient. It may still hold protected health information or be a stepping stone onto the clinical network.',
    response: 'Standard IT incident handling; contain freely.',
    examples: ['printer', 'workstation', 'building automation controller', 'IP camera'],
  },
];

/** Rank given to devices with no criticality: they sort after every known level. */
export const UNKNOWN_CRITICALITY_RANK = 9;

const BY_ID = new Map<string, CriticalityLevel>(CRITICALITY_LEVELS.map((l) => [l.id, l]));

export const isCriticality = (s: string): s is Criticality => (CRITICALITIES as readonly string[]).includes(s);

export function criticalityLevel(id: Criticality): CriticalityLevel {
  const level = BY_ID.get(id);
  if (!level) throw new Error(`criticality ${id} has no definition`);
  return level;
}

export const criticalityRank = (id: Criticality | undefined): number => (id ? criticalityLevel(id).rank : UNKNOWN_CRITICALITY_RANK);

export function criticalityFromRank(rank: number): Criticality | undefined {
  return CRITICALITY_LEVELS.find((l) => l.rank === rank)?.id;
}
