/**
 * @module SOP class UIDs (PS3.4 / PS3.6 Annex A) a passive monitor is likely to see, with the modality they
 * imply and a device hint: an SCU that proposes CT Image Storage is probably a CT scanner or a system
 * forwarding CT images. Hints, not proof; unknown UIDs stay unknown rather than being guessed.
 */

export interface SopClassInfo {
  name: string;
  /** DICOM modality code (PS3.3 C.7.3.1.1.1) when the class implies one */
  modality?: string;
  category: 'verification' | 'storage' | 'query-retrieve' | 'worklist' | 'workflow' | 'print' | 'commitment' | 'other';
  deviceHint?: string;
}

const S = '1.2.840.10008.5.1.4.1.1.';
type Row = [uid: string, name: string, category: SopClassInfo['category'], modality?: string, deviceHint?: string];

const ROWS: Row[] = [
  ['1.2.840.10008.1.1', 'Verification', 'verification'],
  [S + '1', 'Computed Radiography Image Storage', 'storage', 'CR', 'computed radiography reader'],
  [S + '1.1', 'Digital X-Ray Image Storage - For Presentation', 'storage', 'DX', 'digital radiography system'],
  [S + '1.1.1', 'Digital X-Ray Image Storage - For Processing', 'storage', 'DX', 'digital radiography system'],
  [S + '1.2', 'Digital Mammography X-Ray Image Storage - For Presentation', 'storage', 'MG', 'mammography system'],
  [S + '1.2.1', 'Digital Mammography X-Ray Image Storage - For Processing', 'storage', 'MG', 'mammography system'],
  [S + '1.3', 'Digital Intra-Oral X-Ray Image Storage - For Presentation', 'storage', 'IO', 'dental x-ray system'],
  [S + '2', 'CT Image Storage', 'storage', 'CT', 'CT scanner'],
  [S + '2.1', 'Enhanced CT Image Storage', 'storage', 'CT', 'CT scanner'],
  [S + '3.1', 'Ultrasound Multi-frame Image Storage', 'storage', 'US', 'ultrasound system'],
  [S + '4', 'MR Image Storage', 'storage', 'MR', 'MRI scanner'],
  [S + '4.1', 'Enhanced MR Image Storage', 'storage', 'MR', 'MRI scanner'],
  [S + '4.2', 'MR Spectroscopy Storage', 'storage', 'MR', 'MRI scanner'],
  [S + '6.1', 'Ultrasound Image Storage', 'storage', 'US', 'ultrasound system'],
  [S + '7', 'Secondary Capture Image Storage', 'storage', 'OT', 'workstation or secondary capture device'],
  [S + '9.1.1', '12-lead ECG Waveform Storage', 'storage', 'ECG', 'electrocardiograph'],
  [S + '9.1.2', 'General ECG Waveform Storage', 'storage', 'ECG', 'electrocardiograph'],
  [S + '9.1.3', 'Ambulatory ECG Waveform Storage', 'storage', 'ECG', 'ambulatory ECG recorder'],
  [S + '9.2.1', 'Hemodynamic Waveform Storage', 'storage', 'HD', 'hemodynamic monitor'],
  [S + '9.3.1', 'Basic Cardiac Electrophysiology Waveform Storage', 'storage', 'EPS', 'cardiac electrophysiology system'],
  [S + '12.1', 'X-Ray Angiographic Image Storage', 'storage', 'XA', 'angiography system'],
  [S + '12.2', 'X-Ray Radiofluoroscopic Image Storage', 'storage', 'RF', 'fluoroscopy system'],
  [S + '13.1.3', 'Breast Tomosynthesis Image Storage', 'storage', 'MG', 'mammography system'],
  [S + '20', 'Nuclear Medicine Image Storage', 'storage', 'NM', 'nuclear medicine camera'],
  [S + '128', 'Positron Emission Tomography Image Storage', 'storage', 'PT', 'PET scanner'],
  [S + '130', 'Enhanced PET Image Storage', 'storage', 'PT', 'PET scanner'],
  [S + '481.1', 'RT Image Storage', 'storage', 'RTIMAGE', 'radiotherapy system'],
  [S + '481.2', 'RT Dose Storage', 'storage', 'RTDOSE', 'radiotherapy planning system'],
  [S + '481.3', 'RT Structure Set Storage', 'storage', 'RTSTRUCT', 'radiotherapy planning system'],
  [S + '481.4', 'RT Beams Treatment Record Storage', 'storage', 'RTRECORD', 'radiotherapy treatment system'],
  [S + '481.5', 'RT Plan Storage', 'storage', 'RTPLAN', 'radiotherapy planning system'],
  [S + '481.6', 'RT Brachy Treatment Record Storage', 'storage', 'RTRECORD', 'brachytherapy system'],
  [S + '481.7', 'RT Treatment Summary Record Storage', 'storage', 'RTRECORD', 'radiotherapy treatment system'],
  [S + '481.8', 'RT Ion Plan Storage', 'storage', 'RTPLAN', 'particle therapy system'],
  [S + '481.9', 'RT Ion Beams Treatment Record Storage', 'storage', 'RTRECORD', 'particle therapy system'],
  [S + '77.1.1', 'VL Endoscopic Image Storage', 'storage', 'ES', 'endoscopy system'],
  [S + '77.1.2', 'VL Microscopic Image Storage', 'storage', 'GM', 'microscope'],
  [S + '77.1.4', 'VL Photographic Image Storage', 'storage', 'XC', 'camera'],
  [S + '77.1.5.1', 'Ophthalmic Photography 8 Bit Image Storage', 'storage', 'OP', 'ophthalmic camera'],
  [S + '77.1.6', 'VL Whole Slide Microscopy Image Storage', 'storage', 'SM', 'slide scanner'],
  [S + '66.4', 'Segmentation Storage', 'storage', 'SEG'],
  [S + '11.1', 'Grayscale Softcopy Presentation State Storage', 'storage', 'PR'],
  [S + '88.11', 'Basic Text SR Storage', 'storage', 'SR', 'reporting system'],
  [S + '88.22', 'Enhanced SR Storage', 'storage', 'SR', 'reporting system'],
  [S + '88.33', 'Comprehensive SR Storage', 'storage', 'SR', 'reporting system'],
  [S + '88.34', 'Comprehensive 3D SR Storage', 'storage', 'SR', 'reporting system'],
  [S + '88.50', 'Mammography CAD SR Storage', 'storage', 'SR', 'CAD system'],
  [S + '88.59', 'Key Object Selection Document Storage', 'storage', 'KO'],
  [S + '88.67', 'X-Ray Radiation Dose SR Storage', 'storage', 'SR', 'x-ray modality (dose report)'],
  [S + '88.68', 'Radiopharmaceutical Radiation Dose SR Storage', 'storage', 'SR', 'nuclear medicine system (dose report)'],
  [S + '104.1', 'Encapsulated PDF Storage', 'storage', 'DOC'],
  [S + '104.2', 'Encapsulated CDA Storage', 'storage', 'DOC'],
  ['1.2.840.10008.5.1.4.1.2.1.1', 'Patient Root Query/Retrieve - FIND', 'query-retrieve'],
  ['1.2.840.10008.5.1.4.1.2.1.2', 'Patient Root Query/Retrieve - MOVE', 'query-retrieve'],
  ['1.2.840.10008.5.1.4.1.2.1.3', 'Patient Root Query/Retrieve - GET', 'query-retrieve'],
  ['1.2.840.10008.5.1.4.1.2.2.1', 'Study Root Query/Retrieve - FIND', 'query-retrieve'],
  ['1.2.840.10008.5.1.4.1.2.2.2', 'Study Root Query/Retrieve - MOVE', 'query-retrieve'],
  ['1.2.840.10008.5.1.4.1.2.2.3', 'Study Root Query/Retrieve - GET', 'query-retrieve'],
  ['1.2.840.10008.5.1.4.31', 'Modality Worklist Information Model - FIND', 'worklist', undefined, 'imaging modality (worklist client)'],
  ['1.2.840.10008.3.1.2.3.3', 'Modality Performed Procedure Step', 'workflow', undefined, 'imaging modality (MPPS)'],
  ['1.2.840.10008.1.20.1', 'Storage Commitment Push Model', 'commitment'],
  ['1.2.840.10008.5.1.1.9', 'Basic Grayscale Print Management Meta', 'print', undefined, 'film printer client'],
  ['1.2.840.10008.5.1.1.18', 'Basic Color Print Management Meta', 'print', undefined, 'film printer client'],
  ['1.2.840.10008.5.1.4.34.6.1', 'Unified Procedure Step - Push', 'workflow'],
];

const TABLE: ReadonlyMap<string, SopClassInfo> = new Map(
  ROWS.map(([uid, name, category, modality, deviceHint]) => [
    uid,
    { name, category, ...(modality === undefined ? {} : { modality }), ...(deviceHint === undefined ? {} : { deviceHint }) },
  ]),
);

export function sopClassInfo(uid: string): SopClassInfo | undefined {
  return TABLE.get(uid);
}
