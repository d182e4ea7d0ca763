import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ascii, byteByByte, comparable, dissect, flowKey, type Step } from '../testing/harness.js';
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
      ['http.request', 'create', 'Observation'],
      ['http.response', 'create', 'Observation'],
    ]);
    expect(obs[0]?.fields).toMatchObject({ fhirSearchParams: ['identifier'], fhirPatientSearch: true });
    expect(obs[0]?.findings?.map((f) => f.message)).toEqual(['FHIR Patient search by identifier (patient identifiers in the URL) without TLS: patient data in the clear']);
    expect(obs[2]?.findings?.map((f) => f.code)).toEqual(['http.fhir-cleartext']);
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
});
