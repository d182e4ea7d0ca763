/**
 * @module Test support: one infusion-pump product with findings in every VEX state and with every
 * justification (CSAF/OpenVEX labels and CycloneDX values), untriaged and closed findings, the
 * product's own firmware as a finding target, and the advisories they came from.
 */
import type { Component } from '../../../sbom/index.js';
import { VEX_JUSTIFICATIONS, type Finding, type TriageDecision, type VexJustification } from '../../findings/model.js';
import { PRODUCT_SELF_REF } from '../../match/model.js';
import type { Advisory } from '../../model.js';
import type { Product } from '../../ports.js';

export const NOW = '2025-03-01T12:00:00.000Z';

export const product: Product = {
  id: 'prd_pump',
  manufacturer: 'Acme Medical',
  name: 'InfuseRight 3000',
  version: '4.2.1',
  normalizedVendor: 'acme medical',
  normalizedProduct: 'infuseright 3000',
  cpe: 'cpe:2.3:o:acme_medical:infuseright_3000_firmware:4.2.1:*:*:*:*:*:*:*',
  origin: 'sbom',
  createdAt: '2025-01-01T00:00:00.000Z',
  updatedAt: '2025-01-01T00:00:00.000Z',
};

const analyst: TriageDecision['by'] = { kind: 'user', id: 'usr_1', name: 'Dana Analyst' };

function advisory(id: string, extra: Partial<Advisory> = {}): Advisory {
  return {
    id,
    source: 'osv',
    sourceId: id,
    aliases: [],
    summary: `Summary of ${id}`,
    severity: [{ version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: 9.8, baseSeverity: 'CRITICAL', source: 'nvd@nist.gov' }],
    cwes: ['CWE-787'],
    affected: [],
    remediations: [],
    references: [{ url: `https://example.test/${id}`, type: 'ADVISORY' }],
    provenance: { parser: 'osv@1.0.0', location: 'test', pointer: '' },
    warnings: [],
    ...extra,
  };
}

let n = 0;
function finding(vulnerabilityId: string, component: { ref: string; name: string; version?: string; purl?: string }, triage?: Omit<TriageDecision, 'by' | 'origin'>, extra: Partial<Finding> = {}): Finding {
  n++;
  return {
    id: `fnd_${String(n).padStart(3, '0')}`,
    productId: product.id,
    componentRef: component.ref,
    componentKey: component.purl ?? `${component.name}@${component.version ?? ''}`,
    componentName: component.name,
    ...(component.version !== undefined ? { componentVersion: component.version } : {}),
    ...(component.purl !== undefined ? { componentPurl: component.purl } : {}),
    vulnerabilityId,
    advisoryId: vulnerabilityId,
    advisorySource: 'osv',
    rule: 'purl',
    confidence: 1,
    needsReview: false,
    evidence: { advisoryField: 'affected[0]', advisoryValue: 'x', componentField: 'purl', componentValue: 'x', explanation: 'test' },
    fixedVersions: [],
    status: 'open',
    riskScore: 50,
    firstSeen: '2025-01-10T00:00:00.000Z',
    lastSeen: '2025-02-20T00:00:00.000Z',
    ...(triage ? { triage: { ...triage, by: analyst, origin: 'analyst' } } : {}),
    ...extra,
  };
}

/** One component per justification, so each not_affected decision has its own component. */
export const justificationComponents = VEX_JUSTIFICATIONS.map((j, i) => ({
  ref: `lib-${i}`,
  name: `lib${i}`,
  version: `1.${i}.0`,
  purl: `pkg:generic/acme/lib${i}@1.${i}.0`,
  justification: j,
}));

export const openssl = { ref: 'openssl', name: 'openssl', version: '1.1.1k', purl: 'pkg:generic/openssl/openssl@1.1.1k' };
export const busybox = { ref: 'busybox', name: 'busybox', version: '1.31.0', purl: 'pkg:generic/busybox/busybox@1.31.0' };
export const firmware = { ref: PRODUCT_SELF_REF, name: product.name, version: product.version };

export const findings: Finding[] = [
  ...justificationComponents.map((c, i) =>
    finding(`CVE-2024-10${String(i).padStart(2, '0')}`, c, { state: 'not_affected', justification: c.justification as VexJustification, detail: `Not exploitable in the pump (${c.justification}).`, at: '2025-02-01T00:00:00.000Z' }),
  ),
  finding('CVE-2023-0286', openssl, { state: 'affected', action: 'Disable the remote service until firmware 4.3 is installed.', at: '2025-02-02T00:00:00.000Z' }, { fixedVersions: ['1.1.1t'] }),
  finding('CVE-2023-0465', openssl, { state: 'affected', at: '2025-02-02T00:00:00.000Z' }),
  finding('CVE-2022-48174', busybox, { state: 'fixed', detail: 'Patched in the vendor build.', at: '2025-02-03T00:00:00.000Z' }),
  finding('CVE-2022-28391', busybox, { state: 'under_investigation', at: '2025-02-04T00:00:00.000Z' }),
  finding('CVE-2021-42386', busybox),
  finding('ICSMA-24-100-01', firmware, { state: 'affected', detail: 'Hard-coded service password.', at: '2025-02-05T00:00:00.000Z' }),
  finding('CVE-2020-0001', busybox, undefined, { status: 'closed', closeReason: 'component-removed', closedAt: '2025-02-10T00:00:00.000Z' }),
];

export const advisories = new Map<string, Advisory>(
  findings.map((f) => [
    f.advisoryId,
    f.vulnerabilityId === 'ICSMA-24-100-01'
      ? advisory(f.vulnerabilityId, {
          source: 'csaf',
          aliases: [],
          severity: [{ version: '3.1', vector: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', baseScore: 8.8, baseSeverity: 'HIGH' }],
          cwes: ['CWE-798'],
          remediations: [{ category: 'vendor_fix', details: 'Install firmware 4.3.' }],
        })
      : f.vulnerabilityId === 'CVE-2023-0465'
        ? advisory(f.vulnerabilityId, { aliases: ['GHSA-aaaa-bbbb-cccc'], severity: [{ version: '2.0', vector: 'AV:N/AC:L/Au:N/C:P/I:N/A:N', baseScore: 5, baseSeverity: 'MEDIUM' }] })
        : advisory(f.vulnerabilityId),
  ]),
);

/** SBOM components by ref, for the enrichment path. */
export const sbomComponents = new Map<string, Component>([
  [
    openssl.ref,
    {
      ref: openssl.ref,
      name: 'openssl',
      version: '1.1.1k',
      purl: openssl.purl,
      cpes: ['cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*'],
      supplier: 'OpenSSL Software Foundation',
      type: 'library',
      hashes: [{ alg: 'SHA-256', value: 'ab'.repeat(32) }],
      licenses: [],
      properties: [],
      flags: [],
    },
  ],
]);

export const base = { product, findings, advisories, components: sbomComponents, now: NOW, tool: { name: 'CareGuard', version: '0.1.0-test' } };
