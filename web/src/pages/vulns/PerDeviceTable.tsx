/**
 * @module The finding's risk on each device that runs its product: the same vulnerability weighs more
 * on a life-sustaining pump in the ICU than on a spare. Each row links to the device and can show that
 * device's breakdown above.
 */
import type { FindingDetail } from '../../api/vulns.js';
import { CriticalityBadge } from '../../components/Badges.js';
import { Link } from '../../router/index.js';
import { ActionBadge, RiskScoreBadge } from './VulnBadges.js';

interface PerDeviceTableProps {
  detail: FindingDetail;
  /** the device whose breakdown is shown */
  selected: string | undefined;
  onSelect(deviceId: string): void;
}

export function PerDeviceTable({ detail, selected, onSelect }: PerDeviceTableProps) {
  const rows = [...detail.perDevice].sort((a, b) => b.risk.score - a.risk.score || a.device.id.localeCompare(b.device.id));
  return (
    <section className="card card--flush" aria-labelledby="perdevice-title" data-testid="per-device">
      <div className="card__header">
        <h2 className="card__title" id="perdevice-title">
          Devices running this product<span className="count-pill">{rows.length}</span>
        </h2>
        <p className="card__hint">The finding’s score is the highest of these.</p>
      </div>
      {rows.length === 0 ? (
        <p className="card__body muted">No device in the inventory runs this product version, so the product is scored on its own.</p>
      ) : (
        <div className="tablewrap" role="region" aria-label="Devices running this product" tabIndex={0}>
          <table className="table table--compact">
            <thead>
              <tr>
                <th scope="col">Device</th>
                <th scope="col">Criticality</th>
                <th scope="col">Location</th>
                <th scope="col">Risk</th>
                <th scope="col">Recommended</th>
                <th scope="col">
                  <span className="visually-hidden">Breakdown</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ device, risk }) => (
                <tr key={device.id} data-device-id={device.id} className={selected === device.id ? 'is-selected' : undefined}>
                  <th scope="row" className="cell-name">
                    <Link to={`/devices/${encodeURIComponent(device.id)}`}>{device.name ?? device.id}</Link>
                    <span className="cell-sub">{device.ips.join(', ')}</span>
                  </th>
                  <td>
                    <CriticalityBadge value={device.criticality} />
                  </td>
                  <td>{[device.site, device.unit].filter(Boolean).join(' · ') || '—'}</td>
                  <td>
                    <RiskScoreBadge score={risk.score} band={risk.band} />
                  </td>
                  <td>{risk.recommendedAction ? <ActionBadge action={risk.recommendedAction.action} /> : <span className="muted">—</span>}</td>
                  <td className="cell-actions">
                    <button type="button" className="btn btn--secondary btn--sm" aria-pressed={selected === device.id} onClick={() => onSelect(device.id)} aria-label={`Show the breakdown for ${device.name ?? device.id}`}>
                      {selected === device.id ? 'Shown' : 'Breakdown'}
                    </button>
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
