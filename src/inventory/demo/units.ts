/**
 * @module The kinds of hospital unit the demo hospital is built from, each with the device mix
 * found there (category -> relative count) and its share of a site's devices.
 */

export interface UnitType {
  id: string;
  /** relative number of devices in one unit of this type */
  weight: number;
  /** building role the unit sits in */
  building: 'main' | 'heart' | 'cancer' | 'women' | 'support' | 'clinic';
  /** floor label; a unit code starting with a digit ("4W") names its own floor */
  floor: string;
  mix: Readonly<Record<string, number>>;
}

const ICU_MIX = {
  'infusion-pump': 30, 'syringe-pump': 10, 'pca-pump': 2, 'patient-monitor': 16, 'central-station': 1, ventilator: 9, capnograph: 2,
  defibrillator: 1, 'dialysis-machine': 1, ecmo: 0.3, 'smart-bed': 9, 'enteral-feeding-pump': 3, 'medication-dispensing-cabinet': 1,
  'clinical-workstation': 5, 'blood-gas-analyzer': 0.6, 'glucose-meter': 2, 'nurse-call': 2, 'alarm-notification': 2, 'voip-phone': 1,
  'mobile-device': 2, 'device-gateway': 0.5, 'pulse-oximeter': 1,
};

const MEDSURG_MIX = {
  'infusion-pump': 25, 'pca-pump': 5, 'vital-signs-monitor': 8, 'smart-bed': 14, telemetry: 3, 'enteral-feeding-pump': 3,
  'medication-dispensing-cabinet': 1, 'clinical-workstation': 6, 'glucose-meter': 3, 'nurse-call': 2, 'alarm-notification': 2,
  'voip-phone': 3, 'mobile-device': 4, printer: 1, defibrillator: 0.5, 'pulse-oximeter': 1, 'insulin-pump': 0.3,
};

export const UNIT_TYPES: Readonly<Record<string, UnitType>> = {
  icu: { id: 'icu', weight: 120, building: 'main', floor: '3', mix: ICU_MIX },
  nicu: {
    id: 'nicu', weight: 90, building: 'women', floor: '3',
    mix: { 'syringe-pump': 22, 'infusion-pump': 8, 'patient-monitor': 12, ventilator: 6, 'infant-incubator': 14, 'pulse-oximeter': 4, 'central-station': 1, 'medication-dispensing-cabinet': 1, 'clinical-workstation': 3, 'nurse-call': 1, 'alarm-notification': 1, 'glucose-meter': 1 },
  },
  ed: {
    id: 'ed', weight: 130, building: 'main', floor: '1',
    mix: { 'infusion-pump': 14, 'patient-monitor': 12, 'vital-signs-monitor': 8, defibrillator: 3, ecg: 3, 'x-ray': 1, ultrasound: 2, telemetry: 2, ventilator: 1.5, 'glucose-meter': 3, 'poc-analyzer': 2, 'medication-dispensing-cabinet': 2, 'clinical-workstation': 8, printer: 3, 'mobile-device': 3, 'voip-phone': 2, 'central-station': 1, 'ct-scanner': 0.3, 'pulse-oximeter': 2, 'smart-bed': 2, 'ip-camera': 1 },
  },
  or: {
    id: 'or', weight: 150, building: 'main', floor: '2',
    mix: { 'anesthesia-machine': 12, 'patient-monitor': 12, 'electrosurgical-unit': 9, 'syringe-pump': 8, 'infusion-pump': 6, 'surgical-robot': 1, 'surgical-navigation': 1, fluoroscopy: 2, endoscopy: 3, 'clinical-workstation': 5, defibrillator: 1, ecmo: 0.4, 'imaging-workstation': 0.5, 'blood-gas-analyzer': 0.5 },
  },
  pacu: {
    id: 'pacu', weight: 50, building: 'main', floor: '2',
    mix: { 'patient-monitor': 12, 'infusion-pump': 10, 'pca-pump': 5, capnograph: 3, 'vital-signs-monitor': 3, 'clinical-workstation': 3, defibrillator: 1, 'medication-dispensing-cabinet': 1 },
  },
  medsurg: { id: 'medsurg', weight: 70, building: 'main', floor: '4', mix: MEDSURG_MIX },
  stepdown: {
    id: 'stepdown', weight: 60, building: 'heart', floor: '2',
    mix: { telemetry: 14, 'patient-monitor': 6, 'infusion-pump': 14, 'central-station': 1, 'smart-bed': 8, 'vital-signs-monitor': 3, 'clinical-workstation': 4, 'nurse-call': 1, 'alarm-notification': 1, defibrillator: 1 },
  },
  oncology: {
    id: 'oncology', weight: 70, building: 'cancer', floor: '3',
    mix: { 'infusion-pump': 24, 'syringe-pump': 3, 'vital-signs-monitor': 5, 'medication-dispensing-cabinet': 1, 'pharmacy-automation': 0.5, 'clinical-workstation': 5, 'smart-bed': 5, printer: 1 },
  },
  ld: {
    id: 'ld', weight: 50, building: 'women', floor: '2',
    mix: { 'fetal-monitor': 12, 'infusion-pump': 8, 'patient-monitor': 3, 'infant-incubator': 3, ultrasound: 1, 'smart-bed': 4, 'clinical-workstation': 3, 'nurse-call': 1 },
  },
  radiology: {
    id: 'radiology', weight: 60, building: 'main', floor: '1',
    mix: { 'ct-scanner': 3, 'mri-scanner': 2, 'x-ray': 6, ultrasound: 5, mammography: 2, fluoroscopy: 1, 'nuclear-medicine': 1, pacs: 0.5, 'imaging-workstation': 8, printer: 1, 'clinical-workstation': 3 },
  },
  cathlab: {
    id: 'cathlab', weight: 35, building: 'heart', floor: '1',
    mix: { angiography: 3, ecg: 8, 'patient-monitor': 4, 'imaging-workstation': 2, ultrasound: 3, defibrillator: 2, 'implant-programmer': 2, 'implant-remote-monitor': 1, 'clinical-workstation': 3 },
  },
  radonc: { id: 'radonc', weight: 15, building: 'cancer', floor: 'B1', mix: { 'radiation-therapy': 3, 'ct-scanner': 0.5, 'imaging-workstation': 2, 'clinical-workstation': 2 } },
  lab: {
    id: 'lab', weight: 50, building: 'support', floor: '1',
    mix: { 'lab-analyzer': 20, 'blood-gas-analyzer': 2, 'lab-automation': 1.5, 'poc-analyzer': 1, 'clinical-workstation': 5, printer: 2, 'clinical-information-system': 0.3 },
  },
  pharmacy: { id: 'pharmacy', weight: 20, building: 'support', floor: '1', mix: { 'pharmacy-automation': 5, 'medication-dispensing-cabinet': 2, 'clinical-workstation': 4, printer: 3 } },
  dialysis: { id: 'dialysis', weight: 35, building: 'main', floor: '2', mix: { 'dialysis-machine': 20, 'vital-signs-monitor': 3, 'patient-monitor': 2, 'clinical-workstation': 2 } },
  endoscopy: { id: 'endoscopy', weight: 25, building: 'main', floor: '2', mix: { endoscopy: 8, 'patient-monitor': 3, 'electrosurgical-unit': 2, sterilizer: 1, 'clinical-workstation': 2 } },
  spd: { id: 'spd', weight: 20, building: 'support', floor: 'B1', mix: { sterilizer: 10, 'clinical-workstation': 2, printer: 2 } },
  datacenter: {
    id: 'datacenter', weight: 60, building: 'support', floor: 'B1',
    mix: { server: 20, pacs: 1.5, 'interface-engine': 2, 'clinical-information-system': 2, 'device-gateway': 3, 'network-infrastructure': 10, 'power-system': 3, workstation: 2 },
  },
  facilities: {
    id: 'facilities', weight: 90, building: 'support', floor: 'B1',
    mix: { 'building-automation': 8, 'access-control': 8, 'ip-camera': 12, 'environmental-sensor': 10, 'power-system': 4, rtls: 4, 'network-infrastructure': 6 },
  },
  clinic: {
    id: 'clinic', weight: 40, building: 'clinic', floor: '1',
    mix: { 'vital-signs-monitor': 10, ecg: 3, 'clinical-workstation': 10, printer: 4, 'glucose-meter': 2, ultrasound: 1, 'ophthalmic-device': 1, 'physiotherapy-device': 1, 'voip-phone': 3, 'x-ray': 1 },
  },
};

