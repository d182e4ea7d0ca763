/**
 * @module HL7 FHIR REST (R4/R5) recognised in HTTP requests: `[base]/{ResourceType}[/{id}[/_history/
 * {vid}]]`, searches (`GET [base]/{ResourceType}?...`, `POST .../_search`), operations (`$name`) and
 * batches (`POST [base]` with a Bundle). A path of that shape counts only with FHIR content declared
 * (`application/fhir+json` or `+xml` in Content-Type or Accept, or the pre-R4 `json+fhir`), a path
 * segment `fhir`, or, failing both, a response of FHIR content. Over cleartext HTTP the resources of a
 * patient (Patient, Observation, Encounter...) travel in the clear, and a search by patient puts the
 * identifier in the URL: only the names of search parameters are reported, never their values.
 * A Bundle in a JSON body (fhir-body.ts) refines the judgement made from the request line: its
 * entries' resource types say whether it carries a patient's data (`http.fhir-body`).
 */
import type { WireFinding } from '../../model.js';
import { readFhirBody } from './fhir-body.js';
import { queryNames } from './query-names.js';

export type FhirInteraction = 'read' | 'vread' | 'history' | 'search' | 'create' | 'update' | 'patch' | 'delete' | 'operation' | 'batch';

const RESOURCE = '([A-Z][A-Za-z]{1,63})';
const ID = '[A-Za-z0-9\\-.]{1,64}';
const INSTANCE = new RegExp(`/${RESOURCE}/${ID}(?:/_history(?:/${ID})?)?/?$`);
const TYPE = new RegExp(`/${RESOURCE}(?:/_search|/_history)?/?$`);
const OPERATION = /\/\$[a-z][a-z0-9-]{0,63}\/?$/;
const FHIR_SEGMENT = /\/(?:fhir|baseR4|baseR5|baseDstu3)(?:\/|$)/i;

/** FHIR media types: application/fhir+json or +xml, and the DSTU2 json+fhir / xml+fhir */
export const isFhirMedia = (value: string | null | undefined): boolean => value != null && /application\/(?:fhir\+(?:json|xml)|(?:json|xml)\+fhir)\b/i.test(value);

/**
 * Resource types that carry a patient's data (FHIR's Patient compartment and the administrative
 * resources naming a patient); other types (CapabilityStatement, ValueSet, Device...) are not PHI.
 */
const PATIENT_DATA = new Set([
  'Patient', 'Observation', 'Encounter', 'Condition', 'Procedure', 'MedicationRequest', 'MedicationAdministration', 'MedicationStatement',
  'MedicationDispense', 'AllergyIntolerance', 'DiagnosticReport', 'ImagingStudy', 'Immunization', 'CarePlan', 'CareTeam', 'DocumentReference',
  'ServiceRequest', 'Specimen', 'Coverage', 'Claim', 'ExplanationOfBenefit', 'EpisodeOfCare', 'FamilyMemberHistory', 'Appointment', 'Composition',
  'QuestionnaireResponse', 'RelatedPerson', 'Bundle', 'Communication', 'Consent', 'Goal', 'RiskAssessment', 'DeviceRequest', 'NutritionOrder',
  'Flag', 'List', 'Media', 'Person', 'Account', 'Invoice', 'ChargeItem', 'DetectedIssue', 'ClinicalImpression', 'AdverseEvent',
]);
/** search parameters that identify a patient */
const PATIENT_PARAMS = new Set(['identifier', 'name', 'family', 'given', 'birthdate', 'patient', 'subject', 'phone', 'email', 'address', 'telecom', '_id']);
const CONTROL_PARAMS = /^_(?:count|offset|sort|include|revinclude|elements|summary|format|total|contained|containedtype|pretty|since|at)$/i;
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_\-.]{0,63}(?::[A-Za-z0-9\-.|]{1,64})?$/;
const MAX_PARAMS = 16;

interface Shape {
  interaction: FhirInteraction;
  resourceType: string | null;
}

