/**
 * @module What each observation kind tells discovery about the endpoints of its flow: AE titles,
 * HL7 applications, MQTT client ids, software versions, HTTP/DHCP/TLS fingerprints, host names,
 * announced names and models (mDNS, SNMP, UPnP device descriptions) and wire findings, each recorded
 * on the side that said it with the frame as evidence.
 */
import type { Observation } from '../model.js';
import type { DiscoveryBuilder } from './builder.js';
import { addFact, addFinding, type EndpointProfile } from './profile.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim().length > 0 ? v.trim() : undefined);
const rec = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const IP_LIKE = /^[0-9.]+$|:/;

export function absorbObservation(b: DiscoveryBuilder, o: Observation): void {
  const f = o.fields;
  if (o.kind === 'dhcp.request' || o.kind === 'dhcp.reply') return absorbDhcp(b, o);
  const state = o.flow ? b.flowState(o.flow) : undefined;
  if (state && o.kind === 'dicom.associate-rq') {
    state.callingAe = str(f.callingAe);
    state.calledAe = str(f.calledAe);
  } else if (state && o.kind === 'dicom.associate-ac') {
    state.accepted = true;
  }
  const { sender, receiver, client, server } = b.sides(o);
  for (const finding of o.findings ?? []) {
    const target = o.dir ? sender : server;
    if (target) addFinding(target, finding.code, finding.severity, finding.message, o.frame);
  }
  const n = o.frame;
  switch (o.kind) {
    case 'dicom.associate-rq':
      if (!client) return;
      addFact(client.dicomImplementations, f.implementationVersionName, n);
      addSoftware(client, f.software, n);
      for (const h of arr(f.deviceHints)) addFact(client.dicom.deviceHints, h, n);
      for (const pc of arr(f.presentationContexts)) if (rec(pc)?.category === 'worklist') client.dicom.worklistQuery ??= n;
      return;
    case 'dicom.associate-ac':
      if (!server) return;
      server.dicom.acceptedAssociation ??= n;
      addFact(server.dicomImplementations, f.implementationVersionName, n);
      addSoftware(server, f.software, n);
      return;
    case 'dicom.dimse': {
      const modality = str(f.modality);
      if (f.command === 'C-STORE-RQ' && modality && sender && receiver) {
        addFact(sender.dicom.storesSent, modality, n);
        addFact(receiver.dicom.storesReceived, modality, n);
      }
      return;
    }
    case 'hl7.message': {
      if (!sender) return;
      const app = str(f.sendingApplication);
      if (app) addFact(sender.hl7Applications, str(f.sendingFacility) ? `${app}^${str(f.sendingFacility)}` : app, n);
      const type = str(f.messageType);
      if (type) addFact(sender.hl7MessagesSent, str(f.triggerEvent) ? `${type}^${str(f.triggerEvent)}` : type, n);
      return;
    }
    case 'mqtt.connect':
      if (client) addFact(client.mqttClientIds, f.clientId, n);
      return;
    case 'http.request': {
      if (client) addFact(client.httpUserAgents, f.userAgent, n, 512);
      const host = str(f.host)?.replace(/:\d+$/, '').toLowerCase();
      if (server && host && !IP_LIKE.test(host)) addFact(server.hostnames, host, n);
      return;
    }
    case 'http.response':
      if (server) addFact(server.httpServers, f.server, n, 512);
      return;
    case 'tls.client-hello': {
      const sni = str(f.sni)?.toLowerCase();
      if (client) {
        addFact(client.tlsSni, sni, n);
        addFact(client.ja3, f.ja3, n);
      }
      if (server && sni) addFact(server.hostnames, sni, n);
      return;
    }
    case 'snmp.message': {
      const sys = rec(f.system);
      if (sender && sys) {
        addFact(sender.announcedModels, sys.sysDescr, n, 512);
        addFact(sender.hostnames, str(sys.sysName)?.toLowerCase(), n);
      }
      return;
    }
    case 'ssdp.notify':
    case 'ssdp.response':
      if (sender) addFact(sender.software, f.server, n, 512);
      return;
    case 'http.upnp-description':
      if (sender) absorbUpnpDescription(sender, f, n);
      return;
    default:
      if (o.protocol === 'dns' || o.protocol === 'mdns') absorbDns(b, o, sender);
  }
}

