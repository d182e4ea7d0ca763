/**
 * @module Device identity from mDNS / DNS-SD records (RFC 6763): service instance names ("Infusion Pump 7"
 * from "Infusion Pump 7._ipp._tcp.local"), service types, .local host names, HINFO, and model hints from
 * well-known TXT keys (md, model, ty, usb_MDL, product, manufacturer, fn).
 */
import type { DnsMessage, ResourceRecord } from '../dns/message.js';

const MAX_ITEMS = 32;
const MODEL_KEYS = new Set(['md', 'model', 'ty', 'usb_mdl', 'usb_mfg', 'product', 'manufacturer', 'mfg', 'fn', 'am', 'vendor']);

export interface MdnsIdentity {
  deviceNames: string[];
  services: string[];
  hostnames: string[];
  models: Record<string, string>;
  hinfo: { cpu: string | null; os: string | null } | null;
}

/** "Name._svc._tcp.local" -> ["Name", "_svc._tcp"]; labels may contain escaped dots */
function splitInstance(name: string): [string, string] | undefined {
  const m = /^(.+?)\.(_[^.]+\._(?:tcp|udp))\.local\.?$/i.exec(name);
  return m ? [(m[1] as string).replace(/\\\./g, '.'), m[2] as string] : undefined;
}

const add = (set: Set<string>, v: string) => {
  if (set.size < MAX_ITEMS) set.add(v);
};

export function mdnsIdentity(m: DnsMessage): MdnsIdentity {
  const names = new Set<string>();
  const services = new Set<string>();
  const hosts = new Set<string>();
  const models: Record<string, string> = {};
  let hinfo: MdnsIdentity['hinfo'] = null;
  const records: ResourceRecord[] = [...m.answers, ...m.authorities, ...m.additionals];
  for (const q of m.questions) {
    const svc = /^(_[^.]+\._(?:tcp|udp))\.local\.?$/i.exec(q.name);
    if (svc) add(services, svc[1] as string);
  }
  for (const rr of records) {
    const owner = splitInstance(rr.name);
    if (owner) {
      add(names, owner[0]);
      add(services, owner[1]);
    }
    if (rr.type === 'PTR' && typeof rr.data === 'string') {
      const target = splitInstance(rr.data);
      if (target) {
        add(names, target[0]);
        add(services, target[1]);
      }
    }
    if ((rr.type === 'A' || rr.type === 'AAAA') && /\.local\.?$/i.test(rr.name)) add(hosts, rr.name);
    if (rr.type === 'SRV' && rr.data && typeof rr.data === 'object' && !Array.isArray(rr.data)) {
      const target = (rr.data as { target?: unknown }).target;
      if (typeof target === 'string') add(hosts, target);
    }
    if (rr.type === 'HINFO' && rr.data && typeof rr.data === 'object' && !Array.isArray(rr.data)) hinfo = rr.data as MdnsIdentity['hinfo'];
    if (rr.type === 'TXT' && Array.isArray(rr.data)) {
      for (const entry of rr.data) {
        const eq = entry.indexOf('=');
        if (eq <= 0) continue;
        const key = entry.slice(0, eq).toLowerCase();
        if (MODEL_KEYS.has(key) && !(key in models)) models[key] = entry.slice(eq + 1, eq + 129);
      }
    }
  }
  return { deviceNames: [...names], services: [...services], hostnames: [...hosts], models, hinfo };
}
