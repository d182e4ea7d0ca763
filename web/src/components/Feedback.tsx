/** @module Loading, empty and error states, announced to assistive technology. */
import type { ReactNode } from 'react';
import { isApiError } from '../api/client.js';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty__title">{title}</p>
      {children ? <div className="empty__body">{children}</div> : null}
    </div>
  );
}

/** Shows a problem+json error (title, detail, code) or a network failure in plain words. */
export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  let title = 'Something went wrong';
  let detail = 'The server could not be reached. Check your connection and try again.';
  let code: string | undefined;
  if (isApiError(error)) {
    title = error.problem.title ?? title;
    detail = error.problem.detail ?? error.message;
    code = error.code;
    if (error.status === 404) title = 'Not found';
    if (error.status === 403) title = 'Not allowed';
  }
  return (
    <div className="notice notice--error" role="alert">
      <div>
        <p className="notice__title">{title}</p>
        <p className="notice__body">
          {detail}
          {code ? <code className="notice__code">{code}</code> : null}
        </p>
      </div>
      {onRetry ? (
        <button type="button" className="btn btn--secondary btn--sm" onClick={onRetry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}

/**
 * What a detail page shows until its record has loaded: the error (a 404 titled "<noun> not found",
 * with no retry) or a spinner, under the page's back link.
 */
export function DetailPending({ back, noun, error, onRetry }: { back: ReactNode; noun: string; error: unknown; onRetry: () => void }) {
  if (error) {
    const missing = isApiError(error) && error.status === 404;
    return (
      <main className="page" id="main">
        {back}
        <h1 className="page__title">{missing ? `${noun} not found` : noun}</h1>
        <ErrorMessage error={error} onRetry={missing ? undefined : onRetry} />
      </main>
    );
  }
  return (
    <main className="page" id="main" aria-busy="true">
      {back}
      <Loading label={`Loading ${noun.toLowerCase()}…`} />
    </main>
  );
}
