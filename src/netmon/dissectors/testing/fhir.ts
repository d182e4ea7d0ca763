/**
 * @module FHIR R4 Bundles written as real systems send them, for tests of the HTTP dissector's FHIR body
 * reading: a transaction (patient, encounter, heart rate), a search answer, a terminology batch.
 */
/** a FHIR R4 transaction as an EHR interface posts it: a new patient, an encounter and a heart rate */
export const TRANSACTION = {
  resourceType: 'Bundle',
  id: 'bundle-transaction',
  meta: { lastUpdated: '2026-03-01T12:00:00Z' },
  type: 'transaction',
  entry: [
    {
      fullUrl: 'urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a',
      resource: {
        resourceType: 'Patient',
        text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Jane DOE, MRN-0042</div>' },
        identifier: [{ system: 'urn:oid:1.2.36.146.595.217.0.1', value: 'MRN-0042' }],
        active: true,
        name: [{ use: 'official', family: 'Doe', given: ['Jane'] }],
        gender: 'female',
        birthDate: '1970-01-01',
      },
      request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=urn:oid:1.2.36.146.595.217.0.1|MRN-0042' },
    },
    {
      fullUrl: 'urn:uuid:88f151c0-a954-468a-88bd-5ae15c08e059',
      resource: {
        resourceType: 'Encounter',
        status: 'in-progress',
        class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP', display: 'inpatient encounter' },
        subject: { reference: 'urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a' },
      },
      request: { method: 'POST', url: 'Encounter' },
    },
    {
      fullUrl: 'http://ehr.example/fhir/Observation/hr-7781',
      resource: {
        resourceType: 'Observation',
        id: 'hr-7781',
        status: 'final',
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
        code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
        subject: { reference: 'urn:uuid:61ebe359-bfdc-4613-8bf2-c5e300945f0a' },
        encounter: { reference: 'urn:uuid:88f151c0-a954-468a-88bd-5ae15c08e059' },
        valueQuantity: { value: 72, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' },
        performer: [{ reference: '#dev1' }],
        contained: [{ resourceType: 'Device', id: 'dev1', manufacturer: 'Acme Monitors' }],
      },
      request: { method: 'PUT', url: 'Observation/hr-7781' },
    },
  ],
};

/** the answer to `GET /fhir/Observation?subject=Patient/42&_include=Observation:subject` */
export const SEARCHSET = {
  resourceType: 'Bundle',
  type: 'searchset',
  total: 2,
  link: [{ relation: 'self', url: 'http://ehr.example/fhir/Observation?subject=Patient/42' }],
  entry: [
    { fullUrl: 'http://ehr.example/fhir/Observation/1', resource: { resourceType: 'Observation', id: '1', status: 'final', code: { text: 'SpO2' } }, search: { mode: 'match' } },
    { fullUrl: 'http://ehr.example/fhir/Observation/2', resource: { resourceType: 'Observation', id: '2', status: 'final', code: { text: 'HR' } }, search: { mode: 'match' } },
    { fullUrl: 'http://ehr.example/fhir/Patient/42', resource: { resourceType: 'Patient', id: '42', name: [{ family: 'Doe' }] }, search: { mode: 'include' } },
  ],
};

/** a terminology client resolving codes: no patient's data */
export const TERMINOLOGY_BATCH = {
  resourceType: 'Bundle',
  type: 'batch',
  entry: [
    { request: { method: 'GET', url: 'ValueSet/$expand?url=http://hl7.org/fhir/ValueSet/administrative-gender' } },
    { request: { method: 'GET', url: 'CodeSystem/$lookup?system=http://loinc.org&code=8867-4' } },
    { request: { method: 'GET', url: 'ValueSet?url=http://loinc.org/vs' } },
  ],
};