/** [unit code, unit type, unit name] per kind of site. */
export const SITE_TEMPLATES: Readonly<Record<'medical-center' | 'community' | 'outpatient', readonly (readonly [string, string, string])[]>> = {
  'medical-center': [
    ['MICU', 'icu', 'Medical ICU'], ['SICU', 'icu', 'Surgical ICU'], ['CVICU', 'icu', 'Cardiovascular ICU'], ['NICU', 'nicu', 'NICU'],
    ['ED', 'ed', 'Emergency Department'], ['OR', 'or', 'Main OR'], ['PACU', 'pacu', 'PACU'],
    ['4W', 'medsurg', 'Med-Surg 4 West'], ['4E', 'medsurg', 'Med-Surg 4 East'], ['5W', 'medsurg', 'Med-Surg 5 West'], ['5E', 'medsurg', 'Med-Surg 5 East'],
    ['6N', 'medsurg', 'Med-Surg 6 North'], ['CSDU', 'stepdown', 'Cardiac Step-Down'], ['ONC', 'oncology', 'Oncology'], ['LD', 'ld', 'Labor & Delivery'],
    ['RAD', 'radiology', 'Radiology'], ['CATH', 'cathlab', 'Cath Lab'], ['RONC', 'radonc', 'Radiation Oncology'], ['LAB', 'lab', 'Core Laboratory'],
    ['PHARM', 'pharmacy', 'Pharmacy'], ['DIAL', 'dialysis', 'Dialysis'], ['ENDO', 'endoscopy', 'Endoscopy'], ['SPD', 'spd', 'Sterile Processing'],
    ['DC', 'datacenter', 'Data Center'], ['FAC', 'facilities', 'Facilities'],
  ],
  community: [
    ['ICU', 'icu', 'ICU'], ['ED', 'ed', 'Emergency Department'], ['OR', 'or', 'Surgery'], ['PACU', 'pacu', 'PACU'], ['2W', 'medsurg', 'Med-Surg 2 West'],
    ['3W', 'medsurg', 'Med-Surg 3 West'], ['LD', 'ld', 'Labor & Delivery'], ['RAD', 'radiology', 'Radiology'], ['LAB', 'lab', 'Laboratory'],
    ['PHARM', 'pharmacy', 'Pharmacy'], ['IT', 'datacenter', 'IT Equipment Room'], ['FAC', 'facilities', 'Facilities'],
  ],
  outpatient: [
    ['CLIN1', 'clinic', 'Primary Care Clinic'], ['CLIN2', 'clinic', 'Specialty Clinic'], ['IMG', 'radiology', 'Outpatient Imaging'],
    ['LAB', 'lab', 'Outpatient Laboratory'], ['INF', 'oncology', 'Infusion Center'], ['FAC', 'facilities', 'Facilities'],
  ],
};
