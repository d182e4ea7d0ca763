/**
 * @module Test fixtures for feed tests, generated in code: minimal valid CSAF, OSV, NVD page,
 * KEV and EPSS documents, a tiny zip writer (stored or deflated entries, CRC-32 from zlib) so
 * OSV all.zip archives are built without the `zip` CLI, and gzip.
 */
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';

export function csafDoc(id: string, cve: string, title = `Advisory ${id}`): string {
  return JSON.stringify({
    document: {
      category: 'csaf_security_advisory',
      csaf_version: '2.0',
      title,
      publisher: { category: 'vendor', name: 'Acme Medical', namespace: 'https://acme.example' },
      tracking: { id, status: 'final', version: '1', initial_release_date: '2024-01-01T00:00:00Z', current_release_date: '2024-01-02T00:00:00Z', revision_history: [{ number: '1', date: '2024-01-01T00:00:00Z', summary: 'Initial' }] },
    },
    product_tree: {
      branches: [{ category: 'vendor', name: 'Acme Medical', branches: [{ category: 'product_name', name: 'InfuseMax', branches: [{ category: 'product_version_range', name: '<= 2.6', product: { product_id: 'CSAFPID-0001', name: 'Acme InfuseMax <= 2.6' } }] }] }],
    },
    vulnerabilities: [{ cve, title: 'Overflow', product_status: { known_affected: ['CSAFPID-0001'] } }],
  });
}

export function osvRecord(id: string, pkg = 'requests'): string {
  return JSON.stringify({
    schema_version: '1.6.0',
    id,
    modified: '2024-01-01T00:00:00Z',
    summary: `${pkg} issue`,
    affected: [{ package: { ecosystem: 'PyPI', name: pkg }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }] }],
  });
}

export const nvdCve = (id: string) => ({ cve: { id, published: '2024-01-01T00:00:00.000', lastModified: '2024-01-02T00:00:00.000', vulnStatus: 'Analyzed', descriptions: [{ lang: 'en', value: `${id} description` }] } });

export function nvdPage(items: unknown[], startIndex: number, totalResults: number, resultsPerPage = items.length): string {
  return JSON.stringify({ resultsPerPage, startIndex, totalResults, format: 'NVD_CVE', version: '2.0', timestamp: '2024-01-01T00:00:00.000', vulnerabilities: items });
}

export function kevCatalog(cves: string[]): string {
  return JSON.stringify({
    title: 'CISA Catalog of Known Exploited Vulnerabilities',
    catalogVersion: '2024.01.01',
    dateReleased: '2024-01-01T00:00:00.000Z',
    count: cves.length,
    vulnerabilities: cves.map((cveID) => ({ cveID, vendorProject: 'Acme', product: 'Pump', vulnerabilityName: 'x', dateAdded: '2024-01-01', shortDescription: 'x', requiredAction: 'patch', dueDate: '2024-01-21', knownRansomwareCampaignUse: 'Unknown', notes: '' })),
  });
}

export function epssCsv(rows: number, bad: number[] = []): string {
  const lines = ['#model_version:v2023.03.01,score_date:2024-01-01T00:00:00+0000', 'cve,epss,percentile'];
  for (let i = 0; i < rows; i++) lines.push(bad.includes(i) ? `CVE-2024-${String(10000 + i)},not-a-number,0.5` : `CVE-2024-${String(10000 + i)},0.${String(i % 100).padStart(5, '0')},0.5`);
  return `${lines.join('\n')}\n`;
}

export const gzip = (text: string): Buffer => gzipSync(Buffer.from(text));

/** A zip archive of `files` (name -> content); deflated unless `store` is set. */
export function buildZip(files: Record<string, string | Buffer>, store = false): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content);
    const packed = store ? data : deflateRawSync(data);
    const nameBytes = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(store ? 0 : 8, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x5821, 12); // 2024-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(store ? 0 : 8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x5821, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed);
    centrals.push(central, nameBytes);
    offset += local.length + nameBytes.length + packed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
