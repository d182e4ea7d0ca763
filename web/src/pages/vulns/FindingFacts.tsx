/**
 * @module The facts behind one finding: the advisory (title, summary, aliases, references), the
 * merged intelligence (CVSS vectors from every source, CISA KEV, EPSS), the match evidence that links
 * the advisory to the SBOM component, and the recommended action with what it rests on.
 */
import type { ReactNode } from 'react';
import type { AdvisoryReference, FindingDetail, Recommendation, VulnIntel } from '../../api/vulns.js';
import { formatConfidence, formatDate, humanize } from '../../lib/format.js';
import { formatProbability, sourceLabel } from './risk.js';
import { ActionBadge, KevBadge, ReviewFlag } from './VulnBadges.js';

const isReference = (r: unknown): r is AdvisoryReference => typeof r === 'object' && r !== null && typeof (r as AdvisoryReference).url === 'string';
/** only web links become anchors; anything else in an advisory is shown as text */
const isWebUrl = (u: string) => /^https?:\/\//i.test(u);
const MAX_REFERENCES = 8;

function Row({ label, children, field }: { label: string; children: ReactNode; field?: string }) {
  return (
    <div className="deflist__row">
      <dt>{label}</dt>
      <dd data-field={field}>{children}</dd>
    </div>
  );
}

export function AdvisoryCard({ detail }: { detail: FindingDetail }) {
  const a = detail.advisory;
  const refs = (a?.references ?? []).filter(isReference);
  const title = a?.title ?? a?.summary ?? detail.intel.kev?.vulnerabilityName;
  return (
    <section className="card" aria-labelledby="advisory-title" data-testid="advisory-card">
      <h2 className="card__title" id="advisory-title">
        Advisory
      </h2>
      {title ? (
        <p className="advisory__title" data-field="advisory-title">
          {title}
        </p>
      ) : (
        <p className="muted">The advisory has no title.</p>
      )}
      {a?.summary && a.summary !== title ? <p className="advisory__summary">{a.summary}</p> : null}
      {a?.details ? <p className="advisory__details">{a.details}</p> : null}
      {detail.intel.withdrawn ? (
        <div className="notice notice--info" role="note">
          Every advisory naming this vulnerability has been withdrawn.
        </div>
      ) : null}
      <dl className="deflist">
        <Row label="Source">
          {a ? (
            <>
              {sourceLabel(a.source)} <span className="mono">{a.sourceId}</span>
            </>
          ) : (
            <span className="mono">{detail.finding.advisoryId}</span>
          )}
        </Row>
        {a && a.aliases.length > 0 ? (
          <Row label="Also known as">
            <ul className="chips">
              {a.aliases.map((x) => (
                <li key={x} className="chip chip--mono">
                  {x}
                </li>
              ))}
            </ul>
          </Row>
        ) : null}
        {a && a.cwes.length > 0 ? <Row label="Weakness">{a.cwes.join(', ')}</Row> : null}
        <Row label="Published">{detail.intel.published ?? a?.published ? formatDate(detail.intel.published ?? a?.published) : <span className="muted">—</span>}</Row>
        {refs.length > 0 ? (
          <Row label="References">
            <ul className="reflist">
              {refs.slice(0, MAX_REFERENCES).map((r) => (
                <li key={r.url}>{isWebUrl(r.url) ? <a href={r.url} target="_blank" rel="noopener noreferrer">{r.summary ?? r.url}</a> : <span className="mono">{r.url}</span>}</li>
              ))}
              {refs.length > MAX_REFERENCES ? <li className="muted">and {refs.length - MAX_REFERENCES} more</li> : null}
            </ul>
          </Row>
        ) : null}
      </dl>
    </section>
  );
}

function ransomwareText(v: boolean | 'unknown'): string {
  if (v === 'unknown') return 'unknown';
  return v ? 'yes' : 'no';
}

