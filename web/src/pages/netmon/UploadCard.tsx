/**
 * @module Upload a capture (pcap/pcapng) or a Zeek conn.log from the browser, for users holding
 * netmon:ingest: the file goes up as the raw request body with its media type, the bar shows the bytes
 * sent and then that the server is analysing, and the result says what the capture added (packets,
 * flows, devices, alerts, detections) or what was wrong with it.
 */
import { useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { captureUploadName, netmonApi } from '../../api/netmon.js';
import type { CaptureUploadResult, UploadProgress } from '../../api/netmon.js';
import { ErrorMessage } from '../../components/Feedback.js';
import { formatCount } from '../../lib/format.js';
import { formatBytes } from './netformat.js';

const ACCEPT = '.pcap,.pcapng,.cap,.log,.txt,.tsv,.ndjson,.json,application/vnd.tcpdump.pcap,application/x-pcapng,text/plain';

type State =
  | { kind: 'idle' }
  | { kind: 'busy'; progress: UploadProgress }
  | { kind: 'done'; name: string; result: CaptureUploadResult }
  | { kind: 'failed'; error: unknown };

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

export function UploadCard({ onUploaded }: { onUploaded(result: CaptureUploadResult): void }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | undefined>(undefined);
  const [name, setName] = useState('');
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [missing, setMissing] = useState(false);
  const busy = state.kind === 'busy';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!file) {
      setMissing(true);
      input.current?.focus();
      return;
    }
    const chosen = name.trim() || captureUploadName(file.name);
    setState({ kind: 'busy', progress: { phase: 'uploading', loaded: 0, total: file.size } });
    netmonApi
      .uploadCapture(file, { ...(chosen ? { name: chosen } : {}), onProgress: (progress) => setState({ kind: 'busy', progress }) })
      .then((result) => {
        setState({ kind: 'done', name: chosen ?? file.name, result });
        setFile(undefined);
        setName('');
        if (input.current) input.current.value = '';
        onUploaded(result);
      })
      .catch((error: unknown) => setState({ kind: 'failed', error }));
  };

  const progress = state.kind === 'busy' ? state.progress : undefined;
  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="capture-upload">
      <h2 className="card__title" id={`${id}-title`}>
        Upload a capture
      </h2>
      <form className="form uploadform" onSubmit={submit} aria-busy={busy} noValidate>
        <div className="field">
          <label htmlFor={`${id}-file`}>Capture or flow log</label>
          <input
            ref={input}
            id={`${id}-file`}
            name="capture"
            type="file"
            accept={ACCEPT}
            disabled={busy}
            aria-describedby={`${id}-hint${missing ? ` ${id}-missing` : ''}`}
            aria-invalid={missing ? true : undefined}
            data-testid="capture-file"
            onChange={(e) => {
              const f = e.target.files?.[0];
              setFile(f);
              setMissing(false);
              if (f) setName(captureUploadName(f.name) ?? '');
            }}
          />
          <span className="card__hint" id={`${id}-hint`}>
            pcap or pcapng from a SPAN port or tap, or a Zeek conn.log (TSV or JSON lines). Devices go into the inventory, findings and detections become alerts.
          </span>
          {missing ? (
            <span className="field__error" id={`${id}-missing`} role="alert">
              Choose a file to upload.
            </span>
          ) : null}
        </div>
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} type="text" value={name} onChange={(e) => setName(e.target.value)} maxLength={200} disabled={busy} placeholder="ward-3-icu-monday.pcapng" autoComplete="off" />
        </div>
        <div className="uploadform__actions">
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {busy ? 'Uploading…' : 'Upload and analyse'}
          </button>
          {progress ? (
            <div className="uploadform__progress" role="status" aria-live="polite">
              <progress max={progress.total || 1} value={progress.phase === 'analysing' ? undefined : progress.loaded} aria-label="Upload progress" />
              <span>{progress.phase === 'analysing' ? 'Analysing the capture on the server…' : `${formatBytes(progress.loaded)} of ${formatBytes(progress.total)} sent`}</span>
            </div>
          ) : null}
        </div>
      </form>
      {state.kind === 'done' ? (
        <p className="notice notice--info uploadform__result" role="status" data-testid="upload-result" data-capture-id={state.result.captureId}>
          <span>
            <strong>{state.name}</strong> ingested: {plural(state.result.packets, 'packet')}, {plural(state.result.flows, 'flow')}, {plural(state.result.devices.reported, 'device')} (
            {formatCount(state.result.devices.created)} new), {plural(state.result.alerts.created, 'new alert')}, {plural(state.result.detections, 'detection')}.
          </span>
        </p>
      ) : null}
      {state.kind === 'failed' ? (
        <div data-testid="upload-error">
          <ErrorMessage error={state.error} />
        </div>
      ) : null}
    </section>
  );
}
