/** @module A labelled facet filter: a native select (keyboard and screen-reader friendly) with counts. */
import type { FacetValue } from '../api/types.js';
import { formatCount } from '../lib/format.js';

interface FilterSelectProps {
  id: string;
  label: string;
  value: string;
  options: FacetValue[] | undefined;
  onChange(value: string): void;
  /** turns a raw facet value into what people read (category id -> label) */
  format?: (value: string) => string;
  allLabel?: string;
}

export function FilterSelect({ id, label, value, options, onChange, format, allLabel = 'All' }: FilterSelectProps) {
  const known = options ?? [];
  // keep a value that came from the URL selectable even if the facet list no longer contains it
  const list = value && !known.some((o) => o.value === value) ? [{ value, count: 0 }, ...known] : known;
  return (
    <div className="field field--inline">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={id} value={value} onChange={(e) => onChange(e.target.value)} className={value ? 'is-active' : undefined}>
        <option value="">{allLabel}</option>
        {list.map((o) => (
          <option key={o.value} value={o.value}>
            {`${format ? format(o.value) : o.value} (${formatCount(o.count)})`}
          </option>
        ))}
      </select>
    </div>
  );
}
