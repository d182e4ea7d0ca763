/**
 * @module What `careguard scan SBOM_FILE` does when it runs (sbom.ts registers it): matches the SBOM
 * against the local advisory store without storing anything and prints a table, JSON or SARIF.
 */
import { writeFileSync } from 'node:fs';
import { invalidInput } from '../../../core/index.js';
import type { VulnCapability } from '../../../vulns/capability.js';
import { scanSbom, SCAN_SEVERITIES, severityAtLeast, type ScanFinding, type ScanSeverity } from '../../../vulns/scan.js';
import { toSarif } from '../../../vulns/sarif.js';
import { EXIT, type CliContext } from '../../context.js';
import { renderTable, type Column } from '../../render.js';
import { readDocument } from './sbom.js';

export interface ScanFlags {
  format: string;
  failOn?: string;
  output?: string;
}

const FINDING_COLUMNS: Column<ScanFinding>[] = [
  { header: 'SEVERITY', value: (f) => f.severity.toUpperCase() },
  { header: 'VULNERABILITY', value: (f) => f.vulnerabilityId, maxWidth: 24 },
  { header: 'COMPONENT', value: (f) => f.component.name, maxWidth: 28 },
  { header: 'VERSION', value: (f) => f.component.version ?? '', maxWidth: 16 },
  { header: 'FIXED IN', value: (f) => f.fixedVersions.join(', '), maxWidth: 18 },
  { header: 'CVSS', value: (f) => (f.cvss ? f.cvss.baseScore.toFixed(1) : '') },
  { header: 'KEV', value: (f) => (f.kev ? 'yes' : '') },
  { header: 'EPSS%', value: (f) => (f.epssPercentile === undefined ? '' : (f.epssPercentile * 100).toFixed(0)) },
  { header: 'RULE', value: (f) => `${f.rule}${f.needsReview ? ' (review)' : ''}` },
  { header: 'ADVISORY', value: (f) => f.advisoryId, maxWidth: 24 },
];

export async function scanCommand(ctx: CliContext<{ vulns: VulnCapability }>, file: string, flags: ScanFlags): Promise<void> {
  if (!['table', 'json', 'sarif'].includes(flags.format)) throw invalidInput('cli.invalid_option', '--format must be table, json or sarif');
  if (flags.failOn !== undefined && !(SCAN_SEVERITIES as readonly string[]).includes(flags.failOn)) throw invalidInput('cli.invalid_option', `--fail-on must be one of ${SCAN_SEVERITIES.join(', ')}`);
  const text = readDocument(file);
  const services = await ctx.open();
  try {
    const result = await scanSbom(text, services.vulns.repo, file);
    let out: string;
    if (flags.format === 'json') out = `${JSON.stringify(result, null, 2)}\n`;
    else if (flags.format === 'sarif') out = `${JSON.stringify(toSarif(result, file, '0.1.0'), null, 2)}\n`;
    else {
      out = renderTable(result.findings, FINDING_COLUMNS);
      const needsReview = result.findings.filter((f) => f.needsReview).length;
      out += `${result.findings.length} finding${result.findings.length === 1 ? '' : 's'} in ${result.sbom.components} components (${result.advisoriesConsidered} candidate advisories)${needsReview ? `; ${needsReview} need review` : ''}\n`;
    }
    if (flags.output) writeFileSync(flags.output, out);
    else ctx.io.stdout.write(out);
    const threshold = flags.failOn as ScanSeverity | undefined;
    if (threshold && result.findings.some((f) => severityAtLeast(f.severity, threshold))) process.exitCode = EXIT.findings;
  } finally {
    await services.close();
  }
}
