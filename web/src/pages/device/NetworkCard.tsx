/** @module The identifiers by which the network sees a device: MACs, IPs, hostnames, DICOM AE titles, HL7 apps. */
import type { NetworkIdentities } from '../../api/types.js';

const ROWS: { key: keyof NetworkIdentities; label: string }[] = [
  { key: 'ips', label: 'IP addresses' },
  { key: 'macs', label: 'MAC addresses' },
  { key: 'hostnames', label: 'Hostnames' },
  { key: 'aeTitles', label: 'DICOM AE titles' },
  { key: 'hl7Applications', label: 'HL7 applications' },
];

export function NetworkCard({ network }: { network: NetworkIdentities }) {
  const any = ROWS.some((r) => (network[r.key] ?? []).length > 0);
  return (
    <section className="card" aria-labelledby="network-title">
      <h2 className="card__title" id="network-title">
        Network identities
      </h2>
      {any ? (
        <dl className="deflist">
          {ROWS.map((r) => {
            const values = network[r.key] ?? [];
            return (
              <div className="deflist__row" key={r.key}>
                <dt>{r.label}</dt>
                <dd data-network={r.key}>
                  {values.length === 0 ? (
                    <span className="muted">—</span>
                  ) : (
                    <ul className="chips">
                      {values.map((v) => (
                        <li key={v} className="chip chip--mono">
                          {v}
                        </li>
                      ))}
                    </ul>
                  )}
                </dd>
              </div>
            );
          })}
        </dl>
      ) : (
        <p className="muted">No network identifiers observed yet.</p>
      )}
    </section>
  );
}
