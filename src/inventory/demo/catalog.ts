/**
 * @module The demo catalog as the generator uses it: models grouped by category with weighted
 * choice, and per category how often such a device is on the network, which clinical protocol it
 * speaks (DICOM AE titles for imaging, HL7 application ids for laboratory and clinical IT), and
 * who owns it. MAC prefixes: a few are vendor registrations published in medical-device NAC
 * guides; the rest are derived from the maker's name and are illustrative only.
 */
import { CLINICAL_MODELS } from './catalog-clinical.js';
import { SYSTEM_MODELS } from './catalog-systems.js';
import type { DemoModel } from './catalog-types.js';
import { hash32, WeightedTable } from './prng.js';

export const DEMO_MODELS: readonly DemoModel[] = [...CLINICAL_MODELS, ...SYSTEM_MODELS];

export interface CategoryProfile {
  /** probability that a device of the category has a network interface in use */
  networked: number;
  protocol?: 'dicom' | 'hl7';
  /** short code used in host names and AE titles */
  code: string;
  /** probability that a networked device has a DNS host name */
  named: number;
  owner: string;
}

const CE = 'Clinical Engineering';
const p = (code: string, networked: number, owner = CE, named = 0.5, protocol?: 'dicom' | 'hl7'): CategoryProfile => ({
  code,
  networked,
  owner,
  named,
  ...(protocol ? { protocol } : {}),
});

const PROFILES: Record<string, CategoryProfile> = {
  'infusion-pump': p('INF', 0.85, CE, 0.2),
  'syringe-pump': p('SYR', 0.7, CE, 0.2),
  'pca-pump': p('PCA', 0.8, CE, 0.2),
  'insulin-pump': p('INS', 0.1),
  'enteral-feeding-pump': p('ENT', 0.05),
  'patient-monitor': p('MON', 0.95, CE, 0.4, 'hl7'),
  'central-station': p('CS', 1, CE, 1, 'hl7'),
  telemetry: p('TEL', 0.95, CE, 0.1),
  'pulse-oximeter': p('SPO', 0.3),
  capnograph: p('CAP', 0.3),
  'vital-signs-monitor': p('VS', 0.9, CE, 0.3, 'hl7'),
  'fetal-monitor': p('FM', 0.9, CE, 0.5, 'hl7'),
  eeg: p('EEG', 0.9, CE, 0.9),
  ventilator: p('VNT', 0.7, CE, 0.3),
  'anesthesia-machine': p('ANE', 0.8, CE, 0.4),
  ecmo: p('ECM', 0.3),
  'dialysis-machine': p('DIA', 0.8, CE, 0.3, 'hl7'),
  defibrillator: p('DEF', 0.4),
  'infant-incubator': p('INC', 0.3),
  'implant-programmer': p('IPG', 0.6, 'Cardiology', 0.5),
  'implant-remote-monitor': p('IRM', 0.9, 'Cardiology', 0.2),
  'ct-scanner': p('CT', 1, 'Radiology IT', 1, 'dicom'),
  'mri-scanner': p('MR', 1, 'Radiology IT', 1, 'dicom'),
  'x-ray': p('DX', 0.95, 'Radiology IT', 1, 'dicom'),
  fluoroscopy: p('RF', 0.9, 'Radiology IT', 1, 'dicom'),
  angiography: p('XA', 1, 'Radiology IT', 1, 'dicom'),
  ultrasound: p('US', 0.9, 'Radiology IT', 0.8, 'dicom'),
  mammography: p('MG', 1, 'Radiology IT', 1, 'dicom'),
  'nuclear-medicine': p('NM', 1, 'Radiology IT', 1, 'dicom'),
  pacs: p('PACS', 1, 'Radiology IT', 1, 'dicom'),
  'imaging-workstation': p('WS', 1, 'Radiology IT', 1, 'dicom'),
  'radiation-therapy': p('RT', 1, 'Radiation Oncology', 1, 'dicom'),
  'lab-analyzer': p('LAB', 0.95, 'Laboratory', 0.8, 'hl7'),
  'blood-gas-analyzer': p('BGA', 0.95, 'Laboratory', 0.7, 'hl7'),
  'glucose-meter': p('GLU', 0.6, 'Laboratory', 0, 'hl7'),
  'poc-analyzer': p('POC', 0.8, 'Laboratory', 0.3, 'hl7'),
  'lab-automation': p('LAS', 1, 'Laboratory', 1, 'hl7'),
  ecg: p('ECG', 0.85, 'Cardiology', 0.6, 'hl7'),
  endoscopy: p('END', 0.6, CE, 0.5, 'dicom'),
  'ophthalmic-device': p('OPH', 0.9, CE, 0.8, 'dicom'),
  'smart-bed': p('BED', 0.6, CE, 0),
  'physiotherapy-device': p('PHY', 0.05),
  'electrosurgical-unit': p('ESU', 0.1),
  'surgical-robot': p('ROB', 0.9, CE, 1),
  'surgical-navigation': p('NAV', 0.9, CE, 1, 'dicom'),
  sterilizer: p('STR', 0.5, 'Sterile Processing', 0.5),
  'medication-dispensing-cabinet': p('ADC', 1, 'Pharmacy', 1, 'hl7'),
  'pharmacy-automation': p('RX', 1, 'Pharmacy', 1, 'hl7'),
  'device-gateway': p('GW', 1, 'Clinical Engineering', 1, 'hl7'),
  'interface-engine': p('IE', 1, 'IT Integration', 1, 'hl7'),
  'clinical-information-system': p('CIS', 1, 'IT Applications', 1, 'hl7'),
  'clinical-workstation': p('CWS', 1, 'IT End User Services', 1),
  'nurse-call': p('NC', 1, 'Facilities', 0.7),
  'alarm-notification': p('ALM', 1, 'IT Clinical Communications', 0.3),
  rtls: p('RTL', 0.9, 'Facilities', 0.3),
  server: p('SRV', 1, 'IT Infrastructure', 1),
  workstation: p('WKS', 1, 'IT End User Services', 1),
  'mobile-device': p('MOB', 1, 'IT End User Services', 0.2),
  printer: p('PRN', 1, 'IT End User Services', 1),
  'network-infrastructure': p('NET', 1, 'IT Infrastructure', 1),
  'voip-phone': p('VOIP', 1, 'IT Telecom', 0.5),
  'building-automation': p('BAS', 1, 'Facilities', 0.8),
  'ip-camera': p('CAM', 1, 'Security', 0.6),
  'access-control': p('ACS', 1, 'Security', 0.6),
  'environmental-sensor': p('ENV', 0.9, 'Facilities', 0.2),
  'power-system': p('UPS', 0.9, 'Facilities', 0.8),
};

