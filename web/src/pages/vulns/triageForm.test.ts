import { describe, expect, it } from 'vitest';
import { buildTriageBody } from './triageForm.js';

const form = (values: Partial<Record<'state' | 'justification' | 'detail' | 'action', string>>) => ({ state: '', justification: '', detail: '', action: '', ...values });

describe('buildTriageBody', () => {
  it('builds not_affected with its justification, trimming texts and leaving empty ones out', () => {
    expect(buildTriageBody(form({ state: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', detail: '  feature disabled ', action: ' ' }))).toEqual({
      ok: true,
      body: { state: 'not_affected', justification: 'vulnerable_code_not_in_execute_path', detail: 'feature disabled' },
    });
  });

  it('accepts not_affected with an impact statement instead of a justification', () => {
    expect(buildTriageBody(form({ state: 'not_affected', detail: 'the service is compiled out' }))).toMatchObject({ ok: true, body: { state: 'not_affected', detail: 'the service is compiled out' } });
  });

  it('refuses not_affected with neither justification nor impact statement, naming the justification field', () => {
    expect(buildTriageBody(form({ state: 'not_affected' }))).toEqual({ ok: false, field: 'justification', message: 'Not affected needs a justification or an impact statement.' });
  });

  it('drops a justification left over from not_affected when another state is chosen', () => {
    expect(buildTriageBody(form({ state: 'affected', justification: 'code_not_present', action: 'patch in Q3' }))).toEqual({ ok: true, body: { state: 'affected', action: 'patch in Q3' } });
  });

  it('refuses a missing or unknown state and an unknown justification', () => {
    expect(buildTriageBody(form({}))).toMatchObject({ ok: false, field: 'state' });
    expect(buildTriageBody(form({ state: 'maybe' }))).toMatchObject({ ok: false, field: 'state' });
    expect(buildTriageBody(form({ state: 'not_affected', justification: 'because' }))).toMatchObject({ ok: false, field: 'justification' });
  });

  it('refuses texts over 4000 characters, naming the field', () => {
    expect(buildTriageBody(form({ state: 'fixed', action: 'x'.repeat(4001) }))).toMatchObject({ ok: false, field: 'action' });
    expect(buildTriageBody(form({ state: 'fixed', detail: 'x'.repeat(4000) }))).toMatchObject({ ok: true });
  });
});
