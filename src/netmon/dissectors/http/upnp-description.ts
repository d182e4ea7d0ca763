/**
 * @module Reads a UPnP device description (UDA 2.0 section 2.3: the XML a control point fetches from the
 * LOCATION URL of an SSDP announcement) into the identity it declares: device type, friendly name,
 * manufacturer, model name/number/description, serial number, UDN, presentation URL, and the embedded
 * devices (bounded). Anything that is not a UPnP device description reads as undefined.
 */
import { readXmlLeaves, type XmlLeaf } from '../support/xml-leaves.js';
import type { MessageHead } from './head.js';
import type { BodyRule } from './stream.js';

export const UPNP_DEVICE_NAMESPACE = 'urn:schemas-upnp-org:device-1-0';
/** embedded devices reported per description */
export const MAX_EMBEDDED_DEVICES = 16;

export interface UpnpDevice {
  deviceType: string | null;
  /** "MediaRenderer" of "urn:schemas-upnp-org:device:MediaRenderer:1" (any vendor domain) */
  deviceTypeName: string | null;
  friendlyName: string | null;
  manufacturer: string | null;
  modelName: string | null;
  modelNumber: string | null;
  modelDescription: string | null;
  serialNumber: string | null;
  udn: string | null;
}

export interface UpnpDescription extends UpnpDevice {
  presentationUrl: string | null;
  urlBase: string | null;
  specVersion: string | null;
  embeddedDevices: UpnpDevice[];
  /** more embedded devices were listed than reported */
  embeddedDevicesTruncated: boolean;
  /** false when the document was cut short (body prefix) before its root element ended */
  complete: boolean;
}

const FIELDS: ReadonlyMap<string, keyof UpnpDevice> = new Map<string, keyof UpnpDevice>([
  ['deviceType', 'deviceType'],
  ['friendlyName', 'friendlyName'],
  ['manufacturer', 'manufacturer'],
  ['modelName', 'modelName'],
  ['modelNumber', 'modelNumber'],
  ['modelDescription', 'modelDescription'],
  ['serialNumber', 'serialNumber'],
  ['UDN', 'udn'],
]);

const MAX_VALUE = 256;

const blankDevice = (): UpnpDevice => ({
  deviceType: null, deviceTypeName: null, friendlyName: null, manufacturer: null, modelName: null,
  modelNumber: null, modelDescription: null, serialNumber: null, udn: null,
});

/** "urn:schemas-upnp-org:device:MediaRenderer:1" -> "MediaRenderer" */
export function upnpDeviceTypeName(type: string): string | null {
  const parts = type.split(':');
  return parts.length === 5 && parts[0] === 'urn' && parts[2] === 'device' && (parts[3] ?? '').length > 0 ? (parts[3] as string) : null;
}

/** Throws XmlLeavesError (code netmon.xml.*) on malformed XML; undefined when it is XML of another kind. */
export function readUpnpDescription(xml: string): UpnpDescription | undefined {
  const doc = readXmlLeaves(xml, { maxText: MAX_VALUE * 2 });
  if (doc.rootName !== 'root' || doc.rootNamespace !== UPNP_DEVICE_NAMESPACE) return undefined;
  const out: UpnpDescription = { ...blankDevice(), presentationUrl: null, urlBase: null, specVersion: null, embeddedDevices: [], embeddedDevicesTruncated: false, complete: doc.complete };
  const embedded = new Map<number, UpnpDevice>();
  const spec: string[] = [];
  for (const leaf of doc.leaves) {
    const p = leaf.path;
    const value = leaf.text.length === 0 ? null : leaf.text.slice(0, MAX_VALUE);
    if (p.length === 2 && p[1] === 'URLBase') out.urlBase = value;
    else if (p.length === 3 && p[1] === 'specVersion' && value !== null) spec.push(value);
    else if (p.length === 3 && p[1] === 'device') {
      if (p[2] === 'presentationURL') out.presentationUrl = value;
      else setField(out, leaf, value);
    } else if (p.length > 4 && p[p.length - 2] === 'device' && p[p.length - 3] === 'deviceList' && FIELDS.has(p[p.length - 1] as string)) {
      let d = embedded.get(leaf.parent);
      if (!d) {
        if (embedded.size >= MAX_EMBEDDED_DEVICES) {
          out.embeddedDevicesTruncated = true;
          continue;
        }
        embedded.set(leaf.parent, (d = blankDevice()));
      }
      setField(d, leaf, value);
    }
  }
  out.specVersion = spec.length === 2 ? `${spec[0]}.${spec[1]}` : null;
  out.embeddedDevices = [...embedded.values()];
  return out;
}

function setField(d: UpnpDevice, leaf: XmlLeaf, value: string | null): void {
  const field = FIELDS.get(leaf.path[leaf.path.length - 1] as string);
  if (field === undefined || field === 'deviceTypeName') return;
  d[field] = value;
  if (field === 'deviceType') d.deviceTypeName = value === null ? null : upnpDeviceTypeName(value);
}

/** prefix of an XML response body kept to read a device description (they are a few KiB) */
export const MAX_XML_BODY = 16 * 1024;
/** a response declaring a longer body is not a device description worth reading */
const MAX_XML_DECLARED = 1024 * 1024;
const XML_TYPE = /^\s*(text|application)\/([\w.+-]+\+)?xml\s*(;|$)/i;

/** an XML body (or one without a type) that is not compressed and not declared too large to be a description */
export function mayBeDescription(h: MessageHead, rule: BodyRule): boolean {
  const type = h.headers.get('content-type');
  if (type !== undefined && !XML_TYPE.test(type)) return false;
  const coding = h.headers.get('content-encoding');
  if (coding !== undefined && !/^\s*identity\s*$/i.test(coding)) return false;
  return rule.kind !== 'length' || rule.length <= MAX_XML_DECLARED;
}

/** starts, after an optional BOM and whitespace, with an XML declaration or an element */
export function looksLikeXml(text: string): boolean {
  const t = text.replace(/^\ufeff?\s{0,64}/, '');
  return t.startsWith('<?xml') || /^<[\w.:-]{1,64}[\s/>]/.test(t);
}
