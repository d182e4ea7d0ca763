import { describe, expect, it } from 'vitest';
import { ADVISORY_SOURCES, detectSource } from './index.js';

describe('advisory source registry', () => {
  it('lists versioned plug-ins with unique ids', () => {
    const ids = ADVISORY_SOURCES.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of ADVISORY_SOURCES) expect(s.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it.each([
    [{ json: { document: { csaf_version: '2.0' } } }, 'csaf'],
    [{ json: { dataType: 'CVE_RECORD', cveMetadata: {} } }, 'cve5'],
    [{ json: { format: 'NVD_CVE', vulnerabilities: [] } }, 'nvd'],
    [{ json: { catalogVersion: '2025.08.25', vulnerabilities: [] } }, 'kev-json'],
    [{ head: 'cveID,vendorProject,product,vulnerabilityName' }, 'kev-csv'],
    [{ head: '#model_version:v2023.03.01,score_date:2024-01-01' }, 'epss'],
    [{ json: { id: 'GHSA-1', modified: '2024-01-01T00:00:00Z' } }, 'osv'],
    [{ filename: 'icsma-20-163-01.json' }, 'csaf'],
  ])('detects %j as %s', (input, id) => {
    expect(detectSource(input)?.id).toBe(id);
  });

  it('detects nothing for unrelated input', () => {
    expect(detectSource({ json: { hello: 'world' } })).toBeUndefined();
    expect(detectSource({ json: null })).toBeUndefined();
  });
});
