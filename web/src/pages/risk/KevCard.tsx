/**
 * @module "N devices exposed to KEV-listed vulnerabilities": the number that matters most to a
 * hospital, broken down by clinical criticality, with the exposed devices one click away.
 */
import type { KevExposure } from '../../api/vulns.js';
import { CRITICALITIES } from '../../api/types.js';
import { CriticalityBadge } from '../../components/Badges.js';
import { useDeviceNames } from '../../hooks/useDeviceNames.js';
import { formatCount } from '../../lib/format.js';
import { Link } from '../../router/index.js';

const LISTED_DEVICES = 50;

function ExposedDevices({ ids }: { ids: string[] }) {
  const shown = ids.slice(0, LISTED_DEVICES);
  const names = useDeviceNames(shown);
  return (
    <ul className="kev__devices">
      {shown.map((id) => (
        <li key={id}>
          <Link to={`/devices/${encodeURIComponent(id)}`} className={names.has(id) ? undefined : 'mono'}>
            {names.get(id) ?? id}
          </Link>
        </li>
      ))}
      {ids.length > shown.length ? <li className="muted">and {formatCount(ids.length - shown.length)} more</li> : null}
    </ul>
  );
}

export function KevCard({ kev }: { kev: KevExposure }) {
  const levels = [...CRITICALITIES, 'unknown' as const];
  return (
    <section className="card kev" aria-labelledby="kev-title" data-testid="kev-card">
      <h2 className="card__title" id="kev-title">
        Known exploited vulnerabilities
      </h2>
      <p className="kev__headline">
        <span className="kev__count" data-testid="kev-devices">
          {formatCount(kev.devices)}
        </span>{' '}
        {kev.devices === 1 ? 'device' : 'devices'} exposed to KEV-listed vulnerabilities
      </p>
      <p className="card__hint">
        {formatCount(kev.vulnerabilities)} KEV {kev.vulnerabilities === 1 ? 'vulnerability' : 'vulnerabilities'} in {formatCount(kev.findings)} open{' '}
        {kev.findings === 1 ? 'finding' : 'findings'} (CISA Known Exploited Vulnerabilities catalog)
      </p>
      <table className="table table--compact kev__table" data-testid="kev-criticality">
        <caption className="visually-hidden">Exposed devices by criticality</caption>
        <thead>
          <tr>
            <th scope="col">Criticality</th>
            <th scope="col" className="num">
              Devices
            </th>
          </tr>
        </thead>
        <tbody>
          {levels.map((c) => (
            <tr key={c} data-criticality-row={c}>
              <th scope="row">{c === 'unknown' ? <span className="muted">Not recorded</span> : <CriticalityBadge value={c} />}</th>
              <td className="num" data-col="count">
                {formatCount(kev.byCriticality[c] ?? 0)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {kev.deviceIds.length > 0 ? (
        <details className="kev__details">
          <summary>Show exposed devices</summary>
          <ExposedDevices ids={kev.deviceIds} />
        </details>
      ) : null}
    </section>
  );
}
