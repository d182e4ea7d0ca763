/**
 * @module A finding's triage: the current VEX decision with who made it, when and where it came from
 * (an analyst, or an imported VEX document), and — for users holding vulns:write — a form to record a
 * new one. The server applies a decision to every open finding of the same product line, component
 * and vulnerability, so the form says so and reports how many findings it updated.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { VEX_JUSTIFICATIONS, VEX_STATES, vulnsApi } from '../../api/vulns.js';
import type { Finding, TriageDecision } from '../../api/vulns.js';
import { ErrorMessage } from '../../components/Feedback.js';
import { formatDateTime, formatRelative, humanize } from '../../lib/format.js';
import { triageLabel, triageOriginLabel } from './risk.js';
import { buildTriageBody, MAX_TRIAGE_TEXT } from './triageForm.js';
import type { TriageFormField, TriageFormValues } from './triageForm.js';
import { TriageBadge } from './VulnBadges.js';

function CurrentTriage({ triage }: { triage: TriageDecision | undefined }) {
  if (!triage) {
    return (
      <p className="muted" data-testid="current-triage" data-triage="untriaged">
        Not triaged yet: the finding is scored as affected.
      </p>
    );
  }
  return (
    <dl className="deflist" data-testid="current-triage" data-triage={triage.state}>
      <div className="deflist__row">
        <dt>State</dt>
        <dd>
          <TriageBadge state={triage.state} />
        </dd>
      </div>
      {triage.justification ? (
        <div className="deflist__row">
          <dt>Justification</dt>
          <dd data-field="justification">{humanize(triage.justification)}</dd>
        </div>
      ) : null}
      {triage.detail ? (
        <div className="deflist__row">
          <dt>Impact statement</dt>
          <dd data-field="detail">{triage.detail}</dd>
        </div>
      ) : null}
      {triage.action ? (
        <div className="deflist__row">
          <dt>Action</dt>
          <dd data-field="action">{triage.action}</dd>
        </div>
      ) : null}
      <div className="deflist__row">
        <dt>Decided</dt>
        <dd data-field="by">
          {triage.by.name}, <time dateTime={triage.at} title={formatDateTime(triage.at)}>{formatRelative(triage.at)}</time>
          <span className="cell-sub">{triageOriginLabel(triage.origin)}</span>
        </dd>
      </div>
    </dl>
  );
}

const FIELD_IDS: Record<TriageFormField, string> = { state: 'triage-state', justification: 'triage-justification', detail: 'triage-detail', action: 'triage-action' };

function TriageForm({ finding, onSaved }: { finding: Finding; onSaved(updated: Finding[]): void }) {
  const t = finding.triage;
  const [values, setValues] = useState<TriageFormValues>({ state: t?.state ?? '', justification: t?.justification ?? '', detail: t?.detail ?? '', action: t?.action ?? '' });
  const [invalid, setInvalid] = useState<{ field: TriageFormField; message: string } | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const set = (field: TriageFormField) => (value: string) => {
    setValues((v) => ({ ...v, [field]: value }));
    if (invalid?.field === field) setInvalid(undefined);
  };
  const describedBy = (field: TriageFormField) => (invalid?.field === field ? 'triage-invalid' : undefined);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(undefined);
    const built = buildTriageBody(values);
    if (!built.ok) {
      setInvalid({ field: built.field, message: built.message });
      document.getElementById(FIELD_IDS[built.field])?.focus();
      return;
    }
    setBusy(true);
    try {
      const res = await vulnsApi.triageFinding(finding.id, built.body);
      onSaved(res.updated);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form triageform" onSubmit={(e) => void submit(e)} aria-labelledby="triage-form-title" data-testid="triage-form" noValidate>
      <h3 className="alertdetails__heading" id="triage-form-title">
        Record a decision
      </h3>
      <div className="triageform__row">
        <div className="field">
          <label htmlFor="triage-state">VEX state</label>
          <select id="triage-state" value={values.state} onChange={(e) => set('state')(e.target.value)} aria-invalid={invalid?.field === 'state'} aria-describedby={describedBy('state')} required>
            <option value="" disabled>
              Choose…
            </option>
            {VEX_STATES.map((s) => (
              <option key={s} value={s}>
                {triageLabel(s)}
              </option>
            ))}
          </select>
        </div>
        {values.state === 'not_affected' ? (
          <div className="field">
            <label htmlFor="triage-justification">Justification</label>
            <select id="triage-justification" value={values.justification} onChange={(e) => set('justification')(e.target.value)} aria-invalid={invalid?.field === 'justification'} aria-describedby={describedBy('justification')}>
              <option value="">None (give an impact statement)</option>
              {VEX_JUSTIFICATIONS.map((j) => (
                <option key={j} value={j}>
                  {humanize(j)}
                </option>
              ))}
            </select>
          </div>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor="triage-detail">
          Impact statement <span className="muted">(why; shown in VEX exports)</span>
        </label>
        <textarea id="triage-detail" rows={2} maxLength={MAX_TRIAGE_TEXT} value={values.detail} onChange={(e) => set('detail')(e.target.value)} aria-invalid={invalid?.field === 'detail'} aria-describedby={describedBy('detail')} />
      </div>
      <div className="field">
        <label htmlFor="triage-action">
          Action statement <span className="muted">(what is being done, optional)</span>
        </label>
        <textarea id="triage-action" rows={2} maxLength={MAX_TRIAGE_TEXT} value={values.action} onChange={(e) => set('action')(e.target.value)} aria-invalid={invalid?.field === 'action'} aria-describedby={describedBy('action')} />
      </div>
      {invalid ? (
        <p className="field__error" id="triage-invalid" role="alert">
          {invalid.message}
        </p>
      ) : null}
      {error ? <ErrorMessage error={error} /> : null}
      <div className="triageform__actions">
        <p className="card__hint">Applies to every open finding of this product line with the same component and vulnerability.</p>
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {busy ? 'Saving…' : 'Save triage'}
        </button>
      </div>
    </form>
  );
}

interface TriagePanelProps {
  finding: Finding;
  canWrite: boolean;
  onSaved(): void;
}

export function TriagePanel({ finding, canWrite, onSaved }: TriagePanelProps) {
  const [saved, setSaved] = useState<number | undefined>(undefined);
  return (
    <section className="card" aria-labelledby="triage-title" data-testid="triage-panel">
      <h2 className="card__title" id="triage-title">
        Triage
      </h2>
      <CurrentTriage triage={finding.triage} />
      <div role="status" aria-live="polite">
        {saved !== undefined ? (
          <p className="notice notice--info triage__saved" data-testid="triage-saved">
            Saved. The decision now applies to {saved} open {saved === 1 ? 'finding' : 'findings'}.
          </p>
        ) : null}
      </div>
      {canWrite ? (
        <TriageForm
          key={`${finding.id}|${finding.triage?.at ?? ''}`}
          finding={finding}
          onSaved={(updated) => {
            setSaved(updated.length);
            onSaved();
          }}
        />
      ) : (
        <p className="card__hint triage__readonly">Your role can read triage decisions but not change them.</p>
      )}
    </section>
  );
}
