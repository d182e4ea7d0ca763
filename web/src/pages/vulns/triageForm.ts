/**
 * @module Checks a triage form before it is sent, with the same rules the server applies
 * (src/vulns/triage.ts validateTriage): not_affected needs a justification or an impact statement,
 * a justification belongs to not_affected only, and texts stay within 4000 characters. The server
 * still decides; this only saves a round trip and says which field to fix.
 */
import { VEX_JUSTIFICATIONS, VEX_STATES } from '../../api/vulns.js';
import type { TriageBody, VexJustification, VexState } from '../../api/vulns.js';

export const MAX_TRIAGE_TEXT = 4000;

export interface TriageFormValues {
  state: string;
  justification: string;
  detail: string;
  action: string;
}

export type TriageFormField = keyof TriageFormValues;

export type TriageFormResult = { ok: true; body: TriageBody } | { ok: false; field: TriageFormField; message: string };

const isState = (s: string): s is VexState => (VEX_STATES as readonly string[]).includes(s);
const isJustification = (s: string): s is VexJustification => (VEX_JUSTIFICATIONS as readonly string[]).includes(s);

export function buildTriageBody(values: TriageFormValues): TriageFormResult {
  if (!isState(values.state)) return { ok: false, field: 'state', message: 'Choose a VEX state.' };
  const detail = values.detail.trim();
  const action = values.action.trim();
  // the justification select is hidden for other states; a stale choice from before is dropped, not sent
  const justification = values.state === 'not_affected' ? values.justification : '';
  if (justification && !isJustification(justification)) return { ok: false, field: 'justification', message: 'Choose a justification from the list.' };
  if (values.state === 'not_affected' && !justification && !detail) {
    return { ok: false, field: 'justification', message: 'Not affected needs a justification or an impact statement.' };
  }
  for (const field of ['detail', 'action'] as const) {
    if (values[field].trim().length > MAX_TRIAGE_TEXT) return { ok: false, field, message: `Keep this under ${MAX_TRIAGE_TEXT} characters.` };
  }
  const body: TriageBody = { state: values.state };
  if (justification && isJustification(justification)) body.justification = justification;
  if (detail) body.detail = detail;
  if (action) body.action = action;
  return { ok: true, body };
}
