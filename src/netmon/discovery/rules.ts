/**
 * @module Explainable device inference: each rule looks at one profile and may conclude a category,
 * manufacturer, model or operating system, with a confidence and the evidence (frame number, field,
 * value) it relied on. Rules are independent and ordered; the most confident conclusion per
 * attribute wins (earlier rule on ties), and every rule that fired is kept for the explanation.
 */
import { canonicalManufacturer, resolveCategory } from '../../inventory/index.js';
import { servicesOf, type EndpointProfile, type Facts } from './profile.js';

export interface Evidence {
  frame: number;
  /** profile field, e.g. "dicom.storesSent", "hl7MessagesSent", "dhcpVendorClasses", "services" */
  field: string;
  value: string;
}

export interface RuleConclusion {
  category?: string;
  manufacturer?: string;
  model?: string;
  operatingSystem?: string;
  /** 0..1 */
  confidence: number;
  evidence: Evidence[];
}

export interface RuleContext {
  vendorOf(mac: string): string | undefined;
}

export interface InferenceRule {
  id: string;
  description: string;
  when(p: EndpointProfile, ctx: RuleContext): RuleConclusion | undefined;
}

const facts = (field: string, f: Facts, pick?: (v: string) => boolean): Evidence[] =>
  [...f].filter(([v]) => !pick || pick(v)).slice(0, 4).map(([value, frame]) => ({ frame, field, value }));

/** DICOM modality codes -> taxonomy category of the device that produces them. */
export const MODALITY_CATEGORIES: Readonly<Record<string, string>> = {
  CT: 'ct-scanner', MR: 'mri-scanner', US: 'ultrasound', CR: 'x-ray', DX: 'x-ray', IO: 'x-ray', MG: 'mammography',
  XA: 'angiography', RF: 'fluoroscopy', NM: 'nuclear-medicine', PT: 'nuclear-medicine', RTIMAGE: 'radiation-therapy',
  RTRECORD: 'radiation-therapy', ECG: 'ecg', HD: 'patient-monitor', EPS: 'ecg', ES: 'endoscopy', OP: 'ophthalmic-device',
};

const DICOM_PORTS = new Set([104, 11112, 4242]);

/** The rule that reads a UPnP description's manufacturer (devices.ts sends its serial number with it). */
export const UPNP_MANUFACTURER_RULE = 'upnp.manufacturer';

/**
 * Standard UPnP device types (UPnP Forum "urn:schemas-upnp-org:device:<Name>:<v>") -> category and how
 * much the type alone says. A media renderer is as often a Windows PC or a TV as anything else.
 */
export const UPNP_DEVICE_CATEGORIES: Readonly<Record<string, { category: string; confidence: number }>> = {
  Printer: { category: 'printer', confidence: 0.6 },
  DigitalSecurityCamera: { category: 'ip-camera', confidence: 0.55 },
  InternetGatewayDevice: { category: 'network-infrastructure', confidence: 0.5 },
  WANDevice: { category: 'network-infrastructure', confidence: 0.5 },
  WANConnectionDevice: { category: 'network-infrastructure', confidence: 0.5 },
  LANDevice: { category: 'network-infrastructure', confidence: 0.5 },
  WLANAccessPointDevice: { category: 'network-infrastructure', confidence: 0.5 },
  HVAC_System: { category: 'building-automation', confidence: 0.5 },
  HVAC_ZoneThermostat: { category: 'building-automation', confidence: 0.5 },
  BinaryLight: { category: 'building-automation', confidence: 0.45 },
  DimmableLight: { category: 'building-automation', confidence: 0.45 },
  SolarProtectionBlind: { category: 'building-automation', confidence: 0.45 },
  SensorManagement: { category: 'environmental-sensor', confidence: 0.4 },
  MediaRenderer: { category: 'iot-other', confidence: 0.25 },
  MediaServer: { category: 'iot-other', confidence: 0.25 },
};