/** The FHIR interaction a request's method and path (no query) have the shape of, or undefined. */
export function fhirShape(method: string, path: string, queryPresent: boolean): Shape | undefined {
  if (path.length > 2048) return undefined;
  if (OPERATION.test(path)) return { interaction: 'operation', resourceType: TYPE.exec(path.replace(OPERATION, ''))?.[1] ?? null };
  const instance = INSTANCE.exec(path);
  if (instance) {
    const resourceType = instance[1] as string;
    const history = /\/_history(?:\/|$)/.test(path);
    if (method === 'GET') return { interaction: history ? (/\/_history\/[^/]+\/?$/.test(path) ? 'vread' : 'history') : 'read', resourceType };
    if (method === 'PUT') return { interaction: 'update', resourceType };
    if (method === 'PATCH') return { interaction: 'patch', resourceType };
    if (method === 'DELETE') return { interaction: 'delete', resourceType };
    return undefined;
  }
  const type = TYPE.exec(path);
  if (type) {
    const resourceType = type[1] as string;
    if (/\/_search\/?$/.test(path) && method === 'POST') return { interaction: 'search', resourceType };
    if (/\/_history\/?$/.test(path) && method === 'GET') return { interaction: 'history', resourceType };
    if (method === 'GET') return { interaction: 'search', resourceType };
    if (method === 'POST') return { interaction: 'create', resourceType };
    if (method === 'PUT' && queryPresent) return { interaction: 'update', resourceType };
    return undefined;
  }
  // a batch or transaction is posted to the base itself
  return method === 'POST' && /\/(?:fhir|baseR4|baseR5|baseDstu3)\/?$/i.test(path) ? { interaction: 'batch', resourceType: 'Bundle' } : undefined;
}

/** The names of a search's parameters (at most 16, never their values) and whether one identifies a patient. */
export function searchParameters(target: string): { names: string[]; patient: boolean } {
  const names = queryNames(target, (n) => PARAM_NAME.test(n) && !CONTROL_PARAMS.test(n), MAX_PARAMS);
  return { names, patient: names.some((n) => PATIENT_PARAMS.has((n.split(/[:.]/)[0] as string).toLowerCase())) };
}

/** What an HTTP request says of FHIR: its fields on `http.request`, its finding, and what its response is checked for. */
export interface FhirRequest {
  /** fhirPatientData null: left to the body being read (deferToBody) */
  fields: { fhirInteraction: FhirInteraction | null; fhirResourceType: string | null; fhirPatientData: boolean | null; fhirSearchParams: string[]; fhirPatientSearch: boolean };
  finding?: WireFinding;
  /** the interaction the path has the shape of (a response with FHIR content confirms it) */
  shape?: Shape;
  /** the request itself showed it is FHIR */
  confirmed: boolean;
}

export function fhirRequest(method: string, target: string, path: string, queryPresent: boolean, contentType: string | null, accept: string | null): FhirRequest {
  const shape = fhirShape(method, path, queryPresent);
  const confirmed = shape !== undefined && (isFhirMedia(contentType) || isFhirMedia(accept) || FHIR_SEGMENT.test(path));
  const search = confirmed && shape?.interaction === 'search' ? searchParameters(target) : { names: [], patient: false };
  const patientData = confirmed && carriesPatientData(shape?.resourceType);
  const fields = {
    fhirInteraction: confirmed ? (shape?.interaction ?? null) : null,
    fhirResourceType: confirmed ? (shape?.resourceType ?? null) : null,
    fhirPatientData: patientData,
    fhirSearchParams: search.names,
    fhirPatientSearch: search.patient,
  };
  if (!confirmed || shape === undefined) return { fields, ...(shape ? { shape } : {}), confirmed: false };
  if (!patientData && !search.patient) return { fields, shape, confirmed };
  const what = search.patient ? `${shape.resourceType} search by ${search.names.join(', ')} (patient identifiers in the URL)` : `${shape.resourceType} ${shape.interaction}`;
  return { fields, finding: { code: 'http.fhir-cleartext', severity: 'high', message: `FHIR ${what} without TLS: patient data in the clear` }, shape, confirmed };
}

/** whether resources of `resourceType` hold a patient's data */
const carriesPatientData = (resourceType: string | null | undefined): boolean => resourceType != null && PATIENT_DATA.has(resourceType);

/** interactions whose request carries resources, and those whose answer does */
const WRITES: ReadonlySet<FhirInteraction> = new Set(['create', 'update', 'patch', 'batch']);
const READS: ReadonlySet<FhirInteraction> = new Set(['read', 'vread', 'search', 'history']);

/** a resource type holding a patient's data, read in a body: a Bundle is judged by its entries instead */
const isPatientResource = (resourceType: string): boolean => resourceType !== 'Bundle' && PATIENT_DATA.has(resourceType);

export interface FhirResponseFields {
  fhirInteraction: FhirInteraction | null;
  fhirResourceType: string | null;
  /** null: left to the body being read */
  fhirPatientData: boolean | null;
}

/**
 * The FHIR interaction and resource type a response answers: those of its request when the request
 * showed it is FHIR, or when the request had the shape and the response carries FHIR content.
 */
