/**
 * @module `careguard scan`: one SBOM against the local advisory store, with no writes. Findings
 * carry the same evidence as stored ones; severity is the highest CVSS band across advisories
 * naming the vulnerability (v4 preferred per source), and KEV/EPSS are reported alongside.
 */
import { parseSbom, type Sbom } from '../sbom/index.js';
import { bestMatches } from './findings/reconcile.js';
import { mergeIntel, type VulnIntel } from './intel.js';
import { componentKey, matchKeysOfTarget, targetOfComponent, withProductContext, type Match, type MatchTarget } from './match/index.js';
import type { CvssScore, CvssSeverity } from './model.js';
import type { VulnStore } from './ports.js';
import { matchAll } from './rematch.js';
import { SCAN_SEVERITIES, type ScanSeverity } from './scan-severity.js';

export { SCAN_SEVERITIES, severityAtLeast, type ScanSeverity } from './scan-severity.js';

export interface ScanFinding {
  vulnerabilityId: string;
  advisoryId: string;
  source: string;
  component: { ref: string; name: string; version?: string; purl?: string };
  status: Match['status'];
  rule: Match['rule'];
  confidence: number;
  needsReview: boolean;
  evidence: Match['evidence'];
  fixedVersions: string[];
  severity: ScanSeverity;
  cvss?: CvssScore;
  kev: boolean;
  epssPercentile?: number;
  title?: string;
}

export interface ScanResult {
  sbom: Pick<Sbom, 'format' | 'specVersion' | 'name' | 'sha256'> & { components: number };
  findings: ScanFinding[];
  advisoriesConsidered: number;
}

const SCAN_PRODUCT = '#scan';
const VERSION_RANK: Record<string, number> = { '4.0': 4, '3.1': 3, '3.0': 2, '2.0': 1 };

/** The CVSS score to report: the newest CVSS version available, highest base score within it. */
export function headlineCvss(scores: readonly CvssScore[]): CvssScore | undefined {
  let best: CvssScore | undefined;
  for (const s of scores) {
    if (!best || (VERSION_RANK[s.version] ?? 0) > (VERSION_RANK[best.version] ?? 0) || (s.version === best.version && s.baseScore > best.baseScore)) best = s;
  }
  return best;
}

const toScanSeverity = (s: CvssSeverity | undefined): ScanSeverity => (s ? (s.toLowerCase() as ScanSeverity) : 'none');

export async function scanSbom(text: string, store: Pick<VulnStore, 'advisoriesByKeys' | 'advisoriesForVulnerability'>, file?: string): Promise<ScanResult> {
  const sbom = parseSbom(text, file === undefined ? {} : { file });
  const plain: MatchTarget[] = [];
  const keys = new Map<string, string[]>();
  for (const c of sbom.components) {
    const t = targetOfComponent(SCAN_PRODUCT, c);
    t.componentKey = componentKey(c);
    plain.push(t);
    keys.set(`${SCAN_PRODUCT}\u0000${t.componentRef}`, matchKeysOfTarget(t));
  }
  // The whole SBOM is one product: NVD "running on" requirements see every CPE in it.
  const targets = withProductContext(plain);
  const advisories = await store.advisoriesByKeys([...new Set([...keys.values()].flat())]);
  const matches = [...bestMatches(matchAll(advisories, targets, keys)).values()].filter((m) => m.status === 'affected' || m.status === 'under_investigation');
  const byTarget = new Map(targets.map((t) => [t.componentKey, t]));
  const byId = new Map(advisories.map((a) => [a.advisory.id, a.advisory]));
  const intelCache = new Map<string, VulnIntel>();
  const findings: ScanFinding[] = [];
  for (const m of matches) {
    let intel = intelCache.get(m.vulnerabilityId);
    if (!intel) {
      const related = await store.advisoriesForVulnerability(m.vulnerabilityId);
      const own = byId.get(m.advisoryId);
      intel = mergeIntel(m.vulnerabilityId, [...(own ? [own] : []), ...related.map((r) => r.advisory)]);
      intelCache.set(m.vulnerabilityId, intel);
    }
    const t = byTarget.get(m.componentKey);
    const cvss = headlineCvss(intel.cvss);
    const f: ScanFinding = {
      vulnerabilityId: m.vulnerabilityId,
      advisoryId: m.advisoryId,
      source: m.advisorySource,
      component: { ref: m.componentRef, name: t?.name ?? m.componentRef, ...(t?.version ? { version: t.version } : {}), ...(t?.purl ? { purl: t.purl } : {}) },
      status: m.status,
      rule: m.rule,
      confidence: m.confidence,
      needsReview: m.needsReview,
      evidence: m.evidence,
      fixedVersions: m.fixedVersions,
      severity: toScanSeverity(cvss?.baseSeverity),
      kev: intel.kev !== undefined,
      ...(cvss ? { cvss } : {}),
      ...(intel.epss ? { epssPercentile: intel.epss.percentile } : {}),
    };
    const title = byId.get(m.advisoryId)?.title ?? byId.get(m.advisoryId)?.summary;
    if (title) f.title = title;
    findings.push(f);
  }
  findings.sort((a, b) => SCAN_SEVERITIES.indexOf(a.severity) - SCAN_SEVERITIES.indexOf(b.severity) || Number(b.kev) - Number(a.kev) || a.vulnerabilityId.localeCompare(b.vulnerabilityId) || a.component.name.localeCompare(b.component.name));
  return {
    sbom: { format: sbom.format, specVersion: sbom.specVersion, ...(sbom.name ? { name: sbom.name } : {}), sha256: sbom.sha256, components: sbom.components.length },
    findings,
    advisoriesConsidered: advisories.length,
  };
}
