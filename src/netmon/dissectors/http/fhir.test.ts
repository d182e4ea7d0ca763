import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEARCHSET, TERMINOLOGY_BATCH, TRANSACTION } from '../testing/fhir.js';
import { ascii, byteByByte, comparable, dissect, fixedChunks, flowKey, type Step } from '../testing/harness.js';
import type { Observation } from '../../model.js';
import { isDissectorError } from '../errors.js';
import { httpDissector } from './dissector.js';
import { fhirRequest, fhirShape, searchParameters } from './fhir.js';

const key = flowKey('tcp', 8080);

describe('FHIR REST in HTTP', () => {
  it('knows the interaction from the method and path', () => {
    expect(fhirShape('GET', '/fhir/Patient/123', false)).toEqual({ interaction: 'read', resourceType: 'Patient' });
    expect(fhirShape('GET', '/fhir/Patient/123/_history/2', false)).toEqual({ interaction: 'vread', resourceType: 'Patient' });
    expect(fhirShape('GET', '/fhir/Patient/123/_history', false)).toEqual({ interaction: 'history', resourceType: 'Patient' });
    expect(fhirShape('GET', '/fhir/Observation', true)).toEqual({ interaction: 'search', resourceType: 'Observation' });
    expect(fhirShape('POST', '/fhir/Observation/_search', false)).toEqual({ interaction: 'search', resourceType: 'Observation' });
    expect(fhirShape('POST', '/fhir/Observation', false)).toEqual({ interaction: 'create', resourceType: 'Observation' });
    expect(fhirShape('PUT', '/fhir/Patient/123', false)).toEqual({ interaction: 'update', resourceType: 'Patient' });
    expect(fhirShape('DELETE', '/fhir/Patient/123', false)).toEqual({ interaction: 'delete', resourceType: 'Patient' });
    expect(fhirShape('POST', '/fhir/Patient/$match', false)).toEqual({ interaction: 'operation', resourceType: 'Patient' });
    expect(fhirShape('POST', '/baseR4', false)).toEqual({ interaction: 'batch', resourceType: 'Bundle' });
    expect(fhirShape('GET', '/fhir/patient/123', false)).toBeUndefined();
    expect(fhirShape('GET', '/index.html', false)).toBeUndefined();
  });

  it('takes the shape as FHIR only with FHIR content declared or a fhir path segment', () => {
    expect(fhirRequest('GET', '/api/Patient/1', '/api/Patient/1', false, null, 'application/json').fields.fhirInteraction).toBeNull();
    expect(fhirRequest('GET', '/api/Patient/1', '/api/Patient/1', false, null, 'application/fhir+json').fields).toMatchObject({ fhirInteraction: 'read', fhirResourceType: 'Patient', fhirPatientData: true });
    expect(fhirRequest('GET', '/fhir/metadata', '/fhir/metadata', false, null, null).fields.fhirInteraction).toBeNull();
    expect(fhirRequest('GET', '/fhir/ValueSet/1', '/fhir/ValueSet/1', false, null, null).fields).toMatchObject({ fhirInteraction: 'read', fhirPatientData: false });
  });

  it('names search parameters, never their values, and says when one identifies a patient', () => {
    expect(searchParameters('/fhir/Patient?identifier=urn:mrn|123&birthdate=1970-01-01&_count=10')).toEqual({ names: ['identifier', 'birthdate'], patient: true });
    expect(searchParameters('/fhir/Observation?subject:Patient=42&code=8867-4')).toEqual({ names: ['subject:Patient', 'code'], patient: true });
    expect(searchParameters('/fhir/Observation?code=8867-4&name%3DDOE')).toEqual({ names: ['code', 'name'], patient: true });
    expect(searchParameters('/fhir/Device?type=pump')).toEqual({ names: ['type'], patient: false });
    expect(JSON.stringify(searchParameters('/fhir/Patient?identifier=MRN-0042'))).not.toContain('MRN-0042');
  });

  it('marks reads, searches and writes of a patient\'s resources with a finding, in any chunking', () => {
    const steps: Step[] = [
      ['c2s', ascii('GET /fhir/Patient?identifier=MRN-0042 HTTP/1.1\r\nHost: ehr\r\nAccept: application/fhir+json\r\n\r\n')],
      ['s2c', ascii('HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\nContent-Length: 2\r\n\r\n{}')],
      ['c2s', ascii('POST /api/Observation HTTP/1.1\r\nHost: ehr\r\nContent-Type: application/fhir+json\r\nContent-Length: 2\r\n\r\n{}')],
      ['s2c', ascii('HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n')],
    ];
    const obs = dissect(httpDissector, key, steps);
    expect(obs.map((o) => [o.kind, o.fields.fhirInteraction, o.fields.fhirResourceType])).toEqual([
      ['http.request', 'search', 'Patient'],
      ['http.response', 'search', 'Patient'],
      // since 1.5.0 the body of a search answer is read (here no resource: the request line's judgement stands)
      ['http.fhir-body', 'search', 'Patient'],
      ['http.request', 'create', 'Observation'],
      ['http.response', 'create', 'Observation'],
    ]);
    expect(obs[0]?.fields).toMatchObject({ fhirSearchParams: ['identifier'], fhirPatientSearch: true });
    expect(obs[0]?.findings?.map((f) => f.message)).toEqual(['FHIR Patient search by identifier (patient identifiers in the URL) without TLS: patient data in the clear']);
    expect(obs[2]?.fields).toMatchObject({ fhirBodyResourceType: null, fhirPatientData: true });
    expect(obs[2]?.findings).toBeUndefined();
    expect(obs[3]?.findings?.map((f) => f.code)).toEqual(['http.fhir-cleartext']);
    expect(JSON.stringify(obs)).not.toContain('MRN-0042');
    expect(comparable(dissect(httpDissector, key, steps, byteByByte))).toEqual(comparable(obs));
  });

  it('confirms a request of FHIR shape by a FHIR response, and leaves other APIs alone', () => {
    const confirmed = dissect(httpDissector, key, [
      ['c2s', ascii('GET /api/Encounter/9 HTTP/1.1\r\nHost: ehr\r\n\r\n')],
      ['s2c', ascii('HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json;charset=utf-8\r\nContent-Length: 2\r\n\r\n{}')],
    ]);
    expect(confirmed.map((o) => o.fields.fhirInteraction)).toEqual([null, 'read']);
    const other = dissect(httpDissector, key, [
      ['c2s', ascii('GET /shop/Product/9 HTTP/1.1\r\nHost: shop\r\n\r\n')],
      ['s2c', ascii('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}')],
    ]);
    expect(other.map((o) => o.fields.fhirInteraction)).toEqual([null, null]);
  });

  it('never throws on arbitrary paths and query strings, and keeps at most 16 parameter names', () => {
    const piece = fc.constantFrom('/fhir', '/Patient', '/123', '/_history', '/_search', '/$match', '/', '%', '%3D', '=', '&', 'identifier', 'x', ':');
    fc.assert(
      fc.property(fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'), fc.array(piece, { maxLength: 40 }), fc.string({ maxLength: 200 }), (method, parts, query) => {
        const path = parts.join('');
        fhirShape(method, path, query.length > 0);
        expect(searchParameters(`${path}?${query}`).names.length).toBeLessThanOrEqual(16);
      }),
      { numRuns: 500 },
    );
  });

  describe('Bundles in JSON bodies', () => {
    const json = (b: object) => JSON.stringify(b, null, 2);
    const post = (body: string, headers = 'Content-Type: application/fhir+json\r\n', path = '/fhir') => ascii(`POST ${path} HTTP/1.1\r\nHost: ehr\r\n${headers}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const answer = (body: string, headers = 'Content-Type: application/fhir+json\r\n') => ascii(`HTTP/1.1 200 OK\r\n${headers}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const bodies = (obs: Observation[]) => obs.filter((o) => o.kind === 'http.fhir-body');
    const RESPONSE = { resourceType: 'Bundle', type: 'transaction-response', entry: [{ response: { status: '201 Created', location: 'Patient/42/_history/1' } }] };

    it('reads a transaction posted in cleartext: the body, not the request line, says it carries patient data, in any chunking', () => {
      const steps: Step[] = [
        ['c2s', post(json(TRANSACTION))],
        ['s2c', answer(json(RESPONSE))],
      ];
      const obs = dissect(httpDissector, key, steps);
      expect(obs.map((o) => `${o.kind} ${o.dir}`)).toEqual(['http.request c2s', 'http.fhir-body c2s', 'http.response s2c', 'http.fhir-body s2c']);
      const [request, body, response, reply] = obs;
      // the head leaves the judgement to the body it is reading, and raises nothing itself
      expect(request?.producer).toBe('http@1.5.0');
      expect(request?.fields).toMatchObject({ fhirInteraction: 'batch', fhirResourceType: 'Bundle', fhirPatientData: null });
      expect(request?.findings).toBeUndefined();
      expect(body?.fields).toEqual({
        requestMethod: 'POST',
        requestPath: '/fhir',
        status: null,
        fhirInteraction: 'batch',
        fhirResourceType: 'Bundle',
        fhirBodyResourceType: 'Bundle',
        fhirBundleType: 'transaction',
        fhirBundleEntries: 3,
        fhirBundleResourceTypes: ['Patient', 'Encounter', 'Observation'],
        fhirBundleNestedTypes: ['Device'],
        fhirBundleTypesOverflow: false,
        fhirBundleMethods: { POST: 2, PUT: 1 },
        fhirBundleComplete: true,
        fhirBundleTruncated: false,
        fhirBodyRead: true,
        fhirPatientData: true,
        fhirPatientDataFrom: 'body',
      });
      expect(body?.findings?.map((f) => [f.code, f.message])).toEqual([['http.fhir-cleartext', 'FHIR transaction Bundle of Patient, Encounter, Observation, Device without TLS: patient data in the clear']]);
      // the answer lists where the resources went: no resource of a patient in it
      expect(response?.fields.fhirPatientData).toBeNull();
      expect(reply?.fields).toMatchObject({ status: 200, fhirBundleType: 'transaction-response', fhirBundleEntries: 1, fhirBundleResourceTypes: [], fhirPatientData: false });
      expect(reply?.findings).toBeUndefined();
      for (const value of ['MRN-0042', 'Doe', 'Jane', 'hr-7781', '1970-01-01', '61ebe359']) expect(JSON.stringify(obs)).not.toContain(value);
      expect(comparable(dissect(httpDissector, key, steps, byteByByte))).toEqual(comparable(obs));
    });

    it('finds no patient data in a batch of terminology lookups, and raises nothing', () => {
      const obs = dissect(httpDissector, key, [['c2s', post(json(TERMINOLOGY_BATCH))]]);
      expect(obs.map((o) => o.fields.fhirPatientData)).toEqual([null, false]);
      expect(bodies(obs)[0]?.fields).toMatchObject({ fhirBundleType: 'batch', fhirBundleResourceTypes: ['ValueSet', 'CodeSystem'], fhirBundleMethods: { GET: 3 } });
      expect(obs.flatMap((o) => o.findings ?? [])).toEqual([]);
    });

    it('reads a search answer, raising nothing more when the search was flagged, and flags what a search of other types brings in', () => {
      const flagged = dissect(httpDissector, key, [
        ['c2s', ascii('GET /fhir/Observation?subject=Patient/42&_include=Observation:subject HTTP/1.1\r\nHost: ehr\r\nAccept: application/fhir+json\r\n\r\n')],
        ['s2c', answer(json(SEARCHSET))],
      ]);
      expect(flagged.map((o) => [o.kind, o.findings?.length ?? 0])).toEqual([
        ['http.request', 1],
        ['http.response', 0],
        ['http.fhir-body', 0],
      ]);
      expect(bodies(flagged)[0]?.fields).toMatchObject({ requestMethod: 'GET', requestPath: '/fhir/Observation', status: 200, fhirBundleType: 'searchset', fhirBundleEntries: 3, fhirBundleResourceTypes: ['Observation', 'Patient'], fhirPatientData: true });
      // Locations are no patient data, but the encounters included with them are
      const encounters = { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Location', id: 'icu' } }, { resource: { resourceType: 'Encounter', id: 'e1' }, search: { mode: 'include' } }] };
      const included = dissect(httpDissector, key, [
        ['c2s', ascii('GET /fhir/Location?_revinclude=Encounter:location HTTP/1.1\r\nHost: ehr\r\n\r\n')],
        ['s2c', answer(json(encounters), 'Content-Type: application/json\r\n')],
      ]);
      expect(included.map((o) => [o.kind, o.findings?.map((f) => f.code) ?? []])).toEqual([
        ['http.request', []],
        ['http.response', []],
        ['http.fhir-body', ['http.fhir-cleartext']],
      ]);
    });

    it('keeps plain JSON only of a request judged FHIR, and never a compressed body', () => {
      expect(bodies(dissect(httpDissector, key, [['c2s', post(json(TRANSACTION), 'Content-Type: application/json\r\n', '/baseR4')]]))).toHaveLength(1);
      // the shape without a fhir segment or FHIR content: not judged FHIR, not read
      expect(bodies(dissect(httpDissector, key, [['c2s', post(json(TRANSACTION), 'Content-Type: application/json\r\n', '/api/Bundle')]]))).toEqual([]);
      const gzip = dissect(httpDissector, key, [['c2s', post(json(TRANSACTION), 'Content-Type: application/fhir+json\r\nContent-Encoding: gzip\r\n')]]);
      expect(gzip.map((o) => o.kind)).toEqual(['http.request']);
      // not read: the request line's judgement stands (a Bundle may carry patient data)
      expect(gzip[0]?.fields.fhirPatientData).toBe(true);
      expect(gzip[0]?.findings?.map((f) => f.code)).toEqual(['http.fhir-cleartext']);
    });

    it('counts a body the shared budget has no room for as refused, and the head keeps its judgement', () => {
      const budget = { used: 0, peak: 0, refused: 0, max: 1024 };
      const obs: Observation[] = [];
      const consumer = httpDissector.create(key, (o) => obs.push(o), { keptBodies: budget });
      consumer.onData('c2s', post(json(TRANSACTION)), { frame: 1, ts: 1 });
      expect(budget).toMatchObject({ used: 0, refused: 1 });
      expect(obs.map((o) => [o.kind, o.fields.fhirPatientData, o.findings?.length])).toEqual([['http.request', true, 1]]);
      // with room, the same body is read and its reservation given back
      const roomy = { used: 0, peak: 0, refused: 0, max: 1024 * 1024 };
      const read: Observation[] = [];
      httpDissector.create(key, (o) => read.push(o), { keptBodies: roomy }).onData('c2s', post(json(TRANSACTION)), { frame: 1, ts: 1 });
      expect(bodies(read)).toHaveLength(1);
      expect(roomy).toMatchObject({ used: 0, refused: 0 });
      expect(roomy.peak).toBe(Buffer.byteLength(json(TRANSACTION)));
    });

    it('does not take a batch answer cut at 64 KiB for patient data: the request line names only a Bundle', () => {
      const lookups = json({ resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: 'ValueSet/$expand?url=http://loinc.org/vs' } }] });
      const vs = (i: number) => ({ resource: { resourceType: 'ValueSet', id: `vs${i}`, expansion: { contains: [{ code: 'x'.repeat(300) }] } }, response: { status: '200 OK' } });
      const answer = JSON.stringify({ resourceType: 'Bundle', type: 'batch-response', entry: Array.from({ length: 300 }, (_, i) => vs(i)) });
      expect(answer.length).toBeGreaterThan(64 * 1024);
      const obs = dissect(httpDissector, key, [
        ['c2s', post(lookups)],
        ['s2c', ascii(`HTTP/1.1 200 OK\r\nContent-Type: application/fhir+json\r\nContent-Length: ${answer.length}\r\n\r\n${answer}`)],
      ]);
      const [request, response] = bodies(obs);
      expect(request?.fields).toMatchObject({ fhirBundleType: 'batch', fhirPatientData: false, fhirPatientDataFrom: 'body' });
      expect(response?.fields).toMatchObject({ fhirBundleType: 'batch-response', fhirBundleResourceTypes: ['ValueSet'], fhirBundleComplete: false, fhirBundleTruncated: true, fhirPatientData: false, fhirPatientDataFrom: 'request-line' });
      expect(obs.flatMap((o) => o.findings ?? [])).toEqual([]);
    });

    it('reads the first 64 KiB of a longer chunked Bundle, marked truncated', () => {
      const entry = (i: number) => json({ fullUrl: `urn:uuid:${i}`, resource: { resourceType: i % 2 ? 'Observation' : 'Patient', text: { div: 'x'.repeat(400) } }, request: { method: 'POST', url: 'Observation' } });
      const body = `{"resourceType":"Bundle","type":"transaction","entry":[${Array.from({ length: 400 }, (_, i) => entry(i)).join(',')}]}`;
      const chunks = body.match(/[^]{1,5000}/g)!.map((c) => `${Buffer.byteLength(c).toString(16)}\r\n${c}\r\n`).join('');
      const obs = dissect(httpDissector, key, [['c2s', ascii(`POST /fhir HTTP/1.1\r\nHost: ehr\r\nContent-Type: application/fhir+json\r\nTransfer-Encoding: chunked\r\n\r\n${chunks}0\r\n\r\n`)]]);
      const [b] = bodies(obs);
      expect(b?.fields).toMatchObject({ fhirBundleType: 'transaction', fhirBundleResourceTypes: ['Patient', 'Observation'], fhirBundleComplete: false, fhirBundleTruncated: true, fhirPatientData: true });
      expect(b?.fields.fhirBundleEntries).toBeGreaterThan(100);
      expect(b?.fields.fhirBundleEntries).toBeLessThan(400);
    });

    it('reports a body lost to a gap, or one that is no JSON object, as unread: the request line judges it', () => {
      const obs: Observation[] = [];
      const lost = httpDissector.create(key, (o) => obs.push(o));
      const bytes = post(json(TRANSACTION));
      lost.onData('c2s', bytes.subarray(0, bytes.length - 100), { frame: 1, ts: 1 });
      lost.onGap?.('c2s', 100, { frame: 2, ts: 2 });
      expect(obs.map((o) => [o.kind, o.frame, o.fields.fhirBodyRead, o.fields.fhirPatientData, o.findings?.map((f) => f.code)])).toEqual([
        ['http.request', 1, undefined, null, undefined],
        ['http.fhir-body', 2, false, true, ['http.fhir-cleartext']],
      ]);
      const xml: Observation[] = [];
      const other = httpDissector.create(key, (o) => xml.push(o));
      const mislabelled = post(`<Bundle xmlns="http://hl7.org/fhir"><type value="transaction"/>${' '.repeat(200)}</Bundle>`);
      other.onData('c2s', mislabelled.subarray(0, mislabelled.length - 10), { frame: 1, ts: 1 });
      other.onGap?.('c2s', 10, { frame: 2, ts: 2 });
      // dropped once its first bytes show no object, answered then (at the head's frame), once
      expect(xml.map((o) => [o.kind, o.frame, o.fields.fhirBodyRead, o.fields.fhirPatientData])).toEqual([
        ['http.request', 1, undefined, null],
        ['http.fhir-body', 1, false, true],
      ]);
    });

    it('reports the body of a direction that stops on a framing fault as unread, so its head is answered', () => {
      const obs: Observation[] = [];
      const c = httpDissector.create(key, (o) => obs.push(o));
      const head = `POST /fhir HTTP/1.1\r\nHost: ehr\r\nContent-Type: application/fhir+json\r\nTransfer-Encoding: chunked\r\n\r\n`;
      // a chunk size that is not hex: the chunked framing fails mid-body
      const broken = ascii(`${head}10\r\n{"resourceType":\r\nzz\r\n`);
      expect(() => c.onData('c2s', broken, { frame: 3, ts: 3 })).toThrow();
      expect(obs.map((o) => [o.kind, o.fields.fhirBodyRead, o.fields.fhirPatientData])).toEqual([
        ['http.request', undefined, null],
        ['http.fhir-body', false, true],
      ]);
    });

    it('a mutated Bundle body, in any chunking, never throws anything but DissectorError, and the connection goes on', () => {
      const base = json(TRANSACTION);
      const edit = fc.record({ at: fc.nat(), del: fc.nat({ max: 6 }), insert: fc.string({ maxLength: 6 }) });
      fc.assert(
        fc.property(fc.array(edit, { maxLength: 6 }), fc.integer({ min: 1, max: 300 }), (edits, size) => {
          let body = base;
          for (const e of edits) {
            const at = e.at % (body.length + 1);
            body = body.slice(0, at) + e.insert + body.slice(at + e.del);
          }
          try {
            const obs = dissect(httpDissector, key, [['c2s', post(body)], ['c2s', ascii('GET /next HTTP/1.1\r\nHost: h\r\n\r\n')]], fixedChunks(size));
            expect(obs.filter((o) => o.kind === 'http.request').map((o) => o.fields.path)).toEqual(['/fhir', '/next']);
            expect(bodies(obs).length).toBeLessThanOrEqual(1);
          } catch (err) {
            if (!isDissectorError(err)) throw err;
          }
        }),
        { numRuns: 200 },
      );
    });
  });
});
