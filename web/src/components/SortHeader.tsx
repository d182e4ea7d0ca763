/**
 * @module A sortable column header. The button inside <th> is what keyboard users reach; aria-sort on
 * the <th> tells screen readers which column orders the table and in which direction.
 */
import type { SortOrder } from '../api/types.js';

interface SortHeaderProps<F extends string> {
  field: F;
  label: string;
  sort: F;
  order: SortOrder;
  onSort(field: F, order: SortOrder): void;
  className?: string;
}

export function SortHeader<F extends string>({ field, label, sort, order, onSort, className }: SortHeaderProps<F>) {
  const active = sort === field;
  const ariaSort = active ? (order === 'asc' ? 'ascending' : 'descending') : 'none';
  const next: SortOrder = active && order === 'asc' ? 'desc' : 'asc';
  return (
    <th scope="col" aria-sort={ariaSort} className={className}>
      <button
        type="button"
        className={`sortbtn${active ? ' is-active' : ''}`}
        onClick={() => onSort(field, next)}
        data-sort-field={field}
      >
        {label}
        <span className={`sortbtn__icon sortbtn__icon--${active ? order : 'none'}`} aria-hidden="true" />
        <span className="visually-hidden">{active ? `, sorted ${ariaSort}` : ', sortable'}</span>
      </button>
    </th>
  );
}
