/**
 * @module The findings toolbar: status switch, debounced search (vulnerability id or component name),
 * triage state (including untriaged), review flag, minimum risk, sort and page size, plus removable
 * chips for a product or vulnerability scope arriving from another page.
 */
import { useEffect, useRef, useState } from 'react';
import { useDebounced } from '../../hooks/useDebounced.js';
import { humanize } from '../../lib/format.js';
import { FINDING_STATUSES, PAGE_SIZES, TRIAGE_FILTERS, activeFilterCount, defaultFindingParams } from './findingParams.js';
import type { FindingListParams } from './findingParams.js';
import { BAND_MIN, triageLabel } from './risk.js';

interface FindingFiltersProps {
  params: FindingListParams;
  /** label for the product scope chip (its name once known) */
  productLabel?: string;
  onChange(next: FindingListParams): void;
}

const SEARCH_DEBOUNCE_MS = 300;

const MIN_RISK_OPTIONS: { value: number; label: string }[] = [
  { value: BAND_MIN.critical, label: `Critical (${BAND_MIN.critical}+)` },
  { value: BAND_MIN.high, label: `High or above (${BAND_MIN.high}+)` },
  { value: BAND_MIN.medium, label: `Medium or above (${BAND_MIN.medium}+)` },
  { value: 0.1, label: 'Any risk above 0' },
];

function Chip({ label, value, onRemove }: { label: string; value: string; onRemove(): void }) {
  return (
    <span className="filterchip">
      {label} <span className="filterchip__value">{value}</span>
      <button type="button" className="filterchip__remove" aria-label={`Remove ${label.toLowerCase()} filter`} onClick={onRemove}>
        ×
      </button>
    </span>
  );
}

export function FindingFilters({ params, productLabel, onChange }: FindingFiltersProps) {
  const [text, setText] = useState(params.q);
  const debounced = useDebounced(text, SEARCH_DEBOUNCE_MS);
  const pushed = useRef(params.q);
  const [filtersOpen, setFiltersOpen] = useState(false);

  // typing -> URL, once the user pauses
  useEffect(() => {
    if (debounced.trim() === params.q.trim()) return;
    pushed.current = debounced;
    onChange({ ...params, q: debounced });
    // params/onChange change on every render; the debounced text is what triggers a push
  }, [debounced]);

  // URL -> box, when the URL changed for another reason (Back button, "clear")
  useEffect(() => {
    if (params.q !== pushed.current) {
      pushed.current = params.q;
      setText(params.q);
    }
  }, [params.q]);

  const active = activeFilterCount(params);
  const minRiskKnown = params.minRisk === undefined || MIN_RISK_OPTIONS.some((o) => o.value === params.minRisk);

  return (
    <section className="toolbar" aria-label="Search and filter findings">
      <div className="segmented" role="group" aria-label="Status">
        {FINDING_STATUSES.map((s) => (
          <button key={s} type="button" className="segmented__item" aria-pressed={params.status === s} onClick={() => onChange({ ...params, status: s })}>
            {humanize(s)}
          </button>
        ))}
      </div>
      <div className="toolbar__search">
        <label htmlFor="finding-search" className="visually-hidden">
          Search findings
        </label>
        <span className="searchbox">
          <svg className="searchbox__icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
            <path d="M8.5 3a5.5 5.5 0 1 0 3.4 9.8l3.6 3.7 1.1-1.1-3.7-3.6A5.5 5.5 0 0 0 8.5 3Zm0 1.5a4 4 0 1 1 0 8 4 4 0 0 1 0-8Z" />
          </svg>
          <input
            id="finding-search"
            type="search"
            placeholder="Search vulnerability id or component…"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                pushed.current = text;
                onChange({ ...params, q: text });
              }
            }}
            autoComplete="off"
            maxLength={200}
            spellCheck={false}
          />
        </span>
        <button type="button" className="btn btn--secondary toolbar__toggle" aria-expanded={filtersOpen} aria-controls="finding-filters" onClick={() => setFiltersOpen((o) => !o)}>
          Filters{active > 0 ? ` (${active})` : ''}
        </button>
      </div>
      <div className={`toolbar__filters${filtersOpen ? ' is-open' : ''}`} id="finding-filters">
        <div className="field field--inline">
          <label htmlFor="filter-triage">Triage</label>
          <select id="filter-triage" value={params.triage} onChange={(e) => onChange({ ...params, triage: e.target.value as FindingListParams['triage'] })} className={params.triage ? 'is-active' : undefined}>
            <option value="">All</option>
            {TRIAGE_FILTERS.map((t) => (
              <option key={t} value={t}>
                {t === 'untriaged' ? 'Untriaged' : triageLabel(t)}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--inline">
          <label htmlFor="filter-review">Review</label>
          <select id="filter-review" value={params.review} onChange={(e) => onChange({ ...params, review: e.target.value as FindingListParams['review'] })} className={params.review ? 'is-active' : undefined}>
            <option value="">All</option>
            <option value="yes">Needs review</option>
            <option value="no">Confirmed matches</option>
          </select>
        </div>
        <div className="field field--inline">
          <label htmlFor="filter-minrisk">Minimum risk</label>
          <select
            id="filter-minrisk"
            value={params.minRisk === undefined ? '' : String(params.minRisk)}
            onChange={(e) => onChange({ ...params, minRisk: e.target.value === '' ? undefined : Number(e.target.value) })}
            className={params.minRisk !== undefined ? 'is-active' : undefined}
          >
            <option value="">Any</option>
            {/* keep a value that came from the URL selectable */}
            {minRiskKnown ? null : <option value={String(params.minRisk)}>{`${params.minRisk ?? ''}+`}</option>}
            {MIN_RISK_OPTIONS.map((o) => (
              <option key={o.value} value={String(o.value)}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--inline">
          <label htmlFor="finding-sort">Sort by</label>
          <select id="finding-sort" value={params.sort} onChange={(e) => onChange({ ...params, sort: e.target.value === 'lastSeen' ? 'lastSeen' : 'risk' })}>
            <option value="risk">Highest risk</option>
            <option value="lastSeen">Last seen</option>
          </select>
        </div>
        <div className="field field--inline">
          <label htmlFor="finding-page-size">Per page</label>
          <select id="finding-page-size" value={params.limit} onChange={(e) => onChange({ ...params, limit: Number(e.target.value) })}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        {params.productId ? <Chip label="Product" value={productLabel ?? params.productId} onRemove={() => onChange({ ...params, productId: '' })} /> : null}
        {params.vulnerabilityId ? <Chip label="Vulnerability" value={params.vulnerabilityId} onRemove={() => onChange({ ...params, vulnerabilityId: '' })} /> : null}
        {active > 0 || params.q ? (
          <button
            type="button"
            className="btn btn--link toolbar__clear"
            onClick={() => {
              setText('');
              pushed.current = '';
              onChange({ ...defaultFindingParams(), status: params.status, sort: params.sort, limit: params.limit });
            }}
          >
            Clear all{active > 0 ? ` (${active})` : ''}
          </button>
        ) : null}
      </div>
    </section>
  );
}
