/** @module Overview tiles: how many alerts still need attention (open or acknowledged) at each severity; each tile filters the list. */
import { ALERT_SEVERITIES } from '../../api/types.js';
import { formatCount, severityLabel } from '../../lib/format.js';
import type { SeverityCounts } from './summary.js';

interface SeverityTilesProps {
  counts: SeverityCounts;
  selected: string;
  onSelect(severity: string): void;
}

export function SeverityTiles({ counts, selected, onSelect }: SeverityTilesProps) {
  return (
    <section aria-labelledby="tiles-title">
      <h2 className="section-label" id="tiles-title">
        Needs attention <span className="muted">· open or acknowledged</span>
      </h2>
      <ul className="tiles">
        {ALERT_SEVERITIES.map((s) => (
          <li key={s}>
            <button
              type="button"
              className={`tile tile--${s}${selected === s ? ' is-selected' : ''}`}
              aria-pressed={selected === s}
              onClick={() => onSelect(selected === s ? '' : s)}
              data-testid={`tile-${s}`}
            >
              <span className="tile__count">{formatCount(counts[s])}</span>
              <span className="tile__label">{severityLabel(s)}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