export function profileOf(category: string): CategoryProfile {
  return PROFILES[category] ?? p('DEV', 0.5);
}

const BY_CATEGORY = new Map<string, WeightedTable<DemoModel>>();
for (const category of new Set(DEMO_MODELS.map((x) => x.category))) {
  BY_CATEGORY.set(
    category,
    new WeightedTable(
      DEMO_MODELS.filter((x) => x.category === category),
      (x) => x.weight,
    ),
  );
}

export function modelTable(category: string): WeightedTable<DemoModel> {
  const t = BY_CATEGORY.get(category);
  if (!t) throw new Error(`demo catalog has no model of category ${category}`);
  return t;
}

const KNOWN_OUIS: Record<string, string> = {
  Philips: '00:09:5c',
  'Siemens Healthineers': '00:18:65',
  Drägerwerk: '00:30:e6',
  Hospira: '00:03:b1',
  'Welch Allyn': '00:1a:fa',
};

/** The MAC prefix the generator gives a manufacturer's devices. */
export function ouiOf(manufacturer: string): string {
  const known = KNOWN_OUIS[manufacturer];
  if (known) return known;
  const h = hash32(manufacturer);
  // Clear the multicast and locally-administered bits: a globally unique unicast prefix.
  const b0 = (h >>> 16) & 0xfc;
  return [b0, (h >>> 8) & 0xff, h & 0xff].map((b) => b.toString(16).padStart(2, '0')).join(':');
}
