import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ascii, byteByByte, comparable, dissect, flowKey, type Step } from '../testing/harness.js';
import { dicomwebShape, queryAttributes, requestDicomweb } from './dicomweb.js';
import { httpDissector } from './dissector.js';

const STUDY = '1.2.840.113619.2.55.3.604688119.969.1268071029.320';
const SERIES = '1.2.840.113619.2.55.3.604688119.969.1268071029.321';
const INSTANCE = '1.2.840.113619.2.55.3.604688119.969.1268071029.322';
const key = flowKey('tcp', 8042);

describe('DICOMweb in HTTP', () => {
  it('knows the shape of each service from the method and path', () => {
    expect(dicomwebShape('POST', '/dicom-web/studies')).toBe('stow-rs');
    expect(dicomwebShape('POST', `/dicom-web/studies/${STUDY}`)).toBe('stow-rs');
    expect(dicomwebShape('GET', '/dicom-web/studies')).toBe('qido-rs');
    expect(dicomwebShape('GET', `/rs/studies/${STUDY}/series`)).toBe('qido-rs');
    expect(dicomwebShape('GET', `/rs/studies/${STUDY}/series/${SERIES}/instances`)).toBe('qido-rs');
    expect(dicomwebShape('GET', '/instances')).toBe('qido-rs');
    expect(dicomwebShape('GET', `/rs/studies/${STUDY}`)).toBe('wado-rs');
    expect(dicomwebShape('GET', `/rs/studies/${STUDY}/series/${SERIES}/instances/${INSTANCE}/frames/1,2`)).toBe('wado-rs');
    expect(dicomwebShape('GET', `/rs/studies/${STUDY}/metadata`)).toBe('wado-rs');
    expect(dicomwebShape('GET', '/rs/studies/not-a-uid')).toBeUndefined();
    expect(dicomwebShape('DELETE', `/rs/studies/${STUDY}`)).toBeUndefined();
    expect(dicomwebShape('GET', '/index.html')).toBeUndefined();
  });

  it('takes the shape as DICOMweb only with DICOM content declared or a path segment naming it', () => {
    expect(requestDicomweb('GET', '/api/studies', null, 'application/json')).toBeUndefined();
    expect(requestDicomweb('GET', '/api/studies', null, 'application/dicom+json')).toBe('qido-rs');
    expect(requestDicomweb('GET', '/dicomweb/studies', null, null)).toBe('qido-rs');
    expect(requestDicomweb('POST', '/api/studies', 'multipart/related; type="application/dicom"; boundary=x', null)).toBe('stow-rs');
    expect(requestDicomweb('POST', '/api/studies', 'application/json', null)).toBeUndefined();
    // dcm4chee's archive: an rs segment under its DICOM prefix
    expect(requestDicomweb('GET', '/dcm4chee-arc/aets/DCM4CHEE/rs/studies', null, 'application/json')).toBe('qido-rs');
    expect(requestDicomweb('GET', '/shop/rs/studies', null, 'application/json')).toBeUndefined();
  });

  it('names the matching attributes of a search, never their values, and says when one identifies a patient', () => {
    expect(queryAttributes('/rs/studies?PatientID=MRN123&StudyDate=20260101-&limit=10&includefield=all')).toEqual({ keys: ['PatientID', 'StudyDate'], patient: true });
    expect(queryAttributes('/rs/studies?00100010=DOE%5EJANE')).toEqual({ keys: ['00100010'], patient: true });
    expect(queryAttributes('/rs/studies?ModalitiesInStudy=CT&bad=%E0%A4%A')).toEqual({ keys: ['ModalitiesInStudy', 'bad'], patient: false });
    expect(queryAttributes('/rs/studies')).toEqual({ keys: [], patient: false });
    expect(JSON.stringify(queryAttributes('/rs/studies?PatientID=MRN123'))).not.toContain('MRN123');
    // a value smuggled into a name (an encoded '='), or a bare value, is never reported as a name
    expect(queryAttributes('/rs/studies?PatientID%3DMRN123456')).toEqual({ keys: ['PatientID'], patient: true });
    expect(queryAttributes('/rs/studies?DOE%5EJOHN&00081115.0020000E=1.2')).toEqual({ keys: ['00081115.0020000E'], patient: false });
  });

  it('marks a QIDO-RS search by patient attributes, its results, a WADO-RS retrieval and a STOW-RS store, in any chunking', () => {
    const steps: Step[] = [
      ['c2s', ascii(`GET /dicom-web/studies?PatientID=MRN123&limit=5 HTTP/1.1\r\nHost: pacs\r\nAccept: application/dicom+json\r\n\r\n`)],
      ['s2c', ascii('HTTP/1.1 200 OK\r\nContent-Type: application/dicom+json\r\nContent-Length: 2\r\n\r\n[]')],
      ['c2s', ascii(`GET /wado/studies/${STUDY}/series/${SERIES} HTTP/1.1\r\nHost: pacs\r\n\r\n`)],
      ['s2c', ascii('HTTP/1.1 200 OK\r\nContent-Type: multipart/related; type="application/dicom"; boundary=b\r\nContent-Length: 4\r\n\r\nDICM')],
      ['c2s', ascii('POST /api/studies HTTP/1.1\r\nHost: pacs\r\nContent-Type: multipart/related; type="application/dicom"; boundary=b\r\nContent-Length: 4\r\n\r\nDICM')],
      ['s2c', ascii('HTTP/1.1 200 OK\r\nContent-Type: application/dicom+json\r\nContent-Length: 2\r\n\r\n{}')],
    ];
    const obs = dissect(httpDissector, key, steps);
    expect(obs.map((o) => [o.kind, o.fields.dicomweb])).toEqual([
      ['http.request', 'qido-rs'],
      ['http.response', 'qido-rs'],
      ['http.request', 'wado-rs'],
      ['http.response', 'wado-rs'],
      ['http.request', 'stow-rs'],
      ['http.response', 'stow-rs'],
    ]);
    expect(obs[0]?.fields).toMatchObject({ path: '/dicom-web/studies', queryPresent: true, dicomwebQueryKeys: ['PatientID'], dicomwebPatientQuery: true });
    expect(obs[0]?.findings?.map((f) => f.message)).toEqual(['DICOMweb QIDO-RS search without TLS: a search by PatientID (patient identifiers in the URL), its results in the clear']);
    expect(obs[4]?.findings?.map((f) => [f.code, f.severity])).toEqual([['http.dicomweb-cleartext', 'high']]);
    expect(JSON.stringify(obs)).not.toContain('MRN123');
    expect(comparable(dissect(httpDissector, key, steps, byteByByte))).toEqual(comparable(obs));
  });

  it('confirms a request of DICOMweb shape by its response, and leaves other REST APIs alone', () => {
    const confirmed = dissect(httpDissector, key, [
      ['c2s', ascii(`GET /api/studies/${STUDY} HTTP/1.1\r\nHost: pacs\r\n\r\n`)],
      ['s2c', ascii('HTTP/1.1 200 OK\r\nContent-Type: multipart/related; type="application/dicom"; boundary=b\r\nContent-Length: 4\r\n\r\nDICM')],
    ]);
    expect(confirmed.map((o) => o.fields.dicomweb)).toEqual([null, 'wado-rs']);
    const other = dissect(httpDissector, key, [
      ['c2s', ascii('GET /api/studies HTTP/1.1\r\nHost: lms\r\n\r\n')],
      ['s2c', ascii('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n[]')],
    ]);
    expect(other.map((o) => o.fields.dicomweb)).toEqual([null, null]);
    expect(other.flatMap((o) => o.findings ?? [])).toEqual([]);
  });

  it('never throws on arbitrary paths and query strings, keeps at most 16 attribute names, and stays fast on long hostile paths', () => {
    const piece = fc.constantFrom('/studies', '/series', '/instances', `/${STUDY}`, '/1.2', '.', '/', '%', '%E0', '=', '&', 'PatientID', 'x', '/frames/1,2', '/metadata');
    fc.assert(
      fc.property(fc.constantFrom('GET', 'POST', 'PUT'), fc.array(piece, { maxLength: 40 }), fc.string({ maxLength: 200 }), (method, parts, query) => {
        const path = parts.join('');
        const shape = dicomwebShape(method, path);
        expect(shape === undefined || ['stow-rs', 'wado-rs', 'qido-rs'].includes(shape)).toBe(true);
        expect(queryAttributes(`${path}?${query}`).keys.length).toBeLessThanOrEqual(16);
      }),
      { numRuns: 500 },
    );
    const hostile = `/studies/${'1.'.repeat(1000)}x`;
    const t0 = performance.now();
    for (let i = 0; i < 20; i++) dicomwebShape('GET', hostile);
    // catastrophic backtracking would take seconds; linear matching takes well under a millisecond each
    expect(performance.now() - t0).toBeLessThan(2000);
  });
});
