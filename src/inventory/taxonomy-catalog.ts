/**
 * @module The curated device category catalog: medical device types plus the IT and IoT equipment
 * found on clinical networks. Each entry carries the criticality and PHI handling a device of that
 * type has unless someone says otherwise, and the names CMMS exports and people use for it
 * (matched by taxonomy.ts). Ids are stable slugs: never rename one, add a synonym instead.
 */
import type { Criticality, PhiHandling } from './model.js';

export const CATEGORY_GROUPS = [
  'infusion',
  'monitoring',
  'life-support',
  'implant',
  'imaging',
  'laboratory',
  'diagnostic',
  'therapy',
  'surgical',
  'medication',
  'clinical-it',
  'communication',
  'it',
  'iot',
  'other',
] as const;
export type CategoryGroup = (typeof CATEGORY_GROUPS)[number];

export interface DeviceCategory {
  id: string;
  label: string;
  group: CategoryGroup;
  defaultCriticality: Criticality;
  typicalPhi: PhiHandling;
  description: string;
  /** other names for the type, as written in CMMS exports, purchase records and by staff */
  synonyms: readonly string[];
}

type Row = [id: string, label: string, group: CategoryGroup, criticality: Criticality, phi: PhiHandling, description: string, synonyms: string[]];

const ROWS: Row[] = [
  // infusion
  ['infusion-pump', 'Infusion pump', 'infusion', 'life-supporting', 'stores', 'Large-volume (volumetric) pump delivering IV fluids and drugs; raise to life-sustaining where it delivers vasoactive drugs.', ['iv pump', 'lvp', 'large volume pump', 'volumetric pump', 'infusion system', 'pumps infusion', 'pump infusion general purpose', 'infusion pump module']],
  ['syringe-pump', 'Syringe pump', 'infusion', 'life-supporting', 'stores', 'Syringe driver delivering small, precise volumes (neonatal, ICU, anaesthesia).', ['syringe driver', 'pump syringe', 'pumps syringe']],
  ['pca-pump', 'PCA pump', 'infusion', 'life-supporting', 'stores', 'Patient-controlled analgesia pump delivering opioids on patient demand.', ['pca', 'patient controlled analgesia', 'patient controlled analgesia pump', 'pump pca']],
  ['insulin-pump', 'Insulin pump', 'infusion', 'life-supporting', 'stores', 'Ambulatory pump delivering insulin, often paired with a continuous glucose monitor.', ['ambulatory insulin pump', 'csii pump']],
  ['enteral-feeding-pump', 'Enteral feeding pump', 'infusion', 'therapeutic-non-critical', 'none', 'Pump delivering enteral nutrition through a feeding tube.', ['feeding pump', 'enteral pump', 'pump enteral feeding']],
  // monitoring
  ['patient-monitor', 'Patient monitor', 'monitoring', 'life-supporting', 'stores-and-transmits', 'Bedside multi-parameter physiological monitor (ECG, SpO2, NIBP, IBP, temperature).', ['bedside monitor', 'physiological monitor', 'multiparameter monitor', 'vital signs monitor bedside', 'monitor physiologic', 'monitors physiologic', 'icu monitor']],
  ['central-station', 'Central monitoring station', 'monitoring', 'life-supporting', 'stores-and-transmits', 'Central station aggregating waveforms and alarms from bedside monitors and telemetry.', ['central monitoring station', 'central station', 'central monitor']],
  ['telemetry', 'Telemetry system', 'monitoring', 'life-supporting', 'transmits', 'Wireless ambulatory ECG/SpO2 transmitters and their receivers or access points.', ['telemetry transmitter', 'telemetry receiver', 'ambulatory telemetry', 'wireless telemetry', 'cardiac telemetry']],
  ['pulse-oximeter', 'Pulse oximeter', 'monitoring', 'life-supporting', 'displays', 'Stand-alone SpO2 monitor.', ['oximeter', 'spo2 monitor', 'oximeters pulse']],
  ['capnograph', 'Capnograph', 'monitoring', 'life-supporting', 'displays', 'End-tidal CO2 monitor.', ['capnometer', 'etco2 monitor', 'co2 monitor']],
  ['vital-signs-monitor', 'Vital signs spot-check monitor', 'monitoring', 'diagnostic', 'transmits', 'Mobile spot-check device recording vital signs into the EHR.', ['spot check monitor', 'vital signs monitor', 'vitals monitor', 'connex']],
  ['fetal-monitor', 'Fetal monitor', 'monitoring', 'life-supporting', 'stores-and-transmits', 'Cardiotocograph monitoring fetal heart rate and uterine activity.', ['ctg', 'cardiotocograph', 'fetal heart monitor', 'maternal fetal monitor']],
  ['eeg', 'EEG / neuromonitoring', 'monitoring', 'diagnostic', 'stores-and-transmits', 'Electroencephalography and intraoperative neuromonitoring systems.', ['electroencephalograph', 'eeg system', 'neuromonitoring']],
  // life support
  ['ventilator', 'Ventilator', 'life-support', 'life-sustaining', 'stores', 'Mechanical ventilator for invasive or non-invasive ventilation (ICU, transport, neonatal).', ['mechanical ventilator', 'critical care ventilator', 'icu ventilator', 'ventilators intensive care', 'respirator', 'transport ventilator', 'neonatal ventilator']],
  ['anesthesia-machine', 'Anesthesia machine', 'life-support', 'life-sustaining', 'stores', 'Anaesthesia workstation delivering gases and ventilating the patient during surgery.', ['anaesthesia machine', 'anesthesia workstation', 'anaesthesia workstation', 'anesthesia unit', 'anesthesia system']],
  ['ecmo', 'ECMO / heart-lung machine', 'life-support', 'life-sustaining', 'stores', 'Extracorporeal membrane oxygenation and cardiopulmonary bypass systems.', ['heart lung machine', 'cardiopulmonary bypass', 'perfusion system', 'extracorporeal membrane oxygenation']],
  ['dialysis-machine', 'Dialysis machine', 'life-support', 'life-sustaining', 'stores-and-transmits', 'Haemodialysis and continuous renal replacement therapy machines.', ['hemodialysis machine', 'haemodialysis machine', 'crrt', 'dialysis system', 'renal replacement therapy']],
  ['defibrillator', 'Defibrillator', 'life-support', 'life-sustaining', 'stores', 'Manual defibrillator/monitor or AED.', ['aed', 'automated external defibrillator', 'defibrillator monitor', 'defib']],
  ['infant-incubator', 'Infant incubator / warmer', 'life-support', 'life-supporting', 'none', 'Neonatal incubator or radiant warmer.', ['incubator', 'infant warmer', 'radiant warmer', 'neonatal incubator', 'isolette']],
  // implants
  ['implantable-cardiac-device', 'Implantable cardiac device', 'implant', 'life-sustaining', 'stores-and-transmits', 'Pacemaker, ICD or CRT device.', ['pacemaker', 'icd', 'implantable cardioverter defibrillator', 'crt d', 'cardiac implant']],
  ['implant-programmer', 'Implant programmer', 'implant', 'life-supporting', 'stores', 'Clinician programmer that reads and reprograms implanted devices.', ['programmer', 'pacemaker programmer', 'device programmer', 'implant programmer system', 'carelink programmer']],
  ['implant-remote-monitor', 'Implant remote monitor', 'implant', 'diagnostic', 'stores-and-transmits', 'Home or bedside transmitter that forwards implant data to the manufacturer cloud.', ['home monitor', 'remote monitoring transmitter', 'bedside transmitter']],
  ['neurostimulator', 'Neurostimulator', 'implant', 'therapeutic-non-critical', 'stores', 'Implanted or external neurostimulation system (spinal cord, deep brain, vagus nerve).', ['spinal cord stimulator', 'deep brain stimulator', 'dbs']],
  // imaging
  ['ct-scanner', 'CT scanner', 'imaging', 'diagnostic', 'stores-and-transmits', 'Computed tomography scanner.', ['ct', 'computed tomography', 'cat scanner', 'scanning systems computed tomography']],
  ['mri-scanner', 'MRI scanner', 'imaging', 'diagnostic', 'stores-and-transmits', 'Magnetic resonance imaging scanner.', ['mri', 'mr', 'magnetic resonance', 'magnetic resonance imaging', 'mr scanner']],
  ['x-ray', 'X-ray (radiography)', 'imaging', 'diagnostic', 'stores-and-transmits', 'Fixed or mobile radiography (DR/CR), including digitizers.', ['xray', 'x ray', 'radiography', 'dr system', 'cr reader', 'mobile x ray', 'radiographic system', 'digital radiography']],
  ['fluoroscopy', 'Fluoroscopy / C-arm', 'imaging', 'diagnostic', 'stores-and-transmits', 'Fluoroscopy rooms and mobile C-arms.', ['c arm', 'carm', 'mobile c arm', 'rf room']],
  ['angiography', 'Angiography / interventional', 'imaging', 'life-supporting', 'stores-and-transmits', 'Interventional angiography and cath-lab imaging used during procedures.', ['cath lab', 'angio', 'interventional x ray', 'cardiovascular x ray']],
  ['ultrasound', 'Ultrasound', 'imaging', 'diagnostic', 'stores-and-transmits', 'Diagnostic ultrasound and echocardiography systems.', ['sonography', 'echocardiograph', 'echo', 'ultrasound scanner', 'scanning systems ultrasonic']],
  ['mammography', 'Mammography', 'imaging', 'diagnostic', 'stores-and-transmits', 'Mammography and breast tomosynthesis.', ['mammo', 'breast tomosynthesis', 'mammograph']],
  ['nuclear-medicine', 'Nuclear medicine / PET', 'imaging', 'diagnostic', 'stores-and-transmits', 'Gamma cameras, SPECT and PET systems.', ['pet', 'pet ct', 'spect', 'gamma camera', 'pet scanner']],
  ['pacs', 'PACS', 'imaging', 'diagnostic', 'stores-and-transmits', 'Picture archiving and communication system: image archive, DICOM router or vendor-neutral archive.', ['picture archiving and communication system', 'image archive', 'vna', 'vendor neutral archive', 'dicom archive', 'dicom router']],
  ['imaging-workstation', 'Imaging workstation', 'imaging', 'diagnostic', 'stores-and-transmits', 'Diagnostic viewing, reporting or 3D post-processing workstation.', ['radiology workstation', 'reading workstation', 'dicom viewer', 'post processing workstation', 'ris workstation']],
  ['radiation-therapy', 'Radiation therapy', 'therapy', 'therapeutic-non-critical', 'stores-and-transmits', 'Linear accelerator or brachytherapy afterloader; a manipulated plan can cause serious radiation injury.', ['linac', 'linear accelerator', 'radiotherapy', 'brachytherapy', 'afterloader']],
  // laboratory
  ['lab-analyzer', 'Laboratory analyzer', 'laboratory', 'diagnostic', 'stores-and-transmits', 'Chemistry, immunoassay, haematology, coagulation, urinalysis or microbiology analyzer.', ['analyzer', 'analyser', 'chemistry analyzer', 'hematology analyzer', 'haematology analyser', 'immunoassay analyzer', 'coagulation analyzer', 'lab instrument', 'laboratory instrument']],
  ['blood-gas-analyzer', 'Blood gas analyzer', 'laboratory', 'diagnostic', 'stores-and-transmits', 'Point-of-care or laboratory blood gas and electrolyte analyzer.', ['blood gas', 'abg analyzer', 'blood gas analyser', 'poc blood gas']],
  ['glucose-meter', 'Glucose meter', 'laboratory', 'diagnostic', 'stores-and-transmits', 'Point-of-care blood glucose meter with docking or wireless upload.', ['glucometer', 'blood glucose meter', 'poc glucose', 'glucose monitor']],
  ['poc-analyzer', 'Point-of-care analyzer', 'laboratory', 'diagnostic', 'stores-and-transmits', 'Other point-of-care testing devices (cardiac markers, coagulation, urinalysis).', ['point of care analyzer', 'poct', 'poc analyzer']],
  ['lab-automation', 'Laboratory automation', 'laboratory', 'diagnostic', 'stores', 'Specimen track, sorter, centrifuge or storage automation.', ['sample handler', 'specimen sorter', 'lab track', 'total lab automation']],
  // diagnostic (non-imaging)
  ['ecg', 'ECG (electrocardiograph)', 'diagnostic', 'diagnostic', 'stores-and-transmits', 'Resting 12-lead ECG cart, stress test or Holter system.', ['ekg', 'electrocardiograph', '12 lead ecg', 'ecg cart', 'holter', 'stress test system', 'electrocardiographs']],
  ['endoscopy', 'Endoscopy system', 'diagnostic', 'diagnostic', 'stores', 'Video endoscopy tower, processor or endoscope reprocessor.', ['endoscope', 'video endoscopy', 'endoscopy tower', 'colonoscope', 'gastroscope']],
  ['ophthalmic-device', 'Ophthalmic device', 'diagnostic', 'diagnostic', 'stores-and-transmits', 'OCT, fundus camera, perimeter and other ophthalmic diagnostics.', ['oct', 'fundus camera', 'optical coherence tomography', 'visual field analyzer']],
  // therapy
  ['smart-bed', 'Smart bed', 'therapy', 'therapeutic-non-critical', 'transmits', 'Connected hospital bed or therapeutic support surface.', ['hospital bed', 'connected bed', 'icu bed', 'patient bed']],
  ['physiotherapy-device', 'Physiotherapy device', 'therapy', 'therapeutic-non-critical', 'none', 'Electrotherapy, compression or rehabilitation equipment.', ['electrotherapy', 'tens', 'compression pump', 'rehabilitation device']],
  // surgical
  ['electrosurgical-unit', 'Electrosurgical unit', 'surgical', 'life-supporting', 'none', 'Electrosurgical generator, vessel sealing or surgical energy platform.', ['esu', 'electrosurgical generator', 'diathermy', 'surgical generator']],
  ['surgical-robot', 'Surgical robot', 'surgical', 'life-supporting', 'stores', 'Robot-assisted surgery system.', ['robotic surgery system', 'surgical robotic system', 'da vinci']],
  ['surgical-navigation', 'Surgical navigation', 'surgical', 'life-supporting', 'stores', 'Image-guided surgery and navigation system.', ['image guided surgery', 'navigation system', 'stealthstation']],
  ['sterilizer', 'Sterilizer / reprocessor', 'surgical', 'therapeutic-non-critical', 'none', 'Steam or low-temperature sterilizer, washer-disinfector.', ['autoclave', 'steam sterilizer', 'washer disinfector', 'sterilizers']],
  // medication
  ['medication-dispensing-cabinet', 'Medication dispensing cabinet', 'medication', 'therapeutic-non-critical', 'stores-and-transmits', 'Automated dispensing cabinet on the ward.', ['automated dispensing cabinet', 'adc', 'pyxis', 'omnicell', 'dispensing cabinet', 'medication cabinet', 'medstation']],
  ['pharmacy-automation', 'Pharmacy automation', 'medication', 'therapeutic-non-critical', 'stores-and-transmits', 'Central pharmacy robot, carousel, packager or IV compounding system.', ['pharmacy robot', 'iv compounding robot', 'unit dose packager', 'carousel']],
  // clinical IT
  ['device-gateway', 'Medical device gateway', 'clinical-it', 'diagnostic', 'stores-and-transmits', 'Device integration gateway forwarding device data to the EHR.', ['device integration gateway', 'mdi gateway', 'medical device integration', 'device data gateway']],
  ['interface-engine', 'HL7 interface engine', 'clinical-it', 'non-clinical', 'stores-and-transmits', 'HL7/FHIR integration engine routing orders and results.', ['integration engine', 'hl7 engine', 'interface server', 'mirth']],
  ['clinical-information-system', 'Clinical information system', 'clinical-it', 'non-clinical', 'stores-and-transmits', 'EHR, LIS, RIS or anaesthesia information system server.', ['ehr server', 'emr', 'lis', 'laboratory information system', 'ris', 'radiology information system', 'hospital information system']],
  ['clinical-workstation', 'Clinical workstation', 'clinical-it', 'non-clinical', 'stores-and-transmits', 'Ward PC, workstation on wheels or bedside terminal used for clinical documentation.', ['workstation on wheels', 'wow', 'computer on wheels', 'cow', 'bedside terminal', 'nursing workstation']],
  // communication
  ['nurse-call', 'Nurse call system', 'communication', 'life-supporting', 'transmits', 'Nurse call controllers, stations and pillow speakers.', ['nurse call', 'nurse call station', 'patient call system', 'call system']],
  ['alarm-notification', 'Alarm notification system', 'communication', 'life-supporting', 'transmits', 'Secondary alarm distribution and clinical messaging (badges, pagers, middleware).', ['alarm middleware', 'secondary alarm', 'clinical messaging', 'vocera', 'pager system']],
  ['rtls', 'RTLS', 'communication', 'non-clinical', 'none', 'Real-time location tags, readers and servers.', ['real time location system', 'asset tracking', 'location tag']],
  // IT
  ['server', 'Server', 'it', 'non-clinical', 'unknown', 'General-purpose server.', ['physical server', 'virtual machine', 'vm']],
  ['workstation', 'Workstation', 'it', 'non-clinical', 'unknown', 'Desktop or laptop computer not dedicated to a clinical function.', ['desktop', 'pc', 'laptop', 'computer', 'thin client']],
  ['mobile-device', 'Mobile device', 'it', 'non-clinical', 'unknown', 'Smartphone or tablet.', ['smartphone', 'tablet', 'phone', 'handheld']],
  ['printer', 'Printer', 'it', 'non-clinical', 'unknown', 'Printer, label printer or multifunction device.', ['mfp', 'multifunction printer', 'label printer', 'wristband printer', 'copier']],
  ['network-infrastructure', 'Network infrastructure', 'it', 'non-clinical', 'none', 'Switch, router, firewall, wireless controller or access point.', ['switch', 'router', 'firewall', 'access point', 'wireless access point', 'wlan controller']],
  ['voip-phone', 'VoIP phone', 'it', 'non-clinical', 'none', 'Desk or wireless IP telephone.', ['ip phone', 'voip', 'desk phone']],
  // IoT
  ['building-automation', 'Building automation', 'iot', 'non-clinical', 'none', 'HVAC, BMS and medical gas alarm controllers.', ['bms', 'hvac controller', 'building management system', 'medical gas alarm']],
  ['ip-camera', 'IP camera', 'iot', 'non-clinical', 'unknown', 'Video surveillance or patient observation camera.', ['camera', 'cctv', 'video surveillance', 'patient observation camera']],
  ['access-control', 'Access control', 'iot', 'non-clinical', 'none', 'Badge readers, door controllers and infant security systems.', ['badge reader', 'door controller', 'card reader', 'infant security']],
  ['environmental-sensor', 'Environmental sensor', 'iot', 'non-clinical', 'none', 'Temperature and humidity monitoring of fridges, freezers and rooms.', ['temperature sensor', 'fridge monitor', 'temperature monitoring', 'humidity sensor']],
  ['power-system', 'Power system / UPS', 'iot', 'non-clinical', 'none', 'UPS, PDU or generator controller.', ['ups', 'uninterruptible power supply', 'pdu', 'power distribution unit']],
  ['iot-other', 'Other IoT device', 'iot', 'non-clinical', 'unknown', 'Connected device not listed elsewhere (smart TV, kiosk, digital signage).', ['smart tv', 'kiosk', 'digital signage', 'iot']],
  // other
  ['unclassified', 'Unclassified', 'other', 'non-clinical', 'unknown', 'Not yet classified; review it, since an unknown device may be clinical.', ['unknown', 'other', 'unclassified device']],
];

export const DEVICE_CATEGORIES: readonly DeviceCategory[] = ROWS.map(([id, label, group, defaultCriticality, typicalPhi, description, synonyms]) => ({
  id,
  label,
  group,
  defaultCriticality,
  typicalPhi,
  description,
  synonyms,
}));
