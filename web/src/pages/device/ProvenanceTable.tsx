/**
 * @module Where each attribute value came from: the source (import file, discovery protocol, person),
 * its kind, how confident that source is, and when it was observed.
 */
import type { Device } from '../../api/types.js';
import { criticalityLabel, formatConfidence, formatDateTime, formatRelative, humanize } from '../../lib/format.js';
import { ATTRIBUTE_LABELS } from './attributes.js';

/** the attribute's current value, short enough for a table cell */
function valueOf(device: Device, attribute: string, categoryLabel: (id: string) => string): string {
  if (attribute === 'network') {
    const n = device.network;
    const count = n.ips.length + n.macs.length + n.hostnames.length + n.aeTitles.length + n.hl7Applications.length;
    return `${count} ${count === 1 ? 'identifier' : 'identifiers'}`;
  }
  const value = (device as unknown as Record<string, unknown>)[attribute];
  if (typeof value !== 'string' || value === '') return '—';
  if (attribute === 'category') return categoryLabel(value);
  if (attribute === 'criticality') return criticalityLabel(value);
  if (attribute === 'status' || attribute === 'phiHandling') return humanize(value);
  return value;
}

function confidenceLevel(c: number): 'high' | 'medium' | 'low' {
  if (c >= 0.8) return 'high';
  if (c >= 0.5) return 'medium';
  return 'low';
}

export function ProvenanceTable({ device, categoryLabel }: { device: Device; categoryLabel(id: string): string }) {
  const entries = Object.entries(device.provenance).filter((e): e is [string, NonNullable<(typeof e)[1]>] => e[1] !== undefined);
  return (
    <section className="card card--flush" aria-labelledby="provenance-title">
      <div className="card__header">
        <h2 className="card__title" id="provenance-title">
          Provenance
        </h2>
        <p className="card__hint">Which source supplied each attribute, and how much it is trusted.</p>
      </div>
      {entries.length === 0 ? (
        <p className="card__body muted">No provenance recorded.</p>
      ) : (
        <div className="tablewrap" role="region" aria-label="Provenance" tabIndex={0}>
          <table className="table table--compact" data-testid="provenance-table">
            <thead>
              <tr>
                <th scope="col">Attribute</th>
                <th scope="col">Value</th>
                <th scope="col">Source</th>
                <th scope="col">Kind</th>
                <th scope="col">Confidence</th>
                <th scope="col">Observed</th>
              </tr>
            </thead>
            <tbody>
              {entries.map(([attribute, p]) => (
                <tr key={attribute} data-attribute={attribute}>
                  <th scope="row">{ATTRIBUTE_LABELS[attribute] ?? humanize(attribute)}</th>
                  <td data-col="value" className="cell-value">
                    {valueOf(device, attribute, categoryLabel)}
                  </td>
                  <td className="mono" data-col="source">
                    {p.source}
                  </td>
                  <td data-col="kind">{humanize(p.kind)}</td>
                  <td data-col="confidence">
                    <span className="confidence">
                      <meter
                        className={`confidence__meter confidence__meter--${confidenceLevel(p.confidence)}`}
                        min={0}
                        max={1}
                        low={0.5}
                        high={0.8}
                        optimum={1}
                        value={p.confidence}
                        aria-label={`Confidence ${formatConfidence(p.confidence)}`}
                      />
                      <span>{formatConfidence(p.confidence)}</span>
                    </span>
                  </td>
                  <td data-col="observed">
                    <time dateTime={p.observedAt} title={formatDateTime(p.observedAt)}>
                      {formatRelative(p.observedAt)}
                    </time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
