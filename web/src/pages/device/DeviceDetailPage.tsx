/**
 * @module One device: every attribute grouped for reading, its network identities, timeline, where
 * each value came from (provenance), the alerts raised about it and the vulnerabilities of the
 * product it runs, and who it talks to on the network.
 */
import { useEffect, useState } from 'react';
import { api } from '../../api/client.js';
import type { Device } from '../../api/types.js';
import { CriticalityBadge, LifecycleBadge } from '../../components/Badges.js';
import { DetailPending, ErrorMessage, Loading } from '../../components/Feedback.js';
import { useApi } from '../../hooks/useApi.js';
import { useCategories } from '../../hooks/useCategories.js';
import { formatDate, formatDateTime, formatRelative, humanize } from '../../lib/format.js';
import { Link, buildHref } from '../../router/index.js';
import { useSession } from '../../session/session.js';
import { AlertTable } from '../alerts/AlertTable.js';
import { DeviceCommunication } from '../netmon/DeviceCommunication.js';
import { lastListHref } from '../devices/listMemory.js';
import { ATTRIBUTE_GROUPS } from './attributes.js';
import type { AttributeGroup } from './attributes.js';
import { DeviceVulnerabilities } from './DeviceVulnerabilities.js';
import { NetworkCard } from './NetworkCard.js';
import { ProvenanceTable } from './ProvenanceTable.js';

function AttributeValue({ device, name, categoryLabel }: { device: Device; name: AttributeGroup['attributes'][number]['name']; categoryLabel(id: string): string }) {
  const value = device[name];
  if (value === undefined || value === '') return <span className="muted">—</span>;
  switch (name) {
    case 'criticality':
      return <CriticalityBadge value={value} />;
    case 'status':
      return <LifecycleBadge value={value} />;
    case 'category':
      return <>{categoryLabel(value)}</>;
    case 'phiHandling':
      return <>{humanize(value)}</>;
    case 'endOfSupport':
      return <time dateTime={value}>{formatDate(value)}</time>;
    default:
      return <>{value}</>;
  }
}

function AttributeCard({ group, device, categoryLabel }: { group: AttributeGroup; device: Device; categoryLabel(id: string): string }) {
  return (
    <section className="card" aria-labelledby={`group-${group.id}`}>
      <h2 className="card__title" id={`group-${group.id}`}>
        {group.title}
      </h2>
      <dl className="deflist">
        {group.attributes.map((a) => (
          <div className="deflist__row" key={a.name}>
            <dt>{a.label}</dt>
            <dd data-field={a.name} data-value={device[a.name] ?? ''}>
              <AttributeValue device={device} name={a.name} categoryLabel={categoryLabel} />
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function Timeline({ device }: { device: Device }) {
  const rows: [string, string, string][] = [
    ['firstSeen', 'First seen', device.firstSeen],
    ['lastSeen', 'Last seen', device.lastSeen],
    ['createdAt', 'Record created', device.createdAt],
    ['updatedAt', 'Record updated', device.updatedAt],
  ];
  return (
    <section className="card" aria-labelledby="timeline-title">
      <h2 className="card__title" id="timeline-title">
        Timeline
      </h2>
      <dl className="deflist">
        {rows.map(([field, label, iso]) => (
          <div className="deflist__row" key={field}>
            <dt>{label}</dt>
            <dd data-field={field} data-value={iso}>
              <time dateTime={iso}>{formatDateTime(iso)}</time>
              <span className="muted"> · {formatRelative(iso)}</span>
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

function DeviceAlerts({ deviceId }: { deviceId: string }) {
  const { can } = useSession();
  const [version, setVersion] = useState(0);
  const alerts = useApi(`${deviceId}|${version}`, (signal) => api.listAlerts({ deviceId, limit: 20 }, signal));
  const page = alerts.data;
  return (
    <section className="card card--flush" aria-labelledby="alerts-title">
      <div className="card__header">
        <h2 className="card__title" id="alerts-title">
          Alerts{page ? <span className="count-pill">{page.total}</span> : null}
        </h2>
        {page && page.total > page.items.length ? (
          <Link to={buildHref('/alerts', { status: 'all', deviceId })} className="card__link">
            View all {page.total}
          </Link>
        ) : null}
      </div>
      {alerts.error ? <ErrorMessage error={alerts.error} onRetry={alerts.reload} /> : null}
      {!page && alerts.loading ? <Loading label="Loading alerts…" /> : null}
      {page && page.items.length === 0 ? <p className="card__body muted">No alerts have been raised for this device.</p> : null}
      {page && page.items.length > 0 ? (
        <AlertTable alerts={page.items} canWrite={can('alerts:write')} showDevice={false} label="Device alerts" onChanged={() => setVersion((v) => v + 1)} />
      ) : null}
    </section>
  );
}

export function DeviceDetailPage({ id }: { id: string }) {
  const categories = useCategories();
  const device = useApi(id, (signal) => api.getDevice(id, signal));
  const d = device.data?.id === id ? device.data : undefined;

  useEffect(() => {
    document.title = `${d?.name ?? 'Device'} · CareGuard`;
  }, [d?.name]);

  const back = (
    <Link to={lastListHref()} className="backlink">
      <span aria-hidden="true">← </span>Devices
    </Link>
  );

  if (device.error || !d) return <DetailPending back={back} noun="Device" error={device.error} onRetry={device.reload} />;

  return (
    <main className="page" id="main" data-testid="device-detail" data-device-id={d.id}>
      {back}
      <div className="page__header page__header--device">
        <div>
          <h1 className="page__title" data-field="name">
            {d.name ?? d.id}
          </h1>
          <p className="page__subtitle">
            {[categories.label(d.category), [d.manufacturer, d.model].filter(Boolean).join(' ')].filter((s) => s && s !== '—').join(' · ')}
          </p>
        </div>
        <div className="page__badges">
          <CriticalityBadge value={d.criticality} />
          <LifecycleBadge value={d.status} />
        </div>
      </div>
      <p className="idline">
        Device ID <code>{d.id}</code>
      </p>

      <div className="grid grid--3">
        {ATTRIBUTE_GROUPS.map((g) => (
          <AttributeCard key={g.id} group={g} device={d} categoryLabel={(c) => categories.label(c)} />
        ))}
      </div>
      <div className="grid grid--2">
        <NetworkCard network={d.network} />
        <Timeline device={d} />
      </div>
      <DeviceAlerts deviceId={d.id} />
      <DeviceVulnerabilities device={d} />
      <DeviceCommunication device={d} />
      <ProvenanceTable device={d} categoryLabel={(c) => categories.label(c)} />
    </main>
  );
}
