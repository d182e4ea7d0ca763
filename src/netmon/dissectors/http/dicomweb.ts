/**
 * @module DICOMweb (PS3.18) recognised in HTTP requests: STOW-RS stores DICOM objects (POST
 * .../studies[/{study}]), WADO-RS retrieves them or their metadata (GET .../studies/{study}[/series/
 * {series}[/instances/{instance}]][/metadata|/rendered|/thumbnail|/frames/...|/bulkdata...]), QIDO-RS
 * searches (GET .../studies, .../series, .../instances, under a study or series too) with the matching
 * attributes in the query string. Over cleartext HTTP each carries patient data: the objects stored or
 * retrieved, the search results, and a search by patient attributes in the URL itself. Only the names
 * of query attributes are reported, never their values.
 */
import type { WireFinding } from '../../model.js';
import { queryNames } from './query-names.js';

export type DicomwebService = 'stow-rs' | 'wado-rs' | 'qido-rs';

const UID = '[0-9]+(?:\\.[0-9]+)+';
const STOW = new RegExp(`/studies(?:/${UID})?/?$`);
const QIDO = new RegExp(`(?:^|/)(?:studies|series|instances|studies/${UID}/(?:series|instances)|studies/${UID}/series/${UID}/instances)/?$`);
const WADO = new RegExp(`/studies/${UID}(?:/series/${UID}(?:/instances/${UID})?)?(?:/(?:metadata|rendered|thumbnail|pixeldata|frames/[0-9,]+(?:/rendered|/thumbnail)?|bulkdata(?:/.*)?))?/?$`);

/** query parameters of QIDO-RS that are not matching attributes */
const CONTROL_KEYS = new Set(['includefield', 'fuzzymatching', 'limit', 'offset', 'orderby', 'charset']);
/**
 * matching attributes that identify a patient, by keyword and by tag (PS3.6): a search by them puts the
 * identifier in the URL, in the clear
 */
const PATIENT_KEYS = new Set([
  'patientid', '00100020', 'patientname', '00100010', 'patientbirthdate', '00100030', 'otherpatientids', '00101000',
  'otherpatientidssequence', '00101002', 'issuerofpatientid', '00100021', 'patientsex', '00100040', 'patientaddress', '00101040',
]);
const MAX_KEYS = 16;
/** a keyword (PatientID), a tag (00100020) or a dotted path of them (00081115.0020000E), as QIDO-RS names attributes */
const ATTRIBUTE_NAME = /^[A-Za-z0-9]{1,64}(?:\.[A-Za-z0-9]{1,64}){0,7}$/;

/**
 * The DICOMweb service a request's method and path (no query) have the shape of, or undefined. The
 * shape alone is not proof (any REST API may have a /studies): see requestIsDicomweb and
 * responseIsDicomweb.
 */
export function dicomwebShape(method: string, path: string): DicomwebService | undefined {
  if (path.length > 2048) return undefined;
  if (method === 'POST') return STOW.test(path) ? 'stow-rs' : undefined;
  if (method !== 'GET') return undefined;
  if (QIDO.test(path)) return 'qido-rs';
  return WADO.test(path) ? 'wado-rs' : undefined;
}

/** a media type of DICOM content: application/dicom, application/dicom+json or +xml, or multipart/related of those */
export const isDicomMedia = (value: string | null | undefined): boolean => value != null && /application\/dicom\b/i.test(value);

/** a path segment naming DICOMweb (dicom-web, dicomweb, dicom, wado, qido, stow, with or without rs) */
const DICOMWEB_SEGMENT = /\/(?:dicom[-_]?web|dicom|wado(?:rs|-rs)?|qido(?:rs|-rs)?|stow(?:rs|-rs)?)(?:\/|$)/i;
/** an `rs` segment under an archive's DICOM prefix (dcm4chee: /dcm4chee-arc/aets/DCM4CHEE/rs/studies) */
const RS_UNDER_DICOM = /(?:dcm4chee|dicom|pacs)[^?]*\/rs\//i;

/**
 * The DICOMweb service a request is: its shape, and DICOM content declared (Content-Type for STOW-RS,
 * Accept for the others) or a path segment that names DICOMweb. Undefined otherwise (the response may
 * still show it: responseIsDicomweb).
 */
export function requestDicomweb(method: string, path: string, contentType: string | null, accept: string | null): DicomwebService | undefined {
  const shape = dicomwebShape(method, path);
  if (shape === undefined) return undefined;
  const declared = shape === 'stow-rs' ? isDicomMedia(contentType) : isDicomMedia(accept);
  return declared || DICOMWEB_SEGMENT.test(path) || RS_UNDER_DICOM.test(path) ? shape : undefined;
}

/** The matching attributes a QIDO-RS query string names (keys only, at most 16), and whether any identifies a patient. */
export function queryAttributes(target: string): { keys: string[]; patient: boolean } {
  // only attribute keywords, tags and dotted paths of them are names; anything else may be a value
  const keys = queryNames(target, (k) => ATTRIBUTE_NAME.test(k) && !CONTROL_KEYS.has(k.toLowerCase()), MAX_KEYS);
  return { keys, patient: keys.some((k) => PATIENT_KEYS.has(k.toLowerCase())) };
}

const SERVICE_NAMES: Record<DicomwebService, string> = { 'stow-rs': 'STOW-RS store', 'wado-rs': 'WADO-RS retrieval', 'qido-rs': 'QIDO-RS search' };

/** What an HTTP request says of DICOMweb: its fields on `http.request`, its finding, and what its response is checked for. */
export interface DicomwebRequest {
  fields: { dicomweb: DicomwebService | null; dicomwebQueryKeys: string[]; dicomwebPatientQuery: boolean };
  finding?: WireFinding;
  /** the service the path has the shape of (a response with DICOM content confirms it) */
  shape?: DicomwebService;
  /** the request itself showed it is DICOMweb */
  confirmed: boolean;
}

export function dicomwebRequest(method: string, target: string, path: string, contentType: string | null, accept: string | null): DicomwebRequest {
  const shape = dicomwebShape(method, path);
  const service = shape === undefined ? undefined : requestDicomweb(method, path, contentType, accept);
  const query = service === 'qido-rs' ? queryAttributes(target) : { keys: [], patient: false };
  const fields = { dicomweb: service ?? null, dicomwebQueryKeys: query.keys, dicomwebPatientQuery: query.patient };
  if (service === undefined) return { fields, ...(shape ? { shape } : {}), confirmed: false };
  const what =
    service === 'stow-rs'
      ? 'DICOM objects (patient data) sent in the clear'
      : service === 'wado-rs'
        ? 'DICOM objects (patient data) retrieved in the clear'
        : query.patient
          ? `a search by ${query.keys.join(', ')} (patient identifiers in the URL), its results in the clear`
          : 'search results (patient and study attributes) in the clear';
  return { fields, finding: { code: 'http.dicomweb-cleartext', severity: 'high', message: `DICOMweb ${SERVICE_NAMES[service]} without TLS: ${what}` }, shape: service, confirmed: true };
}

/**
 * The DICOMweb service a response answers: that of its request when the request showed it, or when
 * the request had the shape and the response carries DICOM content; null otherwise.
 */
export function dicomwebResponse(request: { shape?: DicomwebService; confirmed: boolean } | undefined, contentType: string | null): DicomwebService | null {
  if (request?.shape === undefined) return null;
  return request.confirmed || isDicomMedia(contentType) ? request.shape : null;
}
