/**
 * @module `phi.cleartext-leaving-zone`: patient data crossing a zone boundary without encryption.
 * An HL7 v2 message whose PID segment carries identifiers, a DICOM C-STORE request (a data set of
 * a patient), DICOMweb over cleartext HTTP (STOW-RS objects stored, WADO-RS objects retrieved,
 * QIDO-RS results, a QIDO-RS search by patient attributes), or FHIR (a patient's resources written,
 * read or searched, a search by patient, a Bundle whose body shows them), read by the dissectors in the clear, sent
 * from an address in one zone to an address in
 * another zone, in no zone, or on the internet. The dissectors only read cleartext (TLS payloads are
 * opaque), so any such observation is unencrypted. A conduit allowing the traffic does not make it
 * encrypted: the detection says which conduit carried it. Needs zones in the policy.
 */
import type { Observation } from '../../model.js';
import { observationEvidence, type DetectionRule } from '../model.js';
import { INTERNET, judgeFlow, UNZONED } from '../segmentation.js';
import { deviceLabel, sides } from './support.js';

interface PhiSighting {
  protocol: 'hl7' | 'dicom' | 'fhir';
  what: string;
  identifiers: string;
}

function phiOf(o: Observation): PhiSighting | undefined {
  const f = o.fields;
  if (o.kind === 'hl7.message') {
    const ids = Array.isArray(f.patientIdentifiersPresent) ? f.patientIdentifiersPresent.filter((x): x is string => typeof x === 'string') : [];
    if (f.pidPresent !== true || ids.length === 0) return undefined;
    const type = typeof f.messageType === 'string' ? `${f.messageType}${typeof f.triggerEvent === 'string' ? `^${f.triggerEvent}` : ''}` : 'message';
    return { protocol: 'hl7', what: `HL7 ${type}`, identifiers: ids.join(', ') };
  }
  if (o.kind === 'http.request' && f.dicomweb === 'stow-rs') return { protocol: 'dicom', what: 'DICOMweb STOW-RS store', identifiers: 'DICOM data sets (patient module)' };
  if (o.kind === 'http.request' && f.dicomweb === 'qido-rs' && f.dicomwebPatientQuery === true) {
    const keys = Array.isArray(f.dicomwebQueryKeys) ? f.dicomwebQueryKeys.filter((x): x is string => typeof x === 'string') : [];
    return { protocol: 'dicom', what: 'DICOMweb QIDO-RS search', identifiers: `a search by ${keys.join(', ')} in the URL` };
  }
  // a 2xx answer with content (204: no match, nothing sent)
  if (o.kind === 'http.response' && (f.dicomweb === 'wado-rs' || f.dicomweb === 'qido-rs') && typeof f.status === 'number' && f.status >= 200 && f.status < 300 && f.status !== 204) {
    return f.dicomweb === 'wado-rs'
      ? { protocol: 'dicom', what: 'DICOMweb WADO-RS retrieval', identifiers: 'DICOM data sets or their metadata (patient module)' }
      : { protocol: 'dicom', what: 'DICOMweb QIDO-RS results', identifiers: 'patient and study attributes' };
  }
  const fhir = fhirSighting(o);
  if (fhir) return fhir;
  if (o.kind === 'dicom.dimse' && f.command === 'C-STORE-RQ' && f.dataSetPresent !== false) {
    const sop = typeof f.sopClassName === 'string' ? f.sopClassName : typeof f.sopClassUid === 'string' ? f.sopClassUid : 'an object';
    return { protocol: 'dicom', what: `DICOM C-STORE of ${sop}`, identifiers: 'DICOM data set (patient module)' };
  }
  return undefined;
}

/**
 * FHIR over cleartext HTTP: a patient's resources created or updated (the request carries them), the
 * 2xx answer with content of a read, search or history of them (the response carries them), or a
 * search by patient parameters (the identifier is in the URL). When the dissector reads the body (a
 * Bundle: a transaction, a search's results), the head leaves fhirPatientData null and the body's
 * `http.fhir-body` observation says whether its entries hold a patient's resources.
 */
