/** @module The inventory toolbar: debounced search plus facet filters and page size. */
import { useEffect, useRef, useState } from 'react';
import type { DeviceFacets } from '../../api/types.js';
import { FilterSelect } from '../../components/FilterSelect.js';
import { useDebounced } from '../../hooks/useDebounced.js';
import { criticalityLabel, humanize } from '../../lib/format.js';
import { PAGE_SIZES, activeFilterCount } from './listParams.js';
import type { DeviceListParams, FilterKey } from './listParams.js';

interface DeviceFiltersProps {
  params: DeviceListParams;
  facets: DeviceFacets | undefined;
  categoryLabel(id: string): string;
  onChange(next: DeviceListParams): void;
}

const SEARCH_DEBOUNCE_MS = 300;

export function DeviceFilters({ params, facets, categoryLabel, onChange }: DeviceFiltersProps) {
  const [text, setText] = useState(params.q);
  const debounced = useDebounced(text, SEARCH_DEBOUNCE_MS);
  const pushed = useRef(params.q);
  // on narrow screens the filters fold away behind a toggle; wide screens always show them
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

  const setFilter = (key: FilterKey) => (value: string) => onChange({ ...params, filters: { ...params.filters, [key]: value } });
  const active = activeFilterCount(params);
  const showSites = (facets?.sites.length ?? 0) > 1 || params.filters.site !== '';

  return (
    <section className="toolbar" aria-label="Search and filter devices">
      <div className="toolbar__search">
        <label htmlFor="device-search" className="visually-hidden">
          Search devices
        </label>
        <span className="searchbox">
          <svg className="searchbox__icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
            <path d="M8.5 3a5.5 5.5 0 1 0 3.4 9.8l3.6 3.7 1.1-1.1-3.7-3.6A5.5 5.5 0 0 0 8.5 3Zm0 1.5a4 4 0 1 1 0 8 4 4 0 0 1 0-8Z" />
          </svg>
          <input
            id="device-search"
            type="search"
            placeholder="Search name, serial, IP, MAC, AE title, model…"
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
        <button
          type="button"
          className="btn btn--secondary toolbar__toggle"
          aria-expanded={filtersOpen}
          aria-controls="device-filters"
          onClick={() => setFiltersOpen((o) => !o)}
        >
          Filters{active > 0 ? ` (${active})` : ''}
        </button>
      </div>
      <div className={`toolbar__filters${filtersOpen ? ' is-open' : ''}`} id="device-filters">
        <FilterSelect id="filter-category" label="Category" value={params.filters.category} options={facets?.categories} onChange={setFilter('category')} format={categoryLabel} />
        <FilterSelect id="filter-manufacturer" label="Manufacturer" value={params.filters.manufacturer} options={facets?.manufacturers} onChange={setFilter('manufacturer')} />
        <FilterSelect id="filter-criticality" label="Criticality" value={params.filters.criticality} options={facets?.criticalities} onChange={setFilter('criticality')} format={criticalityLabel} />
        <FilterSelect id="filter-status" label="Status" value={params.filters.status} options={facets?.statuses} onChange={setFilter('status')} format={humanize} />
        {showSites ? <FilterSelect id="filter-site" label="Site" value={params.filters.site} options={facets?.sites} onChange={setFilter('site')} /> : null}
        <FilterSelect id="filter-unit" label="Unit" value={params.filters.unit} options={facets?.units} onChange={setFilter('unit')} />
        <div className="field field--inline">
          <label htmlFor="page-size">Per page</label>
          <select id="page-size" value={params.limit} onChange={(e) => onChange({ ...params, limit: Number(e.target.value) })}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        {active > 0 || params.q ? (
          <button
            type="button"
            className="btn btn--link toolbar__clear"
            onClick={() => {
              setText('');
              pushed.current = '';
              onChange({ ...params, q: '', filters: { category: '', manufacturer: '', criticality: '', status: '', site: '', unit: '' } });
            }}
          >
            Clear all{active > 0 ? ` (${active})` : ''}
          </button>
        ) : null}
      </div>
    </section>
  );
}
