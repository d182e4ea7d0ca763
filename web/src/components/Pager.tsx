/** @module Previous/next paging over an opaque server cursor, with "showing X–Y of N". */
import { formatCount } from '../lib/format.js';

interface PagerProps {
  /** 0-based page index */
  page: number;
  pageSize: number;
  shown: number;
  total: number;
  hasNext: boolean;
  onPrevious(): void;
  onNext(): void;
  label: string;
  busy?: boolean;
}

export function Pager({ page, pageSize, shown, total, hasNext, onPrevious, onNext, label, busy }: PagerProps) {
  const first = shown === 0 ? 0 : page * pageSize + 1;
  const last = page * pageSize + shown;
  return (
    <nav className="pager" aria-label={label}>
      <p className="pager__status" aria-live="polite" data-testid="pager-status">
        {shown === 0 ? 'No results' : `Showing ${formatCount(first)}–${formatCount(last)} of ${formatCount(total)}`}
      </p>
      <div className="pager__buttons">
        <button type="button" className="btn btn--secondary btn--sm" onClick={onPrevious} disabled={page === 0 || busy}>
          <span aria-hidden="true">‹ </span>Previous
        </button>
        <span className="pager__page">Page {page + 1}</span>
        <button type="button" className="btn btn--secondary btn--sm" onClick={onNext} disabled={!hasNext || busy}>
          Next<span aria-hidden="true"> ›</span>
        </button>
      </div>
    </nav>
  );
}
