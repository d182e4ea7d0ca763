import { describe, expect, it } from 'vitest';
import { Sim } from '../testing.js';

const ZONES = {
  zones: [
    { name: 'clinical', cidrs: ['10.1.0.0/16'], securityLevel: 3 },
    { name: 'ehr', cidrs: ['10.2.0.0/16'], securityLevel: 2 },
  ],
  conduits: [{ name: 'modality-to-pacs', from: 'clinical', to: 'ehr', services: [{ protocol: 'dicom', ports: [104] }] }],
};
const adt = { kind: 'hl7.message', fields: { pidPresent: true, patientIdentifiersPresent: ['PID-3 identifier list', 'PID-5 name'], messageType: 'ADT', triggerEvent: 'A01' } };

describe('phi.cleartext-leaving-zone', () => {
  it('flags an HL7 message with PID identifiers sent in cleartext to another zone, naming the identifiers', () => {
    const sim = new Sim({ policyJson: ZONES });
    const f = sim.open({ client: '10.1.0.5', server: '10.2.0.9', port: 2575 });
    const o = sim.observe(f.key, f.id, adt);
    expect(sim.of('phi.cleartext-leaving-zone')).toEqual([
      expect.objectContaining({
        severity: 'high',
        deviceIp: '10.1.0.5',
        peerIp: '10.2.0.9',
        zone: 'clinical',
        dedupKey: 'netmon:phi.cleartext-leaving-zone:10.1.0.5:hl7:10.2.0.9',
        facts: expect.objectContaining({ fromZone: 'clinical', toZone: 'ehr', identifiers: 'PID-3 identifier list, PID-5 name', conduit: null }),
        evidence: [expect.objectContaining({ kind: 'observation', frame: o.frame, flowId: f.id, ref: `sim.pcap#frame=${o.frame}&observation=hl7.message` })],
      }),
    ]);
  });

  it('attributes a message the server sends back to the server', () => {
    const sim = new Sim({ policyJson: ZONES });
    const f = sim.open({ client: '10.1.0.5', server: '10.2.0.9', port: 2575 });
    sim.observe(f.key, f.id, { ...adt, dir: 's2c' });
    expect(sim.of('phi.cleartext-leaving-zone')).toEqual([expect.objectContaining({ deviceIp: '10.2.0.9', peerIp: '10.1.0.5', facts: expect.objectContaining({ fromZone: 'ehr', toZone: 'clinical' }) })]);
  });

  it('flags a DICOM C-STORE to another zone even when a conduit allows it, saying which conduit carried it', () => {
    const sim = new Sim({ policyJson: ZONES });
    const f = sim.open({ client: '10.1.0.5', server: '10.2.0.9', port: 104 });
    sim.observe(f.key, f.id, { kind: 'dicom.dimse', fields: { command: 'C-STORE-RQ', dataSetPresent: true, sopClassName: 'CT Image Storage' } });
    const [d] = sim.of('phi.cleartext-leaving-zone');
    expect(d).toMatchObject({ facts: { protocol: 'dicom', conduit: 'modality-to-pacs' } });
    expect(d!.explanation).toContain('allowed by conduit "modality-to-pacs", but not encrypted');
  });

  it('flags DICOMweb in cleartext: a STOW-RS store, the 2xx answer of a WADO-RS retrieval or QIDO-RS search, and a search by patient attributes', () => {
    const sim = new Sim({ policyJson: ZONES });
    // a viewer in the EHR zone stores into, retrieves from and searches a PACS in the clinical zone
    const f = sim.open({ client: '10.2.0.5', server: '10.1.0.9', port: 8042 });
    sim.observe(f.key, f.id, { kind: 'http.request', protocol: 'http', fields: { method: 'POST', dicomweb: 'stow-rs' } });
    sim.observe(f.key, f.id, { kind: 'http.response', protocol: 'http', dir: 's2c', fields: { status: 200, dicomweb: 'wado-rs' } });
    sim.observe(f.key, f.id, { kind: 'http.request', protocol: 'http', fields: { method: 'GET', dicomweb: 'qido-rs', dicomwebQueryKeys: ['PatientID', 'StudyDate'], dicomwebPatientQuery: true } });
    const found = sim.of('phi.cleartext-leaving-zone').map((d) => [d.deviceIp, d.peerIp, d.facts.message, d.facts.identifiers]);
    // the retrieval is the PACS sending patient data to the viewer
    expect(found).toEqual([
      ['10.1.0.9', '10.2.0.5', 'DICOMweb WADO-RS retrieval', 'DICOM data sets or their metadata (patient module)'],
      ['10.2.0.5', '10.1.0.9', 'DICOMweb STOW-RS store', 'DICOM data sets (patient module)'],
    ]);
    // the search folds into the viewer's detection (same sender, protocol and receiver): its evidence says what
    const stow = sim.of('phi.cleartext-leaving-zone').find((d) => d.deviceIp === '10.2.0.5');
    expect(stow!.count).toBe(2);
    expect(stow!.evidence.map((e) => e.detail)).toEqual(['DICOMweb STOW-RS store: DICOM data sets (patient module)', 'DICOMweb QIDO-RS search: a search by PatientID, StudyDate in the URL']);
  });

  it('judges conduits for DICOMweb as the http it is carried in, not as DICOM', () => {
    // modality-to-pacs allows dicom on port 104 only; a conduit for http on 8042 carries the DICOMweb store
    const sim = new Sim({ policyJson: { ...ZONES, conduits: [...ZONES.conduits, { name: 'viewer-web', from: 'clinical', to: 'ehr', services: [{ protocol: 'http', ports: [8042] }] }] } });
    const f = sim.open({ client: '10.1.0.5', server: '10.2.0.9', port: 8042 });
    sim.observe(f.key, f.id, { kind: 'http.request', protocol: 'http', fields: { method: 'POST', dicomweb: 'stow-rs' } });
    expect(sim.of('phi.cleartext-leaving-zone').map((d) => d.facts.conduit)).toEqual(['viewer-web']);
  });

  it('flags FHIR in cleartext: a patient resource created, the answer of a read or search of them, a search by patient', () => {
    const sim = new Sim({ policyJson: ZONES });
    const f = sim.open({ client: '10.1.0.5', server: '10.2.0.9', port: 8080 });
    sim.observe(f.key, f.id, { kind: 'http.request', protocol: 'http', fields: { fhirInteraction: 'create', fhirResourceType: 'Observation', fhirPatientData: true } });
    sim.observe(f.key, f.id, { kind: 'http.response', protocol: 'http', dir: 's2c', fields: { status: 200, fhirInteraction: 'read', fhirResourceType: 'Patient', fhirPatientData: true } });
    sim.observe(f.key, f.id, { kind: 'http.request', protocol: 'http', fields: { fhirInteraction: 'search', fhirResourceType: 'Patient', fhirPatientData: true, fhirSearchParams: ['identifier'], fhirPatientSearch: true } });
    const found = sim.of('phi.cleartext-leaving-zone').map((d) => [d.deviceIp, d.count, d.facts.protocol]);
    expect(found).toEqual([
      ['10.1.0.5', 2, 'fhir'],
      ['10.2.0.9', 1, 'fhir'],
    ]);
    const client = sim.of('phi.cleartext-leaving-zone').find((d) => d.deviceIp === '10.1.0.5');
    expect(client!.evidence.map((e) => e.detail)).toEqual(['FHIR Observation create: Observation resources', 'FHIR Patient search: a search by identifier in the URL']);
    // not patient data, or no content: nothing
    const g = sim.open({ client: '10.1.0.5', server: '10.2.0.9', port: 8080 });
    sim.observe(g.key, g.id, { kind: 'http.request', protocol: 'http', fields: { fhirInteraction: 'create', fhirResourceType: 'ValueSet', fhirPatientData: false } });
    sim.observe(g.key, g.id, { kind: 'http.response', protocol: 'http', dir: 's2c', fields: { status: 204, fhirInteraction: 'search', fhirResourceType: 'Patient', fhirPatientData: true } });
    sim.observe(g.key, g.id, { kind: 'http.request', protocol: 'http', fields: { fhirInteraction: 'read', fhirResourceType: 'Patient', fhirPatientData: true } });
    expect(sim.of('phi.cleartext-leaving-zone').reduce((n, d) => n + d.count, 0)).toBe(3);
  });

  it('flags a cleartext transaction Bundle by the patient resources its body shows, and a search answer the head did not count', () => {
    const sim = new Sim({ policyJson: ZONES });
    const f = sim.open({ client: '10.1.0.5', server: '10.2.0.9', port: 8080 });
    // the head of a batch whose body is read leaves the judgement to the body: not counted itself
    sim.observe(f.key, f.id, { kind: 'http.request', protocol: 'http', fields: { fhirInteraction: 'batch', fhirResourceType: 'Bundle', fhirPatientData: null } });
    expect(sim.of('phi.cleartext-leaving-zone')).toEqual([]);
    const bundle = { fhirInteraction: 'batch', fhirResourceType: 'Bundle', fhirBundleType: 'transaction', fhirBundleResourceTypes: ['Patient', 'Observation', 'Encounter'], fhirBundleNestedTypes: ['Device', 'Patient'], fhirPatientData: true, fhirPatientDataFrom: 'body' };
    const o = sim.observe(f.key, f.id, { kind: 'http.fhir-body', protocol: 'http', fields: { ...bundle, status: null } });
    sim.observe(f.key, f.id, { kind: 'http.fhir-body', protocol: 'http', dir: 's2c', fields: { fhirInteraction: 'operation', fhirResourceType: 'Patient', fhirBundleType: 'searchset', fhirBundleResourceTypes: ['Patient', 'Condition'], status: 200, fhirPatientData: true, fhirPatientDataFrom: 'body' } });
    const found = sim.of('phi.cleartext-leaving-zone');
    expect(found.map((d) => [d.deviceIp, d.peerIp, d.facts.protocol, d.facts.message, d.facts.identifiers])).toEqual([
      ['10.1.0.5', '10.2.0.9', 'fhir', 'FHIR transaction Bundle', 'Patient, Observation, Encounter, Device resources'],
      ['10.2.0.9', '10.1.0.5', 'fhir', 'FHIR searchset Bundle', 'Patient, Condition resources'],
    ]);
    expect(found[0]?.evidence).toEqual([expect.objectContaining({ frame: o.frame, ref: `sim.pcap#frame=${o.frame}&observation=http.fhir-body` })]);
  });

  it('does not flag a Bundle whose body shows no patient resource, such as a batch of terminology lookups', () => {
    const sim = new Sim({ policyJson: ZONES });
    const f = sim.open({ client: '10.1.0.5', server: '10.2.0.9', port: 8080 });
    sim.observe(f.key, f.id, { kind: 'http.request', protocol: 'http', fields: { fhirInteraction: 'batch', fhirResourceType: 'Bundle', fhirPatientData: null } });
    sim.observe(f.key, f.id, { kind: 'http.fhir-body', protocol: 'http', fields: { fhirInteraction: 'batch', fhirResourceType: 'Bundle', fhirBundleType: 'batch', fhirBundleResourceTypes: ['ValueSet', 'CodeSystem'], fhirPatientData: false } });
    sim.observe(f.key, f.id, { kind: 'http.fhir-body', protocol: 'http', dir: 's2c', fields: { fhirInteraction: 'batch', fhirResourceType: 'Bundle', fhirBundleType: 'batch-response', fhirBundleResourceTypes: [], status: 200, fhirPatientData: false } });
    expect(sim.of('phi.cleartext-leaving-zone')).toEqual([]);
  });

  it('counts a body judged from its request line (cut short, lost, not a resource) as its head would be: a write, or a read answered', () => {
    const sim = new Sim({ policyJson: ZONES });
    const f = sim.open({ client: '10.1.0.5', server: '10.2.0.9', port: 8080 });
    const fromLine = { fhirPatientData: true, fhirPatientDataFrom: 'request-line', fhirBodyRead: false };
    // a batch answer lost to a gap: a batch answer was never counted from its head
    sim.observe(f.key, f.id, { kind: 'http.fhir-body', protocol: 'http', dir: 's2c', fields: { ...fromLine, fhirInteraction: 'batch', fhirResourceType: 'Bundle', status: 200 } });
    expect(sim.of('phi.cleartext-leaving-zone')).toEqual([]);
    // a search of Patient answered, its body cut before any entry: the answer of a read of patient data
    sim.observe(f.key, f.id, { kind: 'http.fhir-body', protocol: 'http', dir: 's2c', fields: { ...fromLine, fhirInteraction: 'search', fhirResourceType: 'Patient', status: 200 } });
    // a Bundle of patients created, its body lost: a write of patient data
    sim.observe(f.key, f.id, { kind: 'http.fhir-body', protocol: 'http', fields: { ...fromLine, fhirInteraction: 'create', fhirResourceType: 'Bundle', status: null } });
    expect(sim.of('phi.cleartext-leaving-zone').map((d) => [d.deviceIp, d.facts.message])).toEqual([
      ['10.1.0.5', 'FHIR Bundle create'],
      ['10.2.0.9', 'FHIR Patient search results'],
    ]);
  });

  it('does not flag DICOMweb errors, searches without patient attributes, or HTTP that is not DICOMweb', () => {
    const sim = new Sim({ policyJson: ZONES });
    const f = sim.open({ client: '10.2.0.5', server: '10.1.0.9', port: 8042 });
    sim.observe(f.key, f.id, { kind: 'http.response', protocol: 'http', dir: 's2c', fields: { status: 404, dicomweb: 'wado-rs' } });
    // a search that matched nothing sends nothing
    sim.observe(f.key, f.id, { kind: 'http.response', protocol: 'http', dir: 's2c', fields: { status: 204, dicomweb: 'qido-rs' } });
    sim.observe(f.key, f.id, { kind: 'http.request', protocol: 'http', fields: { method: 'GET', dicomweb: 'qido-rs', dicomwebQueryKeys: ['ModalitiesInStudy'], dicomwebPatientQuery: false } });
    sim.observe(f.key, f.id, { kind: 'http.request', protocol: 'http', fields: { method: 'POST', dicomweb: null } });
    sim.observe(f.key, f.id, { kind: 'http.response', protocol: 'http', dir: 's2c', fields: { status: 200, dicomweb: null } });
    expect(sim.of('phi.cleartext-leaving-zone')).toEqual([]);
  });

  it('is critical when the receiver is on the internet, and names unzoned receivers', () => {
    const sim = new Sim({ policyJson: ZONES });
    const a = sim.open({ client: '10.1.0.5', server: '8.8.4.4', port: 2575 });
    sim.observe(a.key, a.id, adt);
    const b = sim.open({ client: '10.1.0.5', server: '192.168.7.7', port: 2575 });
    sim.observe(b.key, b.id, adt);
    expect(sim.of('phi.cleartext-leaving-zone').map((d) => [d.severity, d.facts.toZone])).toEqual([
      ['critical', '(internet)'],
      ['high', '(unzoned)'],
    ]);
  });

  it('stays quiet inside one zone, without PID identifiers, for other DIMSE commands, and without zones', () => {
    const sim = new Sim({ policyJson: ZONES });
    const same = sim.open({ client: '10.1.0.5', server: '10.1.0.9', port: 2575 });
    sim.observe(same.key, same.id, adt);
    const f = sim.open({ client: '10.1.0.5', server: '10.2.0.9', port: 2575 });
    sim.observe(f.key, f.id, { kind: 'hl7.message', fields: { pidPresent: false, patientIdentifiersPresent: [], messageType: 'ORU' } });
    sim.observe(f.key, f.id, { kind: 'dicom.dimse', fields: { command: 'C-ECHO-RQ' } });
    expect(sim.of('phi.cleartext-leaving-zone')).toEqual([]);
    const none = new Sim();
    const g = none.open({ client: '10.1.0.5', server: '10.2.0.9', port: 2575 });
    none.observe(g.key, g.id, adt);
    expect(none.of('phi.cleartext-leaving-zone')).toEqual([]);
  });
});
