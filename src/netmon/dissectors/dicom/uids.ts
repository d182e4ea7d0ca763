/**
 * @module Transfer syntax and application context names (PS3.5 Section 10, PS3.6 Annex A) and the
 * implementation class UID roots / version names that identify well-known DICOM toolkits (software
 * fingerprint for vulnerability matching).
 */

const TS = '1.2.840.10008.1.2';
const TRANSFER_SYNTAXES: ReadonlyMap<string, string> = new Map([
  [TS, 'Implicit VR Little Endian'],
  [TS + '.1', 'Explicit VR Little Endian'],
  [TS + '.1.98', 'Encapsulated Uncompressed Explicit VR Little Endian'],
  [TS + '.1.99', 'Deflated Explicit VR Little Endian'],
  [TS + '.2', 'Explicit VR Big Endian (retired)'],
  [TS + '.4.50', 'JPEG Baseline (Process 1)'],
  [TS + '.4.51', 'JPEG Extended (Process 2 & 4)'],
  [TS + '.4.57', 'JPEG Lossless, Non-Hierarchical (Process 14)'],
  [TS + '.4.70', 'JPEG Lossless, First-Order Prediction (Process 14 SV1)'],
  [TS + '.4.80', 'JPEG-LS Lossless'],
  [TS + '.4.81', 'JPEG-LS Near-Lossless'],
  [TS + '.4.90', 'JPEG 2000 Lossless Only'],
  [TS + '.4.91', 'JPEG 2000'],
  [TS + '.4.92', 'JPEG 2000 Part 2 Multi-component Lossless Only'],
  [TS + '.4.93', 'JPEG 2000 Part 2 Multi-component'],
  [TS + '.4.100', 'MPEG2 Main Profile / Main Level'],
  [TS + '.4.101', 'MPEG2 Main Profile / High Level'],
  [TS + '.4.102', 'MPEG-4 AVC/H.264 High Profile / Level 4.1'],
  [TS + '.4.103', 'MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1'],
  [TS + '.4.107', 'HEVC/H.265 Main Profile / Level 5.1'],
  [TS + '.4.108', 'HEVC/H.265 Main 10 Profile / Level 5.1'],
  [TS + '.4.201', 'High-Throughput JPEG 2000 Lossless Only'],
  [TS + '.4.202', 'High-Throughput JPEG 2000 with RPCL Options Lossless Only'],
  [TS + '.4.203', 'High-Throughput JPEG 2000'],
  [TS + '.5', 'RLE Lossless'],
]);

export function transferSyntaxName(uid: string): string | undefined {
  return TRANSFER_SYNTAXES.get(uid);
}

export const DICOM_APPLICATION_CONTEXT = '1.2.840.10008.3.1.1.1';

export interface SoftwareFingerprint {
  product: string;
  version?: string;
  /** what the fingerprint was derived from */
  source: 'implementation-version-name' | 'implementation-class-uid';
}

/** Version-name patterns toolkits use by default; the digits encode the release. */
const VERSION_NAME_PATTERNS: readonly [RegExp, string, (m: RegExpMatchArray) => string | undefined][] = [
  // OFFIS_DCMTK_367 -> 3.6.7; OFFIS_DCMTK_3610 -> 3.6.10
  [/^OFFIS_DCMTK_(\d)(\d)(\d{1,2})$/, 'dcmtk', (m) => `${m[1]}.${m[2]}.${m[3]}`],
  // PYNETDICOM_205 -> 2.0.5
  [/^PYNETDICOM_(\d)(\d)(\d{1,2})$/, 'pynetdicom', (m) => `${m[1]}.${m[2]}.${m[3]}`],
  [/^dcm4che-(\d+(?:\.\d+){1,3})$/i, 'dcm4che', (m) => m[1]],
  [/^fo-dicom\s*(\d+(?:\.\d+){1,3})$/i, 'fo-dicom', (m) => m[1]],
];

const CLASS_UID_ROOTS: readonly [string, string][] = [
  ['1.2.276.0.7230010.3.', 'dcmtk'],
  ['1.2.826.0.1.3680043.9.3811.', 'pynetdicom'],
  ['1.2.40.0.13.1.', 'dcm4che'],
  ['1.3.6.1.4.1.30071.8', 'fo-dicom'],
];

export function softwareFingerprint(versionName: string | undefined, classUid: string | undefined): SoftwareFingerprint | undefined {
  if (versionName !== undefined) {
    for (const [re, product, version] of VERSION_NAME_PATTERNS) {
      const m = versionName.match(re);
      if (m) {
        const v = version(m);
        return { product, ...(v === undefined ? {} : { version: v }), source: 'implementation-version-name' };
      }
    }
  }
  if (classUid !== undefined) {
    // DCMTK's default class UID ends in its release: 1.2.276.0.7230010.3.0.3.6.7 is 3.6.7
    const dcmtk = classUid.match(/^1\.2\.276\.0\.7230010\.3\.0\.(\d+\.\d+\.\d+)$/);
    if (dcmtk) return { product: 'dcmtk', version: dcmtk[1] as string, source: 'implementation-class-uid' };
    for (const [root, product] of CLASS_UID_ROOTS) {
      if (classUid.startsWith(root)) return { product, source: 'implementation-class-uid' };
    }
  }
  return undefined;
}
