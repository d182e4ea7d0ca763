/**
 * @module The components of one stored SBOM with their identifiers (purl, CPE), supplier, licences and
 * quality flags. The flags say why a component may match poorly ('generic-purl', a missing version):
 * a summary above the table counts them so gaps in a vendor's SBOM stand out.
 */
import { vulnsApi } from '../../api/vulns.js';
import { ErrorMessage, Loading } from '../../components/Feedback.js';
import { useApi } from '../../hooks/useApi.js';
import { formatCount, humanize } from '../../lib/format.js';
import { flagCounts } from './sbomQuality.js';

export function SbomComponents({ sbomId }: { sbomId: string }) {
  const sbom = useApi(sbomId, (signal) => vulnsApi.getSbom(sbomId, signal));
  const data = sbom.data?.sbom.id === sbomId ? sbom.data : undefined;
  const flags = data ? flagCounts(data.components) : [];
  return (
    <section className="card card--flush" aria-labelledby="components-title" data-testid="sbom-components" data-sbom-id={sbomId} aria-busy={sbom.loading}>
      <div className="card__header">
        <h2 className="card__title" id="components-title">
          Components{data ? <span className="count-pill">{data.components.length}</span> : null}
        </h2>
        {data ? <p className="card__hint">{data.sbom.name ?? data.sbom.serialNumber ?? data.sbom.id}</p> : null}
      </div>
      {sbom.error ? <ErrorMessage error={sbom.error} onRetry={sbom.reload} /> : null}
      {!data && sbom.loading ? <Loading label="Loading components…" /> : null}
      {data && flags.length > 0 ? (
        <div className="card__body qualitysummary" data-testid="quality-summary">
          <span className="muted">Quality flags:</span>
          <ul className="chips">
            {flags.map(([flag, n]) => (
              <li key={flag} className="chip chip--flag" data-flag={flag}>
                {humanize(flag)} · {formatCount(n)}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {data && data.components.length === 0 ? <p className="card__body muted">This SBOM lists no components.</p> : null}
      {data && data.components.length > 0 ? (
        <div className="tablewrap" role="region" aria-label="SBOM components" tabIndex={0}>
          <table className="table table--compact table--components">
            <caption className="visually-hidden">Components of the SBOM with their quality flags</caption>
            <thead>
              <tr>
                <th scope="col">Component</th>
                <th scope="col">Version</th>
                <th scope="col">Type</th>
                <th scope="col">Identifiers</th>
                <th scope="col">Supplier</th>
                <th scope="col">Licences</th>
                <th scope="col">Quality</th>
              </tr>
            </thead>
            <tbody>
              {data.components.map((c) => (
                <tr key={c.ref} data-component-ref={c.ref}>
                  <th scope="row">
                    {c.group ? <span className="muted">{c.group}/</span> : null}
                    {c.name}
                    {c.parentRef ? <span className="cell-sub">inside {c.parentRef}</span> : null}
                  </th>
                  <td className="mono">{c.version ?? <span className="muted">—</span>}</td>
                  <td>{humanize(c.type)}</td>
                  <td className="cell-ids">
                    {c.purl ? <span className="mono cell-ids__id">{c.purl}</span> : null}
                    {c.cpes.map((cpe) => (
                      <span key={cpe} className="mono cell-ids__id">
                        {cpe}
                      </span>
                    ))}
                    {!c.purl && c.cpes.length === 0 ? <span className="muted">none</span> : null}
                  </td>
                  <td>{c.supplier ?? c.author ?? <span className="muted">—</span>}</td>
                  <td>{c.licenses.length > 0 ? c.licenses.join(', ') : <span className="muted">—</span>}</td>
                  <td data-col="flags">
                    {c.flags.length === 0 ? (
                      <span className="muted">OK</span>
                    ) : (
                      <ul className="chips">
                        {c.flags.map((flag) => (
                          <li key={flag} className="chip chip--flag" data-flag={flag}>
                            {humanize(flag)}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
