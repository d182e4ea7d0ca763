/**
 * @module Confirms an alert triage action (acknowledge or resolve) with an optional note. A native
 * modal <dialog> traps focus, closes on Escape and returns focus to the button that opened it.
 */
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { Alert } from '../../api/types.js';
import { ErrorMessage } from '../../components/Feedback.js';

export type AlertAction = 'acknowledge' | 'resolve';

interface AlertActionDialogProps {
  alert: Alert;
  action: AlertAction;
  onConfirm(note: string): Promise<void>;
  onClose(): void;
}

export function AlertActionDialog({ alert, action, onConfirm, onClose }: AlertActionDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const verb = action === 'acknowledge' ? 'Acknowledge' : 'Resolve';

  // close() in the cleanup returns focus to the opener; the 'close' event it queues is not the user
  // closing the dialog, so it is not passed on (React's development mode runs this effect twice:
  // passing it on dismissed the dialog as soon as it opened)
  const closingQuietly = useRef(false);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      if (!dialog?.open) return;
      closingQuietly.current = true;
      dialog.close();
    };
  }, []);
  const closed = () => {
    if (closingQuietly.current) {
      closingQuietly.current = false;
      if (ref.current && !ref.current.open) ref.current.showModal();
      return;
    }
    onClose();
  };

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm(note.trim());
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <dialog ref={ref} className="dialog" aria-labelledby="action-title" onClose={closed} onCancel={onClose}>
      <form onSubmit={(e) => void submit(e)} className="form">
        <h2 id="action-title" className="dialog__title">
          {verb} alert
        </h2>
        <p className="dialog__subject">{alert.title}</p>
        <div className="field">
          <label htmlFor="action-note">
            Note <span className="muted">(optional)</span>
          </label>
          <textarea
            id="action-note"
            rows={3}
            maxLength={2000}
            value={note}
            onChange={(e) => setNote(e.target.value)}
            placeholder={action === 'resolve' ? 'What was done, e.g. "Patched firmware to 3.2.1"' : 'e.g. "Investigating with biomed"'}
          />
        </div>
        {error ? <ErrorMessage error={error} /> : null}
        <div className="dialog__actions">
          <button type="button" className="btn btn--secondary" onClick={onClose} disabled={busy}>
            Cancel
          </button>
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {busy ? `${verb === 'Acknowledge' ? 'Acknowledging' : 'Resolving'}…` : verb}
          </button>
        </div>
      </form>
    </dialog>
  );
}
