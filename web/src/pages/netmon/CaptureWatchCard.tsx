/**
 * @module The server's capture-directory watch (CAREGUARD_NETMON_CAPTURE_DIR): what it is doing, the
 * files ingested, skipped and failed since the server started, the last file and the last error.
 * Refreshed every 10 s while shown; when a file goes in, the captures list is told to refresh too.
 */
import { useEffect, useRef } from 'react';
import { netmonApi } from '../../api/netmon.js';
import { ErrorMessage, Loading } from '../../components/Feedback.js';
import { useApi } from '../../hooks/useApi.js';
import { watchHeadline, watchRows, watchTone } from './captureWatch.js';

const REFRESH_MS = 10_000;
const TONE_CLASS = { ok: 'badge badge--outline badge--life-in-service', warn: 'badge badge--sev badge--sev-medium', bad: 'badge badge--sev badge--sev-high' } as const;

export function CaptureWatchCard({ onIngested }: { onIngested?: () => void }) {
  const status = useApi('capture-watch', (signal) => netmonApi.captureWatch(signal));
  const { reload } = status;
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const s = status.data;
  // a file ingested since the last look: the captures and detections shown are out of date
  const seen = useRef<number | undefined>(undefined);
  const ingested = s?.enabled ? s.filesIngested : undefined;
  useEffect(() => {
    if (ingested === undefined) return;
    if (seen.current !== undefined && ingested > seen.current) onIngested?.();
    seen.current = ingested;
  }, [ingested, onIngested]);

  return (
    <section className="card" aria-labelledby="capture-watch-title" data-testid="capture-watch" data-state={s?.enabled ? s.state : s ? 'off' : undefined}>
      <div className="netwatch__head">
        <h2 className="card__title" id="capture-watch-title">
          Capture directory
        </h2>
        {s?.enabled ? <span className={TONE_CLASS[watchTone(s)]}>{watchHeadline(s)}</span> : null}
      </div>
      {status.error ? <ErrorMessage error={status.error} onRetry={reload} /> : null}
      {!s && status.loading ? <Loading label="Loading the capture directory watch…" /> : null}
      {s && !s.enabled ? (
        <p className="card__hint">
          Not followed. Set <code>CAREGUARD_NETMON_CAPTURE_DIR</code> to the directory a tcpdump or dumpcap ring writes to, and the server ingests each file as it completes.
        </p>
      ) : null}
      {s?.enabled ? (
        <dl className="deflist">
          {watchRows(s).map(([k, v]) => (
            <div className="deflist__row" key={k}>
              <dt>{k}</dt>
              <dd className={k === 'Directory' ? 'mono' : undefined}>{v}</dd>
            </div>
          ))}
        </dl>
      ) : null}
    </section>
  );
}
