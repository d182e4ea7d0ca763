/** @module The inventory table: one row per device, sortable headers, the name links to the detail page. */
import type { DeviceSortField, DeviceSummary, SortOrder } from '../../api/types.js';
import { CriticalityBadge, LifecycleBadge } from '../../components/Badges.js';
import { SortHeader } from '../../components/SortHeader.js';
import { formatDateTime, formatRelative } from '../../lib/format.js';
import { Link, navigate } from '../../router/index.js';

interface DeviceTableProps {
  devices: DeviceSummary[];
  sort: DeviceSortField;
  order: SortOrder;
  onSort(field: DeviceSortField, order: SortOrder): void;
  categoryLabel(id: string | undefined): string;
  busy: boolean;
  caption: string;
}

function locationText(d: DeviceSummary): string {
  return [d.unit, d.room].filter(Boolean).join(' · ') || '—';
}

export function DeviceTable({ devices, sort, order, onSort, categoryLabel, busy, caption }: DeviceTableProps) {
  const header = { sort, order, onSort };
  return (
    <div className="tablewrap" role="region" aria-label="Devices" tabIndex={0}>
      <table className="table table--devices" aria-busy={busy} data-testid="device-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <SortHeader field="name" label="Name" {...header} />
            <SortHeader field="category" label="Category" {...header} className="col-category" />
            <SortHeader field="manufacturer" label="Manufacturer" {...header} />
            <SortHeader field="model" label="Model" {...header} className="col-model" />
            <SortHeader field="criticality" label="Criticality" {...header} />
            <SortHeader field="unit" label="Location" {...header} className="col-location" />
            <SortHeader field="status" label="Status" {...header} />
            <SortHeader field="lastSeen" label="Last seen" {...header} className="col-seen" />
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr
              key={d.id}
              data-device-id={d.id}
              className="is-clickable"
              onClick={(e) => {
                // the name link handles keyboard and modifier clicks; this makes the whole row a target
                if (e.target instanceof Element && e.target.closest('a')) return;
                navigate(`/devices/${encodeURIComponent(d.id)}`);
              }}
            >
              <th scope="row" className="cell-name">
                <Link to={`/devices/${encodeURIComponent(d.id)}`}>{d.name ?? d.id}</Link>
                {d.assetTag || d.serialNumber ? <span className="cell-sub">{d.assetTag ?? `SN ${d.serialNumber ?? ''}`}</span> : null}
              </th>
              <td className="col-category">{categoryLabel(d.category)}</td>
              <td>{d.manufacturer ?? '—'}</td>
              <td className="col-model">{d.model ?? '—'}</td>
              <td>
                <CriticalityBadge value={d.criticality} />
              </td>
              <td className="col-location">{locationText(d)}</td>
              <td>
                <LifecycleBadge value={d.status} />
              </td>
              <td className="col-seen">
                <time dateTime={d.lastSeen} title={formatDateTime(d.lastSeen)}>
                  {formatRelative(d.lastSeen)}
                </time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