export function IntelCard({ intel }: { intel: VulnIntel }) {
  return (
    <section className="card" aria-labelledby="intel-title" data-testid="intel-card">
      <h2 className="card__title" id="intel-title">
        Exploitability &amp; severity
      </h2>
      <dl className="deflist">
        <Row label="CVSS" field="cvss">
          {intel.cvss.length === 0 ? (
            <span className="muted">No CVSS vector published</span>
          ) : (
            <ul className="cvsslist">
              {intel.cvss.map((c) => (
                <li key={`${c.version}-${c.vector}-${c.source ?? ''}`}>
                  <strong>
                    CVSS {c.version} {c.baseScore}
                  </strong>{' '}
                  {humanize(c.baseSeverity.toLowerCase())}
                  {c.source ? <span className="muted"> · {c.source}</span> : null}
                  <span className="mono cvsslist__vector">{c.vector}</span>
                  {c.scoreMismatch ? <span className="cell-sub">The document states {c.statedScore}; {c.baseScore} is computed from the vector.</span> : null}
                </li>
              ))}
            </ul>
          )}
        </Row>
        <Row label="CISA KEV" field="kev">
          {intel.kev ? (
            <>
              <KevBadge ransomware={intel.kev.knownRansomware === true} /> since <time dateTime={intel.kev.dateAdded}>{formatDate(intel.kev.dateAdded)}</time>, due{' '}
              <time dateTime={intel.kev.dueDate}>{formatDate(intel.kev.dueDate)}</time>
              <span className="cell-sub">Required action: {intel.kev.requiredAction}</span>
              <span className="cell-sub">Known ransomware use: {ransomwareText(intel.kev.knownRansomware)}</span>
            </>
          ) : (
            <span className="muted">Not listed</span>
          )}
        </Row>
        <Row label="EPSS" field="epss">
          {intel.epss ? (
            <>
              {formatProbability(intel.epss.score)} probability of exploitation in 30 days
              <span className="cell-sub">
                percentile {formatProbability(intel.epss.percentile)} · scored <time dateTime={intel.epss.date}>{formatDate(intel.epss.date)}</time>
              </span>
            </>
          ) : (
            <span className="muted">No EPSS score</span>
          )}
        </Row>
      </dl>
    </section>
  );
}

function confidenceLevel(c: number): 'high' | 'medium' | 'low' {
  if (c >= 0.8) return 'high';
  if (c >= 0.5) return 'medium';
  return 'low';
}

export function EvidenceCard({ detail }: { detail: FindingDetail }) {
  const f = detail.finding;
  const e = f.evidence;
  return (
    <section className="card" aria-labelledby="evidence-title" data-testid="evidence-card">
      <h2 className="card__title" id="evidence-title">
        Match evidence
      </h2>
      <p className="evidence__explanation" data-field="explanation">
        {e.explanation}
      </p>
      <dl className="deflist">
        <Row label="Rule" field="rule">
          <span className="mono">{f.rule}</span>
        </Row>
        <Row label="Advisory field">
          <span className="mono" data-field="advisoryField">
            {e.advisoryField}
          </span>
          <span className="mono cell-sub" data-field="advisoryValue">
            {e.advisoryValue}
          </span>
        </Row>
        <Row label="Component field">
          <span className="mono" data-field="componentField">
            {e.componentField}
          </span>
          <span className="mono cell-sub" data-field="componentValue">
            {e.componentValue}
          </span>
        </Row>
        <Row label="Confidence" field="confidence">
          <span className="confidence">
            <meter className={`confidence__meter confidence__meter--${confidenceLevel(f.confidence)}`} min={0} max={1} low={0.5} high={0.8} optimum={1} value={f.confidence} aria-label={`Confidence ${formatConfidence(f.confidence)}`} />
            <span>{formatConfidence(f.confidence)}</span>
          </span>
        </Row>
        <Row label="Review" field="needsReview">
          {f.needsReview ? <ReviewFlag /> : 'Confirmed match'}
        </Row>
        <Row label="Fixed in" field="fixedVersions">
          {f.fixedVersions.length === 0 ? (
            <span className="muted">No fixed version published</span>
          ) : (
            <ul className="chips">
              {f.fixedVersions.map((v) => (
                <li key={v} className="chip chip--mono">
                  {v}
                </li>
              ))}
            </ul>
          )}
        </Row>
      </dl>
    </section>
  );
}

const BASIS_LABELS: Record<string, string> = {
  'fixed-version': 'Fixed version',
  remediation: 'Vendor remediation',
  'kev-required-action': 'CISA KEV',
  triage: 'Triage',
};

export function RecommendationCard({ recommendation }: { recommendation: Recommendation | undefined }) {
  return (
    <section className="card" aria-labelledby="recommendation-title" data-testid="recommendation-card">
      <h2 className="card__title" id="recommendation-title">
        Recommended action
      </h2>
      {recommendation ? (
        <>
          <p className="recommendation__action">
            <ActionBadge action={recommendation.action} />
          </p>
          <p className="recommendation__reason">{recommendation.reason}</p>
          <RecommendationBasisList basis={recommendation.basis} />
        </>
      ) : (
        <p className="muted">No recommendation for this finding.</p>
      )}
    </section>
  );
}

export function RecommendationBasisList({ basis }: { basis: Recommendation['basis'] }) {
  if (basis.length === 0) return <p className="muted">No published basis.</p>;
  return (
    <ul className="basis">
      {basis.map((b, i) => (
        <li key={`${b.kind}-${i}`} className="basis__item">
          <span className="chip">{BASIS_LABELS[b.kind] ?? humanize(b.kind)}{b.category ? ` · ${humanize(b.category)}` : ''}</span>
          <span className="basis__text">{b.text}</span>
          {b.url && isWebUrl(b.url) ? (
            <a href={b.url} target="_blank" rel="noopener noreferrer" className="basis__link">
              Source
            </a>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