/** "urn:schemas-upnp-org:device:Printer:1" -> { domain: "schemas-upnp-org", name: "Printer" } */
function upnpType(urn: string): { domain: string; name: string } | undefined {
  const parts = urn.split(':');
  return parts.length === 5 && parts[0]?.toLowerCase() === 'urn' && parts[2] === 'device' && parts[3] ? { domain: parts[1] as string, name: parts[3] } : undefined;
}

/** "PatientMonitor" / "infusion_pump" -> "Patient Monitor" / "infusion pump", for the taxonomy's phrase match */
const words = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ');

/**
 * Categories a free-text UPnP name says too little about: "UPnP/AV 1.0 Compliant Media Server" is
 * Windows media sharing as often as a NAS, so it must not outvote the evidence of what the host is.
 */
const VAGUE_CATEGORIES = new Set(['server', 'workstation', 'iot-other', 'unclassified']);
const specificCategory = (text: string): string | undefined => {
  const c = resolveCategory(text);
  return c && !VAGUE_CATEGORIES.has(c.id) ? c.id : undefined;
};
const LAB_APP = /LAB|\bLIS\b|ANALY[SZ]|COBAS|SYSMEX|ARCHITECT|ALINITY|ATELLICA|VITROS|\bDX[HI]\b|\bABL\d*|RAPIDPOINT|I-?STAT|CENTAUR|ADVIA|VITEK|LIAISON|IMMULITE/i;