function fhirSighting(o: Observation): PhiSighting | undefined {
  const f = o.fields;
  if (typeof f.fhirInteraction !== 'string') return undefined;
  const type = typeof f.fhirResourceType === 'string' ? f.fhirResourceType : 'resource';
  if (o.kind === 'http.fhir-body') {
    if (f.fhirPatientData !== true) return undefined;
    // judged from the request line (the body cut short, lost or not a resource): counted as its head would be
    if (f.fhirPatientDataFrom !== 'body' && !(f.status === null ? isWrite(f.fhirInteraction) : isRead(f.fhirInteraction))) return undefined;
    const types = [...strings(f.fhirBundleResourceTypes), ...strings(f.fhirBundleNestedTypes)].filter((t, i, all) => all.indexOf(t) === i);
    const what = typeof f.fhirBundleType === 'string' ? `FHIR ${f.fhirBundleType} Bundle` : `FHIR ${type} ${f.fhirInteraction}${typeof f.status === 'number' ? ' results' : ''}`;
    return { protocol: 'fhir', what, identifiers: `${types.length > 0 ? types.join(', ') : type} resources` };
  }
  if (o.kind === 'http.request') {
    if (f.fhirPatientSearch === true) {
      const names = strings(f.fhirSearchParams);
      return { protocol: 'fhir', what: `FHIR ${type} search`, identifiers: `a search by ${names.join(', ')} in the URL` };
    }
    const writes = isWrite(f.fhirInteraction);
    return writes && f.fhirPatientData === true ? { protocol: 'fhir', what: `FHIR ${type} ${f.fhirInteraction}`, identifiers: `${type} resources` } : undefined;
  }
  const reads = isRead(f.fhirInteraction);
  const answered = typeof f.status === 'number' && f.status >= 200 && f.status < 300 && f.status !== 204;
  return o.kind === 'http.response' && reads && answered && f.fhirPatientData === true ? { protocol: 'fhir', what: `FHIR ${type} ${f.fhirInteraction} results`, identifiers: `${type} resources` } : undefined;
}

const isWrite = (i: unknown): boolean => i === 'create' || i === 'update' || i === 'patch' || i === 'batch';
const isRead = (i: unknown): boolean => i === 'read' || i === 'vread' || i === 'search' || i === 'history';
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export const phiRule: DetectionRule = {
  id: 'phi.cleartext-leaving-zone',
  // 1.3: FHIR Bundles judged by their entries (http.fhir-body)
  version: '1.3.0',
  category: 'phi',
  title: 'Cleartext patient data leaves its zone',
  description:
    'An HL7 message with patient identifiers in PID, a DICOM C-STORE, DICOMweb over HTTP (STOW-RS, WADO-RS, QIDO-RS results or a search by patient attributes), or FHIR (patient resources written, read or searched, a search by patient, or a Bundle whose entries hold patient resources), sent without TLS from one zone to another zone, to an address in no zone, or to the internet. High; critical when the receiver is on the internet.',
  params: [],
  create(ctx) {
    return {
      onObservation({ observation: o, flowId }) {
        if (!ctx.topology.hasZones) return;
        const phi = phiOf(o);
        const s = phi && sides(o);
        if (!phi || !s) return;
        const from = ctx.topology.info(s.sender);
        const to = ctx.topology.info(s.receiver);
        if (!from.zone || to.zone === from.zone) return;
        const fromName = from.zone.name;
        const toName = to.zone?.name ?? (to.internet ? INTERNET : UNZONED);
        // conduits are judged for the protocol the flow carries: DICOMweb and HL7 posted over HTTP are http
        const carrier = o.protocol === 'http' || o.fields.carriedBy === 'http' ? 'http' : phi.protocol;
        const verdict = judgeFlow(ctx.topology, s.key, carrier);
        const carried = verdict.conduit ? ` The traffic is allowed by conduit "${verdict.conduit.name}", but not encrypted.` : verdict.decision === 'denied' ? ' No conduit allows this traffic either.' : '';
        ctx.emit({
          severity: to.internet ? 'critical' : 'high',
          dedupSuffix: `${phi.protocol}:${s.receiver}`,
          deviceIp: s.sender,
          peerIp: s.receiver,
          ts: o.ts,
          frame: o.frame,
          evidence: [observationEvidence(ctx.source, o, flowId, `${phi.what}: ${phi.identifiers}`)],
          describe: () => ({
            title: `${phi.what} with patient data sent in cleartext from zone ${fromName} to ${toName} (${deviceLabel(ctx.topology, s.sender)} -> ${s.receiver})`,
            explanation: `${s.sender} in zone "${fromName}" sent a ${phi.what} carrying ${phi.identifiers} to ${s.receiver}:${s.receiverPort} in ${to.zone ? `zone "${toName}"` : toName} without TLS.${carried}`,
            facts: { protocol: phi.protocol, message: phi.what, identifiers: phi.identifiers, fromZone: fromName, toZone: toName, conduit: verdict.conduit?.name ?? null },
          }),
        });
      },
    };
  },
};
