/**
 * @module SSDP (UPnP discovery over UDP 1900, HTTPU) dissector: M-SEARCH, NOTIFY and search responses with
 * the device identity they carry: device/service type (NT/ST), UUID (USN), description URL (LOCATION) and
 * the SERVER / USER-AGENT product tokens that name OS and firmware.
 */
import type { Direction, FlowKey, FrameMeta, ObservationSink, StreamConsumer } from '../../model.js';
import type { Detection, Dissector } from '../contract.js';
import { DissectorError } from '../errors.js';
import { parseHead, type MessageHead } from '../http/head.js';
import { flowEmitter, type Emit } from '../support/emitter.js';
import { cleanText } from '../support/text.js';

const ID = 'ssdp';
const VERSION = '1.0.0';
const MAX_DATAGRAM_TEXT = 8192;
const latin1 = new TextDecoder('latin1');

const START = /^(M-SEARCH \* HTTP\/1\.[01]|NOTIFY \* HTTP\/1\.[01]|HTTP\/1\.[01] 200)/;

function detect(b: Uint8Array): Detection {
  const text = latin1.decode(b.subarray(0, 1024));
  if (!START.test(text)) return 'no';
  return /\r?\n(ST|NT|USN|MAN)\s*:/i.test(text) ? 'yes' : 'no';
}

const h = (m: MessageHead, name: string, max = 256): string | null => {
  const v = m.headers.get(name);
  return v === undefined ? null : cleanText(v, max);
};

/** "urn:schemas-upnp-org:device:MediaRenderer:1" -> "MediaRenderer" */
function upnpType(v: string | null): { kind: 'device' | 'service'; name: string } | null {
  const m = v === null ? null : /^urn:[^:]+:(device|service):([^:]+):\d+$/.exec(v);
  return m ? { kind: m[1] as 'device' | 'service', name: m[2] as string } : null;
}

/** product tokens "Linux/4.9 UPnP/1.0 Acme-Monitor/2.1" -> [{name, version}] without the UPnP token */
function productTokens(v: string | null): { name: string; version: string | null }[] {
  if (v === null) return [];
  return v
    .split(/[\s,]+/)
    .filter((t) => t.length > 0 && !/^UPnP\//i.test(t))
    .slice(0, 8)
    .map((t) => {
      const slash = t.indexOf('/');
      return slash < 0 ? { name: t, version: null } : { name: t.slice(0, slash), version: t.slice(slash + 1) };
    });
}

class SsdpConsumer implements StreamConsumer {
  constructor(private readonly emit: Emit) {}

  onData(dir: Direction, data: Uint8Array, meta: FrameMeta): void {
    const text = latin1.decode(data.subarray(0, MAX_DATAGRAM_TEXT));
    const end = text.search(/\r?\n\r?\n/);
    const m = parseHead(end < 0 ? text : text.slice(0, end));
    if (!m) throw new DissectorError('ssdp', 'bad-start-line', 'not an SSDP request or response', 0);
    const kind = m.start.kind === 'response' ? 'ssdp.response' : m.start.method === 'NOTIFY' ? 'ssdp.notify' : 'ssdp.search';
    const target = h(m, m.start.kind === 'request' && m.start.method === 'M-SEARCH' ? 'st' : 'nt') ?? h(m, 'st');
    const usn = h(m, 'usn');
    const server = h(m, 'server') ?? h(m, 'user-agent');
    this.emit(kind, dir, meta, {
      target,
      targetType: upnpType(target),
      notificationSubType: h(m, 'nts', 64),
      usn,
      uuid: usn === null ? null : (/uuid:([0-9a-fA-F-]{8,64})/.exec(usn)?.[1] ?? null),
      location: h(m, 'location', 512),
      server,
      products: productTokens(server),
      cacheControl: h(m, 'cache-control', 64),
    });
  }
}

export const ssdpDissector: Dissector = {
  id: ID,
  version: VERSION,
  transport: 'udp',
  defaultPorts: [1900],
  detect,
  create(key: FlowKey, emit: ObservationSink): StreamConsumer {
    return new SsdpConsumer(flowEmitter({ id: ID, version: VERSION }, key, emit));
  },
};