export const DISCOVERY_RULES: readonly InferenceRule[] = [
  {
    id: 'dicom.store-scp',
    description: 'accepts DICOM associations and receives C-STORE: an image archive (PACS)',
    when: (p) => {
      if (p.dicom.acceptedAssociation === undefined || p.dicom.storesReceived.size === 0) return undefined;
      const ports = servicesOf(p, 'dicom', 'server').map((s) => s.port);
      return {
        category: 'pacs',
        confidence: ports.some((x) => DICOM_PORTS.has(x)) ? 0.8 : 0.7,
        evidence: [{ frame: p.dicom.acceptedAssociation, field: 'dicom.acceptedAssociation', value: `port ${ports.join(',')}` }, ...facts('dicom.storesReceived', p.dicom.storesReceived)],
      };
    },
  },
  {
    id: 'dicom.scp-port',
    description: 'serves DICOM on a DICOM port (104, 11112, 4242) without stores seen: probably a PACS or DICOM node',
    when: (p) => {
      const served = servicesOf(p, 'dicom', 'server').filter((s) => DICOM_PORTS.has(s.port));
      const first = served[0];
      if (!first || p.dicom.storesReceived.size > 0) return undefined;
      return { category: 'pacs', confidence: 0.45, evidence: [{ frame: first.firstFrame, field: 'services', value: `dicom/server/${first.port}` }] };
    },
  },
  {
    id: 'dicom.modality-store',
    description: 'sends C-STORE of exactly one imaging modality (e.g. CT Image Storage -> CT scanner)',
    when: (p) => {
      const modalities = [...p.dicom.storesSent.keys()].filter((m) => MODALITY_CATEGORIES[m] !== undefined);
      const m = modalities[0];
      if (modalities.length !== 1 || m === undefined) return undefined;
      return { category: MODALITY_CATEGORIES[m]!, confidence: 0.7, evidence: facts('dicom.storesSent', p.dicom.storesSent) };
    },
  },
  {
    id: 'dicom.multi-modality-sender',
    description: 'sends C-STORE of several modalities: a workstation, router or test tool rather than one modality',
    when: (p) => {
      const modalities = [...p.dicom.storesSent.keys()].filter((m) => MODALITY_CATEGORIES[m] !== undefined);
      if (modalities.length < 2) return undefined;
      return { category: 'imaging-workstation', confidence: 0.35, evidence: facts('dicom.storesSent', p.dicom.storesSent) };
    },
  },
  {
    id: 'hl7.lab-results-sender',
    description: 'sends HL7 ORU (results) from an application named like a laboratory system or analyzer',
    when: (p) => {
      const oru = [...p.hl7MessagesSent].find(([t]) => t.startsWith('ORU') || t.startsWith('OUL'));
      const lab = [...p.hl7Applications].find(([a]) => LAB_APP.test(a));
      if (!oru || !lab) return undefined;
      return {
        category: 'lab-analyzer',
        confidence: 0.6,
        evidence: [
          { frame: oru[1], field: 'hl7MessagesSent', value: oru[0] },
          { frame: lab[1], field: 'hl7Applications', value: lab[0] },
        ],
      };
    },
  },
  {
    id: 'hl7.interface-engine',
    description: 'sends four or more HL7 message types, or both sends and serves HL7: an interface engine',
    when: (p) => {
      const serves = servicesOf(p, 'hl7', 'server').length > 0 && servicesOf(p, 'hl7', 'client').length > 0;
      const types = new Set([...p.hl7MessagesSent.keys()].map((t) => t.split('^')[0]).filter((t) => t !== 'ACK'));
      if (!serves && types.size < 4) return undefined;
      return { category: 'interface-engine', confidence: 0.5, evidence: facts('hl7MessagesSent', p.hl7MessagesSent) };
    },
  },
  {
    id: 'hl7.adt-sender',
    description: 'sends HL7 ADT (admissions): a clinical information system',
    when: (p) => {
      const adt = facts('hl7MessagesSent', p.hl7MessagesSent, (t) => t.startsWith('ADT'));
      return adt.length > 0 ? { category: 'clinical-information-system', confidence: 0.4, evidence: [...adt, ...facts('hl7Applications', p.hl7Applications)] } : undefined;
    },
  },
  {
    id: 'dhcp.msft-vendor-class',
    description: "DHCP vendor class 'MSFT 5.0' (option 60): a Windows computer",
    when: (p) => {
      const ev = facts('dhcpVendorClasses', p.dhcpVendorClasses, (v) => v.startsWith('MSFT'));
      return ev.length > 0 ? { category: 'workstation', operatingSystem: 'Windows', confidence: 0.5, evidence: ev } : undefined;
    },
  },
  {
    id: 'http.windows-user-agent',
    description: 'an HTTP user agent naming Windows NT: a Windows computer',
    when: (p) => {
      const ev = facts('httpUserAgents', p.httpUserAgents, (v) => /Windows NT/.test(v));
      return ev.length > 0 ? { category: 'workstation', operatingSystem: 'Windows', confidence: 0.35, evidence: ev } : undefined;
    },
  },
  {
    id: 'port.printer',
    description: 'serves raw printing (9100) or IPP (631): a printer',
    when: (p) => {
      const s = [...p.services.values()].find((x) => x.role === 'server' && (x.port === 9100 || x.port === 631));
      return s ? { category: 'printer', confidence: 0.5, evidence: [{ frame: s.firstFrame, field: 'services', value: `${s.protocol}/server/${s.port}` }] } : undefined;
    },
  },
  {
    id: 'port.rtsp-camera',
    description: 'serves RTSP (554): a camera',
    when: (p) => {
      const s = [...p.services.values()].find((x) => x.role === 'server' && x.port === 554);
      return s ? { category: 'ip-camera', confidence: 0.4, evidence: [{ frame: s.firstFrame, field: 'services', value: `${s.protocol}/server/554` }] } : undefined;
    },
  },
  {
    id: 'mqtt.client',
    description: 'an MQTT client with no stronger evidence: an IoT device or sensor',
    when: (p) => {
      const ev = facts('mqttClientIds', p.mqttClientIds);
      return ev.length > 0 ? { category: 'iot-other', confidence: 0.3, evidence: ev } : undefined;
    },
  },
  {
    id: 'upnp.device-type',
    description: 'a standard UPnP device type its description declares (Printer, DigitalSecurityCamera, InternetGatewayDevice, ...)',
    when: (p) => {
      let best: { category: string; confidence: number; frame: number; value: string } | undefined;
      for (const [urn, frame] of p.upnpDeviceTypes) {
        const t = upnpType(urn);
        const hit = t && t.domain === 'schemas-upnp-org' ? UPNP_DEVICE_CATEGORIES[t.name] : undefined;
        if (hit && (!best || hit.confidence > best.confidence)) best = { ...hit, frame, value: urn };
      }
      return best ? { category: best.category, confidence: best.confidence, evidence: [{ frame: best.frame, field: 'upnpDeviceTypes', value: best.value }] } : undefined;
    },
  },
  {
    id: 'upnp.vendor-device-type',
    description: "a vendor's own UPnP device type or model description naming a device category (e.g. PatientMonitor, 'Infusion Pump')",
    when: (p) => {
      for (const [urn, frame] of p.upnpDeviceTypes) {
        const t = upnpType(urn);
        const c = t && t.domain !== 'schemas-upnp-org' ? specificCategory(words(t.name)) : undefined;
        if (c) return { category: c, confidence: 0.5, evidence: [{ frame, field: 'upnpDeviceTypes', value: urn }] };
      }
      for (const [text, frame] of p.modelDescriptions) {
        const c = specificCategory(text);
        if (c) return { category: c, confidence: 0.4, evidence: [{ frame, field: 'modelDescriptions', value: text }] };
      }
      return undefined;
    },
  },
  {
    id: UPNP_MANUFACTURER_RULE,
    description: 'the manufacturer a UPnP device description names (the device speaking for itself, not its network module)',
    when: (p) => {
      for (const [name, frame] of p.announcedManufacturers) {
        const manufacturer = canonicalManufacturer(name);
        if (manufacturer) return { manufacturer, confidence: 0.55, evidence: [{ frame, field: 'announcedManufacturers', value: name }] };
      }
      return undefined;
    },
  },
  {
    id: 'announced-model',
    description: 'a model announced by mDNS TXT records, SNMP sysDescr or a UPnP device description',
    when: (p) => {
      const first = [...p.announcedModels][0];
      if (!first) return undefined;
      const model = first[0].includes('=') ? first[0].slice(first[0].indexOf('=') + 1) : first[0];
      return { model: model.slice(0, 120), confidence: 0.5, evidence: [{ frame: first[1], field: 'announcedModels', value: first[0] }] };
    },
  },
  {
    id: 'oui.vendor',
    description: 'the IEEE registry names the maker of the network interface (often a module vendor, hence low confidence)',
    when: (p, ctx) => {
      for (const [mac, frame] of p.macs) {
        const vendor = ctx.vendorOf(mac);
        const manufacturer = vendor === undefined ? undefined : canonicalManufacturer(vendor);
        if (vendor && manufacturer) return { manufacturer, confidence: 0.3, evidence: [{ frame, field: 'macs', value: `${mac} (${vendor})` }] };
      }
      return undefined;
    },
  },
];

export interface InferredValue {
  value: string;
  confidence: number;
  rule: string;
  evidence: Evidence[];
}

export interface Inference {
  category?: InferredValue;
  manufacturer?: InferredValue;
  model?: InferredValue;
  operatingSystem?: InferredValue;
  /** every rule that fired, in rule order */
  fired: Array<{ rule: string; description: string } & RuleConclusion>;
}

const ATTRS = ['category', 'manufacturer', 'model', 'operatingSystem'] as const;

export function inferProfile(p: EndpointProfile, ctx: RuleContext, rules: readonly InferenceRule[] = DISCOVERY_RULES): Inference {
  const out: Inference = { fired: [] };
  for (const rule of rules) {
    const c = rule.when(p, ctx);
    if (!c) continue;
    out.fired.push({ rule: rule.id, description: rule.description, ...c });
    for (const a of ATTRS) {
      const v = c[a];
      if (v === undefined) continue;
      const cur = out[a];
      if (!cur || c.confidence > cur.confidence) out[a] = { value: v, confidence: c.confidence, rule: rule.id, evidence: c.evidence };
    }
  }
  return out;
}

