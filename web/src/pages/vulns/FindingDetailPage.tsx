/**
 * @module One finding, explained: which vulnerability, which component of which product, the advisory,
 * KEV/EPSS/CVSS, the match evidence, the risk breakdown (per device, selectable), the devices running
 * the product, the recommended action and the triage decision with a form for users who may triage.
 */
import { useEffect, useState } from 'react';
import { vulnsApi } from '../../api/vulns.js';
import { DetailPending } from '../../components/Feedback.js';
import { useApi } from '../../hooks/useApi.js';
import { formatDateTime, formatRelative, humanize } from '../../lib/format.js';
import { Link, buildHref, navigate, useLocation } from '../../router/index.js';
import { useSession } from '../../session/session.js';
import { AdvisoryCard, EvidenceCard, IntelCard, RecommendationCard } from './FindingFacts.js';
import { lastFindingsHref } from './listMemory.js';
import { PerDeviceTable } from './PerDeviceTable.js';
import { RiskBreakdown } from './RiskBreakdown.js';
import { TriagePanel } from './TriagePanel.js';
import { productLabel } from './useProducts.js';
import { KevBadge, ReviewFlag, RiskScoreBadge, TriageBadge } from './VulnBadges.js';

export function FindingDetailPage({ id }: { id: string }) {
  const { can } = useSession();
  const location = useLocation();
  const [version, setVersion] = useState(0);
  const detail = useApi(`${id}|${version}`, (signal) => vulnsApi.getFinding(id, signal));
  const d = detail.data?.finding.id === id ? detail.data : undefined;

  useEffect(() => {
    document.title = `${d?.finding.vulnerabilityId ?? 'Finding'} · CareGuard`;
  }, [d?.finding.vulnerabilityId]);

  const back = (
    <Link to={lastFindingsHref()} className="backlink">
      <span aria-hidden="true">← </span>Findings
    </Link>
  );

  if (detail.error || !d) return <DetailPending back={back} noun="Finding" error={detail.error} onRetry={detail.reload} />;

  const f = d.finding;
  const wanted = location.query.get('device') ?? d.deviceId;
  const shown = d.perDevice.find((p) => p.device.id === wanted) ?? d.perDevice.find((p) => p.device.id === d.deviceId);
  const risk = shown?.risk ?? d.risk;

  return (
    <main className="page" id="main" data-testid="finding-detail" data-finding-id={f.id} aria-busy={detail.loading}>
      {back}
      <div className="page__header">
        <div>
          <h1 className="page__title" data-field="vulnerabilityId">
            {f.vulnerabilityId}
          </h1>
          <p className="page__subtitle">
            <span className="mono">
              {f.componentName}
              {f.componentVersion ? ` ${f.componentVersion}` : ''}
            </span>{' '}
            in <Link to={`/products/${encodeURIComponent(d.product.id)}`}>{productLabel(d.product)}</Link>
          </p>
        </div>
        <div className="page__badges finding__badges">
          <RiskScoreBadge score={d.risk.score} band={d.risk.band} />
          <TriageBadge state={f.triage?.state} />
          {d.intel.kev ? <KevBadge ransomware={d.intel.kev.knownRansomware === true} /> : null}
          {f.needsReview ? <ReviewFlag /> : null}
        </div>
      </div>
      <p className="idline">
        Finding ID <code>{f.id}</code> · {humanize(f.status)}
        {f.closeReason ? ` (${humanize(f.closeReason).toLowerCase()})` : ''} · first seen{' '}
        <time dateTime={f.firstSeen} title={formatDateTime(f.firstSeen)}>
          {formatRelative(f.firstSeen)}
        </time>
        {f.componentPurl ? (
          <>
            {' '}
            · <code>{f.componentPurl}</code>
          </>
        ) : null}
      </p>

      <div className="grid grid--2">
        <AdvisoryCard detail={d} />
        <IntelCard intel={d.intel} />
      </div>
      <div className="grid grid--2">
        <EvidenceCard detail={d} />
        <RecommendationCard recommendation={risk.recommendedAction} />
      </div>
      <RiskBreakdown breakdown={risk.breakdown} device={shown?.device} counting={shown?.device.id === d.deviceId} />
      <PerDeviceTable
        detail={d}
        selected={shown?.device.id}
        onSelect={(deviceId) => navigate(buildHref(`/findings/${encodeURIComponent(id)}`, { device: deviceId === d.deviceId ? undefined : deviceId }), { replace: true })}
      />
      <TriagePanel finding={f} canWrite={can('vulns:write')} onSaved={() => setVersion((v) => v + 1)} />
    </main>
  );
}
