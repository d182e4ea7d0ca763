/**
 * @module The communication map page (#/network/map?ip=|deviceId=|zone=&hops=): a form to choose the
 * centre (an address, a zone of the policy, or a device) and whether to include conversations between
 * the peers, then the map itself. Everything lives in the address, so a map can be bookmarked or
 * pasted into a ticket, and clicking a node re-centres the map on it.
 */
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { netmonApi } from '../../api/netmon.js';
import { useApi } from '../../hooks/useApi.js';
import { Link, navigate, useLocation } from '../../router/index.js';
import { useSession } from '../../session/session.js';
import { MapView } from './MapView.js';
import { NotAllowed } from './NotAllowed.js';
import { checkMapFocus, mapHref, mapParamsFromQuery, mapQueryOf } from './routes.js';
import type { MapFocus, MapParams } from './routes.js';

const KIND_LABELS: Record<MapFocus['kind'], string> = { ip: 'Address', zone: 'Zone', deviceId: 'Device ID' };

function MapForm({ params }: { params: MapParams }) {
  const zones = useApi('zones', (signal) => netmonApi.zones(signal));
  const zoneNames = zones.data?.zones.map((z) => z.name) ?? [];
  const [kind, setKind] = useState<MapFocus['kind']>(params.focus?.kind ?? 'ip');
  const [value, setValue] = useState(params.focus?.value ?? '');
  const [hops, setHops] = useState<0 | 1>(params.hops);
  const [error, setError] = useState<string | undefined>(undefined);

  // a node click or Back changes the address: the form follows it
  const focusKey = `${params.focus?.kind ?? ''}|${params.focus?.value ?? ''}|${params.hops}`;
  useEffect(() => {
    setKind(params.focus?.kind ?? 'ip');
    setValue(params.focus?.value ?? '');
    setHops(params.hops);
    setError(undefined);
  }, [focusKey]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const problem = checkMapFocus(kind, value);
    setError(problem);
    if (problem) return;
    navigate(mapHref({ kind, value: value.trim() }, hops, params));
  };

  return (
    <form className="card mapform" onSubmit={submit} aria-label="Choose the centre of the map" noValidate data-testid="map-form">
      <div className="mapform__row">
        <div className="field">
          <label htmlFor="map-kind">Centre on</label>
          <select
            id="map-kind"
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as MapFocus['kind']);
              setValue('');
              setError(undefined);
            }}
          >
            {(Object.keys(KIND_LABELS) as MapFocus['kind'][]).map((k) => (
              <option key={k} value={k} disabled={k === 'zone' && zoneNames.length === 0}>
                {KIND_LABELS[k]}
                {k === 'zone' && zoneNames.length === 0 ? ' (no zones configured)' : ''}
              </option>
            ))}
          </select>
        </div>
        <div className="field mapform__value">
          <label htmlFor="map-value">{KIND_LABELS[kind]}</label>
          {kind === 'zone' ? (
            <select id="map-value" value={value} onChange={(e) => setValue(e.target.value)} aria-invalid={error ? true : undefined} aria-describedby={error ? 'map-error' : undefined}>
              <option value="">Choose a zone…</option>
              {zoneNames.map((z) => (
                <option key={z} value={z}>
                  {z}
                </option>
              ))}
            </select>
          ) : (
            <input
              id="map-value"
              type="text"
              value={value}
              onChange={(e) => setValue(e.target.value)}
              placeholder={kind === 'ip' ? '10.40.2.17' : 'dev_01H…'}
              autoComplete="off"
              spellCheck={false}
              maxLength={kind === 'ip' ? 45 : 64}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'map-error' : undefined}
            />
          )}
        </div>
        <div className="field">
          <label htmlFor="map-hops">Connections</label>
          <select id="map-hops" value={hops} onChange={(e) => setHops(e.target.value === '1' ? 1 : 0)}>
            <option value={0}>Only with the centre</option>
            <option value={1}>Also between its peers (1 hop)</option>
          </select>
        </div>
        <button type="submit" className="btn btn--primary mapform__submit">
          Show map
        </button>
      </div>
      {error ? (
        <p className="field__error" id="map-error" role="alert">
          {error}
        </p>
      ) : null}
    </form>
  );
}

function subjectOf(focus: MapFocus): string {
  if (focus.kind === 'zone') return `zone ${focus.value}`;
  if (focus.kind === 'deviceId') return `device ${focus.value}`;
  return focus.value;
}

export function MapPage() {
  const { can } = useSession();
  const location = useLocation();
  const params = mapParamsFromQuery(location.query);
  const query = mapQueryOf(params);

  useEffect(() => {
    document.title = `${params.focus ? `Map of ${subjectOf(params.focus)}` : 'Communication map'} · CareGuard`;
  }, [params.focus?.kind, params.focus?.value]);

  if (!can('netmon:read')) return <NotAllowed title="Communication map" />;
  return (
    <main className="page" id="main" data-testid="map-page">
      <Link to="/network" className="backlink">
        <span aria-hidden="true">← </span>Network
      </Link>
      <div className="page__header">
        <div>
          <h1 className="page__title">Communication map</h1>
          <p className="page__subtitle" data-testid="map-subject">
            {params.focus ? `Who ${subjectOf(params.focus)} talks to, from the conversations of every ingested capture` : 'Choose an address, a zone or a device to see who it talks to.'}
          </p>
        </div>
      </div>
      <MapForm params={params} />
      {params.focus && query ? (
        <section className="card" aria-labelledby="map-title">
          <h2 className="card__title" id="map-title">
            {KIND_LABELS[params.focus.kind]} <span className="mono">{params.focus.value}</span>
          </h2>
          <MapView
            key={JSON.stringify(query)}
            query={query}
            hrefFor={(ip) => mapHref({ kind: 'ip', value: ip }, params.hops, params)}
            subject={subjectOf(params.focus)}
            empty={<>No conversation involving it is recorded. Conversations come from captures and flow logs uploaded on the Network page.</>}
          />
        </section>
      ) : null}
    </main>
  );
}