/**
 * A UPnP device description served by `p` (the HTTP server the LOCATION of its SSDP announcement
 * named): the device's own account of its name, maker, model and serial number.
 */
function absorbUpnpDescription(p: EndpointProfile, f: Record<string, unknown>, frame: number): void {
  addFact(p.friendlyNames, f.friendlyName, frame);
  addFact(p.announcedManufacturers, f.manufacturer, frame);
  addFact(p.announcedModels, upnpModel(str(f.modelName), str(f.modelNumber)), frame);
  addFact(p.modelDescriptions, f.modelDescription, frame);
  addFact(p.serialNumbers, f.serialNumber, frame);
  addFact(p.upnpUdns, str(f.udn)?.toLowerCase(), frame);
  addFact(p.upnpDeviceTypes, f.deviceType, frame);
  for (const d of arr(f.embeddedDevices)) addFact(p.upnpDeviceTypes, rec(d)?.deviceType, frame);
}

/** "IntelliVue MX800" + "866062" -> "IntelliVue MX800 866062"; a number the name already holds is not repeated */
function upnpModel(name: string | undefined, number: string | undefined): string | undefined {
  if (!name) return number;
  return number && !name.includes(number) ? `${name} ${number}` : name;
}

function addSoftware(p: EndpointProfile, software: unknown, frame: number): void {
  const s = rec(software);
  const product = str(s?.product);
  if (product) addFact(p.software, str(s?.version) ? `${product} ${str(s?.version)}` : product, frame);
}

/** DHCP identifies the client by its hardware address, whatever the (often 0.0.0.0) source IP. */
function absorbDhcp(b: DiscoveryBuilder, o: Observation): void {
  const f = o.fields;
  const mac = str(f.clientMac)?.toLowerCase();
  const ip = [f.clientIp, f.yourIp, f.requestedIp].map(str).find((x) => x !== undefined && x !== '0.0.0.0');
  const fromClient = o.kind === 'dhcp.request';
  const fallback = fromClient ? o.flow?.client : undefined;
  // the addresses DHCP hands out or confirms belong to the client's own interface, even a router's
  const p = b.profileFor({ mac: mac ?? fallback?.mac, ip: ip ?? (fromClient ? fallback?.ip : undefined) }, o.frame, o.ts, undefined, undefined, ip !== undefined && mac !== undefined);
  if (!p) return;
  for (const finding of o.findings ?? []) addFinding(p, finding.code, finding.severity, finding.message, o.frame);
  if (!fromClient) return;
  addFact(p.hostnames, str(f.hostname)?.toLowerCase(), o.frame);
  addFact(p.hostnames, str(f.clientFqdn)?.toLowerCase(), o.frame);
  addFact(p.dhcpVendorClasses, f.vendorClass, o.frame);
  addFact(p.dhcpFingerprints, f.parameterRequestList, o.frame);
}

function absorbDns(b: DiscoveryBuilder, o: Observation, sender: EndpointProfile | undefined): void {
  const f = o.fields;
  for (const a of arr(f.answers)) {
    const r = rec(a);
    const name = str(r?.name);
    const data = str(r?.data);
    if (name && data && (r?.type === 'A' || r?.type === 'AAAA')) b.rememberDnsName(data, name, o.frame);
  }
  if (o.protocol !== 'mdns' || !sender) return;
  // mDNS responders announce their own names and models.
  for (const h of arr(f.hostnames)) addFact(sender.hostnames, str(h)?.toLowerCase().replace(/\.$/, ''), o.frame);
  const models = rec(f.models);
  if (models) for (const [k, v] of Object.entries(models)) addFact(sender.announcedModels, typeof v === 'string' ? `${k}=${v}` : undefined, o.frame);
}
