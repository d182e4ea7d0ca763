/**
 * @module The severity scale of `careguard scan` and its --fail-on threshold. Its own file so the
 * CLI's help can list the levels without loading the SBOM parsers and matchers scan.ts brings in.
 */
export const SCAN_SEVERITIES = ['critical', 'high', 'medium', 'low', 'none'] as const;
export type ScanSeverity = (typeof SCAN_SEVERITIES)[number];

export const severityAtLeast = (s: ScanSeverity, threshold: ScanSeverity): boolean => SCAN_SEVERITIES.indexOf(s) <= SCAN_SEVERITIES.indexOf(threshold);