export function fhirResponse(request: { shape?: Shape; confirmed: boolean } | undefined, contentType: string | null): FhirResponseFields {
  if (request?.shape === undefined || !(request.confirmed || isFhirMedia(contentType))) return { fhirInteraction: null, fhirResourceType: null, fhirPatientData: false };
  return { fhirInteraction: request.shape.interaction, fhirResourceType: request.shape.resourceType, fhirPatientData: carriesPatientData(request.shape.resourceType) };
}

/**
 * Whether a FHIR message's body is (or may be) a Bundle, worth reading: a batch or transaction, a
 * Bundle written; answers of searches, histories, batches and operations ($everything), a Bundle read.
 */
export function mayCarryBundle(interaction: FhirInteraction, resourceType: string | null, request: boolean): boolean {
  if (request) return interaction === 'batch' || (resourceType === 'Bundle' && (interaction === 'create' || interaction === 'update'));
  return interaction === 'search' || interaction === 'history' || interaction === 'batch' || interaction === 'operation' || resourceType === 'Bundle';
}

/**
 * A request whose body is being read: the body decides whether it carries patient data
 * (`fhirPatientData` null until then) and so whether `http.fhir-cleartext` is raised, on `http.fhir-body`.
 */
export function deferToBody(r: FhirRequest): FhirRequest {
  const fields = { ...r.fields, fhirPatientData: null };
  // a search by patient shows it in its URL, whatever the body says
  return r.fields.fhirPatientSearch ? { ...r, fields } : { fields, ...(r.shape ? { shape: r.shape } : {}), confirmed: r.confirmed };
}

/** The exchange a FHIR body belongs to. */
export interface FhirBodyContext {
  interaction: FhirInteraction;
  /** the resource type of the request line */
  resourceType: string | null;
  requestMethod: string | null;
  requestPath: string;
  /** a response's status; null for a request body */
  status: number | null;
  /** the exchange's request already carried http.fhir-cleartext */
  flagged: boolean;
}

/**
 * The `http.fhir-body` observation of a kept body `prefix` (`truncated`: the body went on; `read`
 * false: the body was lost, a gap, and `prefix` is empty). The body decides `fhirPatientData` when it
 * shows a patient's resource, or was read whole as a resource; otherwise (cut before one, not a
 * resource, lost) the request line's judgement stands.
 */
export function fhirBody(prefix: Uint8Array, truncated: boolean, read: boolean, ctx: FhirBodyContext): { fields: Record<string, unknown>; finding?: WireFinding } {
  const s = readFhirBody(prefix, isPatientResource);
  // decided by the body: a patient's resource seen, or the whole resource read without one
  const fromBody = s.matched || (s.complete && s.resourceType !== null);
  // otherwise the request line's type, except that "Bundle" says nothing once the body is seen to be one
  const fallback = s.resourceType === 'Bundle' ? ctx.resourceType !== null && isPatientResource(ctx.resourceType) : carriesPatientData(ctx.resourceType);
  const patientData = fromBody ? s.matched : fallback;
  const fields = {
    requestMethod: ctx.requestMethod,
    requestPath: ctx.requestPath.length > 0 ? ctx.requestPath : null,
    status: ctx.status,
    fhirInteraction: ctx.interaction,
    fhirResourceType: ctx.resourceType,
    fhirBodyResourceType: s.resourceType,
    fhirBundleType: s.bundleType,
    fhirBundleEntries: s.entries,
    fhirBundleResourceTypes: s.resourceTypes,
    fhirBundleNestedTypes: s.nestedTypes,
    fhirBundleTypesOverflow: s.typesOverflow,
    fhirBundleMethods: s.methods,
    fhirBundleComplete: s.complete,
    fhirBundleTruncated: truncated,
    fhirBodyRead: read,
    fhirPatientData: patientData,
    // what fhirPatientData rests on: what the body showed, or (a body cut short, lost or not a resource) the request line
    fhirPatientDataFrom: fromBody ? 'body' : 'request-line',
  };
  // judged from the request line, the head's rules stand: a write's body, a read's answer (phi.ts)
  const headWouldCount = ctx.status === null ? WRITES.has(ctx.interaction) : READS.has(ctx.interaction);
  if (!patientData || ctx.flagged || (!fromBody && !headWouldCount)) return { fields };
  const types = [...s.resourceTypes, ...s.nestedTypes.filter((t) => !s.resourceTypes.includes(t))];
  const what = s.bundleType !== null ? `${s.bundleType} Bundle` : `${s.resourceType ?? ctx.resourceType ?? 'resource'} ${ctx.interaction}${ctx.status === null ? '' : ' answer'}`;
  const of = types.length > 0 ? ` of ${types.join(', ')}` : '';
  return { fields, finding: { code: 'http.fhir-cleartext', severity: 'high', message: `FHIR ${what}${of} without TLS: patient data in the clear` } };
}
