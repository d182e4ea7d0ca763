/**
 * @module Plausible application payloads for synthetic captures: DICOM upper-layer PDUs (PS3.8),
 * HL7 v2 over MLLP, MQTT 3.1.1 packets, TLS 1.2 hellos with SNI, DNS queries/answers and DHCP
 * DISCOVER/OFFER. Shaped like the real protocols so dissectors have something honest to chew on;
 * not a conformance reference.
 */
import { concatBytes } from './pcap-writer.js';

const enc = (s: string) => new TextEncoder().encode(s);
const u16 = (n: number) => Uint8Array.of((n >> 8) & 255, n & 255);
const u32 = (n: number) => Uint8Array.of((n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
const pad = (s: string, n: number) => enc(s.padEnd(n, ' ').slice(0, n));

const dicomItem = (type: number, body: Uint8Array) => concatBytes([Uint8Array.of(type, 0), u16(body.length), body]);
const dicomPdu = (type: number, body: Uint8Array) => concatBytes([Uint8Array.of(type, 0), u32(body.length), body]);

export function dicomAssociate(rq: boolean, calling: string, called: string): Uint8Array {
  const ctx = concatBytes([
    Uint8Array.of(1, 0, rq ? 0 : 0, 0),
    ...(rq ? [dicomItem(0x30, enc('1.2.840.10008.5.1.4.1.1.2'))] : []),
    dicomItem(0x40, enc('1.2.840.10008.1.2.1')),
  ]);
  const user = dicomItem(0x50, concatBytes([dicomItem(0x51, u32(16384)), dicomItem(0x52, enc('1.2.826.0.1.3680043.9.7433')), dicomItem(0x55, enc('CAREGUARD_SIM_1'))]));
  return dicomPdu(
    rq ? 0x01 : 0x02,
    concatBytes([u16(1), u16(0), pad(called, 16), pad(calling, 16), new Uint8Array(32), dicomItem(0x10, enc('1.2.840.10008.3.1.1.1')), dicomItem(rq ? 0x20 : 0x21, ctx), user]),
  );
}

/** P-DATA-TF PDUs carrying `object` in PDVs of at most `maxPdv` bytes. */
export function dicomPData(object: Uint8Array, maxPdv = 16_372): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let off = 0; off < object.length; off += maxPdv) {
    const part = object.subarray(off, off + maxPdv);
    const last = off + maxPdv >= object.length;
    out.push(dicomPdu(0x04, concatBytes([u32(part.length + 2), Uint8Array.of(1, last ? 0x02 : 0x00), part])));
  }
  return out;
}

/** A C-STORE-RSP command (implicit VR little endian) in one P-DATA-TF PDU, status success. */
export function dicomStoreResponse(messageId: number): Uint8Array {
  const el = (group: number, elem: number, value: Uint8Array) =>
    concatBytes([Uint8Array.of(group & 255, group >> 8, elem & 255, elem >> 8), Uint8Array.of(value.length, 0, 0, 0), value]);
  const us = (n: number) => Uint8Array.of(n & 255, n >> 8);
  const body = concatBytes([el(0, 0x0002, enc('1.2.840.10008.5.1.4.1.1.2\0')), el(0, 0x0100, us(0x8001)), el(0, 0x0120, us(messageId)), el(0, 0x0800, us(0x0101)), el(0, 0x0900, us(0))]);
  const cmd = concatBytes([el(0, 0x0000, Uint8Array.of(body.length & 255, body.length >> 8, 0, 0)), body]);
  return dicomPdu(0x04, concatBytes([u32(cmd.length + 2), Uint8Array.of(1, 0x03), cmd]));
}

/** A dataset holding one Pixel Data element (explicit VR little endian), for P-DATA transfers. */
export function dicomPixelDataset(pixels: Uint8Array): Uint8Array {
  const even = pixels.subarray(0, pixels.length & ~1);
  const header = Uint8Array.of(0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x42, 0, 0, even.length & 255, (even.length >>> 8) & 255, (even.length >>> 16) & 255, even.length >>> 24);
  return concatBytes([header, even]);
}

export const dicomRelease = (rq: boolean): Uint8Array => dicomPdu(rq ? 0x05 : 0x06, new Uint8Array(4));

