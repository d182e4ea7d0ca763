/**
 * @module SARIF 2.1.0 output of a scan, for code-scanning dashboards (GitHub, GitLab, Azure
 * DevOps): one rule per vulnerability with `security-severity` (the CVSS base score, as GitHub
 * ranks it), one result per affected component, located at the SBOM file.
 */
import type { ScanFinding, ScanResult, ScanSeverity } from './scan.js';

const LEVEL: Record<ScanSeverity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', none: 'note' };

export function toSarif(result: ScanResult, sbomUri: string, toolVersion: string): Record<string, unknown> {
  const rules = new Map<string, Record<string, unknown>>();
  for (const f of result.findings) {
    if (rules.has(f.vulnerabilityId)) continue;
    rules.set(f.vulnerabilityId, {
      id: f.vulnerabilityId,
      name: f.vulnerabilityId.replace(/[^A-Za-z0-9]/g, ''),
      shortDescription: { text: f.title ?? f.vulnerabilityId },
      helpUri: helpUri(f),
      properties: {
        'security-severity': (f.cvss?.baseScore ?? 0).toFixed(1),
        tags: ['security', 'vulnerability', ...(f.kev ? ['kev'] : [])],
        ...(f.cvss ? { cvss: f.cvss.vector } : {}),
      },
    });
  }
  const ruleIndex = new Map([...rules.keys()].map((id, i) => [id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'CareGuard', version: toolVersion, informationUri: 'https://github.com/careguard/careguard', rules: [...rules.values()] } },
        results: result.findings.map((f) => ({
          ruleId: f.vulnerabilityId,
          ruleIndex: ruleIndex.get(f.vulnerabilityId),
          level: LEVEL[f.severity],
          message: { text: message(f) },
          locations: [
            {
              physicalLocation: { artifactLocation: { uri: sbomUri } },
              logicalLocations: [{ name: f.component.purl ?? `${f.component.name}${f.component.version ? `@${f.component.version}` : ''}`, kind: 'package' }],
            },
          ],
          partialFingerprints: { 'careguard/v1': `${f.vulnerabilityId}|${f.component.purl ?? f.component.name}|${f.component.version ?? ''}` },
          properties: { advisory: f.advisoryId, source: f.source, rule: f.rule, confidence: f.confidence, needsReview: f.needsReview, fixedVersions: f.fixedVersions, kev: f.kev },
        })),
      },
    ],
  };
}

function message(f: ScanFinding): string {
  const comp = `${f.component.name}${f.component.version ? ` ${f.component.version}` : ''}`;
  const fix = f.fixedVersions.length > 0 ? ` Fixed in ${f.fixedVersions.join(', ')}.` : '';
  return `${comp} is affected by ${f.vulnerabilityId} (${f.severity}${f.kev ? ', KEV-listed' : ''}). ${f.evidence.explanation}.${fix}`;
}

function helpUri(f: ScanFinding): string {
  if (/^CVE-\d{4}-\d+$/.test(f.vulnerabilityId)) return `https://www.cve.org/CVERecord?id=${f.vulnerabilityId}`;
  if (/^GHSA-/.test(f.vulnerabilityId)) return `https://github.com/advisories/${f.vulnerabilityId}`;
  return `https://osv.dev/vulnerability/${encodeURIComponent(f.vulnerabilityId)}`;
}