export function hl7Mllp(n: number, ack: boolean): Uint8Array {
  const ts = '20240101120000';
  const msg = ack
    ? `MSH|^~\\&|EMR|HOSP|PUMP${n % 97}|ICU|${ts}||ACK^R01|ACK${n}|P|2.5\rMSA|AA|MSG${n}\r`
    : `MSH|^~\\&|PUMP${n % 97}|ICU|EMR|HOSP|${ts}||ORU^R01|MSG${n}|P|2.5\rPID|||MRN${100000 + n}||DOE^JANE\rOBX|1|NM|8867-4^Heart rate^LN||${60 + (n % 40)}|/min|||||F\rOBX|2|NM|2708-6^SpO2^LN||${90 + (n % 10)}|%|||||F\r`;
  return concatBytes([Uint8Array.of(0x0b), enc(msg), Uint8Array.of(0x1c, 0x0d)]);
}

function mqttPacket(type: number, body: Uint8Array): Uint8Array {
  const len: number[] = [];
  let x = body.length;
  do {
    let b = x % 128;
    x = Math.floor(x / 128);
    if (x > 0) b |= 128;
    len.push(b);
  } while (x > 0);
  return concatBytes([Uint8Array.of(type, ...len), body]);
}

const mqttString = (s: string) => concatBytes([u16(enc(s).length), enc(s)]);

export const mqttConnect = (clientId: string): Uint8Array =>
  mqttPacket(0x10, concatBytes([mqttString('MQTT'), Uint8Array.of(4, 0x02), u16(60), mqttString(clientId)]));
export const mqttConnack = (): Uint8Array => Uint8Array.of(0x20, 2, 0, 0);
export const mqttPublish = (topic: string, payload: string): Uint8Array => mqttPacket(0x30, concatBytes([mqttString(topic), enc(payload)]));
export const mqttDisconnect = (): Uint8Array => Uint8Array.of(0xe0, 0);

const tlsRecord = (type: number, body: Uint8Array) => concatBytes([Uint8Array.of(type, 3, 1), u16(body.length), body]);
const handshake = (type: number, body: Uint8Array) => concatBytes([Uint8Array.of(type, 0, (body.length >> 8) & 255, body.length & 255), body]);

export function tlsClientHello(sni: string, random: Uint8Array): Uint8Array {
  const name = enc(sni);
  const sniExt = concatBytes([u16(0), u16(name.length + 5), u16(name.length + 3), Uint8Array.of(0), u16(name.length), name]);
  const body = concatBytes([u16(0x0303), random.subarray(0, 32), Uint8Array.of(0), u16(6), u16(0xc02f), u16(0xc030), u16(0x009c), Uint8Array.of(1, 0), u16(sniExt.length), sniExt]);
  return tlsRecord(0x16, handshake(1, body));
}

export function tlsServerHello(random: Uint8Array): Uint8Array {
  return tlsRecord(0x16, handshake(2, concatBytes([u16(0x0303), random.subarray(0, 32), Uint8Array.of(0), u16(0xc02f), Uint8Array.of(0), u16(0)])));
}

export const tlsAppData = (bytes: Uint8Array): Uint8Array => tlsRecord(0x17, bytes);

function dnsName(name: string): Uint8Array {
  return concatBytes([...name.split('.').map((l) => concatBytes([Uint8Array.of(l.length), enc(l)])), Uint8Array.of(0)]);
}

export function dnsMessage(id: number, name: string, answer?: [number, number, number, number]): Uint8Array {
  const q = concatBytes([dnsName(name), u16(1), u16(1)]);
  const header = concatBytes([u16(id), u16(answer ? 0x8180 : 0x0100), u16(1), u16(answer ? 1 : 0), u16(0), u16(0)]);
  if (!answer) return concatBytes([header, q]);
  return concatBytes([header, q, u16(0xc00c), u16(1), u16(1), u32(300), u16(4), Uint8Array.from(answer)]);
}

export function dhcpMessage(offer: boolean, xid: number, mac: Uint8Array, hostName: string): Uint8Array {
  const bootp = new Uint8Array(236);
  bootp.set([offer ? 2 : 1, 1, 6, 0]);
  bootp.set(u32(xid), 4);
  if (offer) bootp.set([10, 0, 0, 50], 16);
  bootp.set(mac, 28);
  const opts = concatBytes([Uint8Array.of(0x63, 0x82, 0x53, 0x63, 53, 1, offer ? 2 : 1, 12, hostName.length), enc(hostName), Uint8Array.of(60, 8), enc('MDEV-1.0'), Uint8Array.of(255)]);
  return concatBytes([bootp, opts]);
}
