/**
 * A monitor started on a live HL7 connection on a port without late sync (6661) recognises it only by
 * content, from the first bytes of a direction, which lie inside a message. The answer must not depend
 * on where the sender's TCP segments were cut: a first chunk ending inside a segment line waits for
 * more bytes just as one ending on a line break does. Text and binary of other protocols still answer
 * 'no' at every length, so they are not held.
 */
import { describe, expect, it } from 'vitest';
import { producerOf, type Detection } from '../contract.js';
import { createDispatcher } from '../registry.js';
import { ascii, concat, flowKey } from '../testing/harness.js';
import { publish } from '../testing/mqtt.js';
import { records } from '../testing/tls.js';
import { hl7Dissector } from './dissector.js';

const KEY = flowKey('tcp', 6661);
const VT = Uint8Array.of(0x0b);
const END = Uint8Array.of(0x1c, 0x0d);

/** the end of a message whose start came before the capture: the rest of an OBX text, then whole segments */
const IN_PROGRESS = [
  'ed with family, follow-up in 2 weeks\\.br\\Dr. Müller||||||F',
  'PV1|1|I|W^389^1|||||||||||||||V1001',
  'OBX|2|NM|8867-4^Heart rate^LN||72|/min|||||F',
];
const MESSAGES = [
  [
    'MSH|^~\\&|ADT|HOSP|LIS|LAB|20240102030405||ADT^A08^ADT_A01|MSG1|P|2.5',
    'EVN|A08|20240102030405',
    'PID|1||4711^^^MRN||Zoë^Jane||19800101|F',
    'PV1|1|I|W^389^1',
  ],
  ['MSH|^~\\&|LIS|LAB|EHR|HOSP|20240102030500||ORU^R01^ORU_R01|MSG2|P|2.5.1', 'OBR|1||LAB77|GLU', 'OBX|1|NM|GLU||5.4|mmol/L|||||F'],
];
const EXPECTED = [
  ['ADT', 'MSG1'],
  ['ORU', 'MSG2'],
];

const raw = (eol: string) => ascii([...IN_PROGRESS, ...MESSAGES.flat()].join(eol) + eol);
const mllp = () => concat(ascii(IN_PROGRESS.join('\r') + '\r'), END, ...MESSAGES.flatMap((m) => [VT, ascii(m.join('\r') + '\r'), END]));

const STREAMS: Array<{ name: string; bytes: Uint8Array }> = [
  { name: 'raw, CR-separated', bytes: raw('\r') },
  { name: 'raw, CRLF-separated', bytes: raw('\r\n') },
  { name: 'MLLP-framed', bytes: mllp() },
  // the capture began exactly at a segment boundary: the first line is already a whole segment id and "|"
  { name: 'raw, from a segment boundary', bytes: raw('\r').subarray(raw('\r').indexOf(0x0d) + 1) },
];

const indexOf = (b: Uint8Array, s: string) => Buffer.from(b.buffer, b.byteOffset, b.length).indexOf(s);

/** length from which the bytes hold a line opening with a whole segment id and "|" ("PV1|") */
function segmentLineBy(b: Uint8Array): number {
  if (indexOf(b, 'PV1|') === 0) return 4;
  const at = Math.min(...['\rPV1|', '\nPV1|'].map((s) => indexOf(b, s)).filter((i) => i >= 0));
  return at + 5;
}

/** length from which a whole message start ("MSH|^~\&|") has arrived */
const startBy = (b: Uint8Array) => indexOf(b, 'MSH|^~\\&|') + 9;

const detect = (b: Uint8Array): Detection => hl7Dissector.detect(b, 'c2s', KEY);

/**
 * What detection answers as the dispatcher feeds it one direction: the first chunk (`firstCut` bytes),
 * then that plus each next chunk of `step` bytes, until the answer is no longer 'need-more'.
 */
function answersAsFed(b: Uint8Array, firstCut: number, step: number): Array<[number, Detection]> {
  const out: Array<[number, Detection]> = [];
  for (let len = firstCut; ; len = Math.min(b.length, len + step)) {
    const answer = detect(b.subarray(0, len));
    out.push([len, answer]);
    if (answer !== 'need-more' || len === b.length) return out;
  }
}

describe('hl7 detection of a stream seen from the middle does not depend on where its first chunk ends', () => {
  for (const { name, bytes } of STREAMS) {
    it(`${name}: every first chunk holding a segment line waits, then says yes once a message start arrived`, () => {
      const proof = segmentLineBy(bytes);
      const start = startBy(bytes);
      expect(proof).toBeGreaterThan(0);
      expect(start).toBeGreaterThan(proof);
      for (let cut = proof; cut <= bytes.length; cut++) {
        for (const step of [1, 3, 64, bytes.length]) {
          // 'need-more' at every length fed before the whole start, 'yes' at the first one holding it
          const yesAt = cut >= start ? cut : Math.min(bytes.length, cut + Math.ceil((start - cut) / step) * step);
          const expected: Array<[number, Detection]> = [];
          for (let len = cut; len < yesAt; len += step) expected.push([len, 'need-more']);
          expected.push([yesAt, 'yes']);
          expect({ cut, step, answers: answersAsFed(bytes, cut, step) }).toEqual({ cut, step, answers: expected });
        }
      }
    });

    it(`${name}: read by the dispatcher on port 6661 whatever the first chunk's length`, () => {
      const proof = segmentLineBy(bytes);
      for (let cut = proof; cut < bytes.length; cut++) {
        const seen: Array<[unknown, unknown]> = [];
        const d = createDispatcher(KEY, (o) => {
          if (o.kind === 'hl7.message') seen.push([o.fields.messageType, o.fields.controlId]);
        });
        let frame = 0;
        const meta = () => ({ frame: ++frame, ts: frame });
        d.onData('c2s', bytes.slice(0, cut), meta());
        // the rest as a sender with a 1460-byte MSS cut it after the first captured segment
        for (let at = cut; at < bytes.length; at += 1460) d.onData('c2s', bytes.slice(at, at + 1460), meta());
        d.onClose('fin', meta());
        expect({ cut, producer: d.producer, seen }).toEqual({ cut, producer: producerOf(hl7Dissector), seen: EXPECTED });
      }
    });
  }

  it('a first chunk ending inside a segment line answers need-more, not no (the reported case)', () => {
    const b = raw('\r');
    const cut = indexOf(b, 'PV1|1|I|W^389') + 'PV1|1|I|W^389'.length;
    expect(detect(b.subarray(0, cut))).toBe('need-more');
    expect(detect(b.subarray(0, indexOf(b, 'OBX|2|NM|88') + 11))).toBe('need-more');
    expect(detect(b.subarray(0, indexOf(b, '\rOBX|') + 2))).toBe('need-more');
  });

  it('a first chunk without a whole segment line or end block proves nothing: no, as for any text', () => {
    // the limit of the rule: until "PV1|" has arrived whole, the bytes are the end of a free-text field
    const b = raw('\r');
    for (let cut = 1; cut < segmentLineBy(b); cut++) expect({ cut, answer: detect(b.subarray(0, cut)) }).toEqual({ cut, answer: 'no' });
  });
});

/** deterministic pseudo-random bytes (a 32-bit LCG), standing in for compressed or encrypted payloads */
function pseudoRandom(seed: number, n: number): Uint8Array {
  let s = seed >>> 0;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

describe('hl7 mid-stream detection holds no other protocol', () => {
  const cases: Array<[string, Uint8Array]> = [
    ['an HTTP request with MSH| in its URL', ascii('GET /hl7/MSH|^~\\&|ADT^A01|PV1|1 HTTP/1.1\r\nHost: hl7-gw.example.org:6661\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n')],
    ['an HTTP response', ascii('HTTP/1.1 200 OK\r\nServer: nginx/1.24.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 27\r\nConnection: keep-alive\r\n\r\nstatus|ok|queue|0|PV1|done\n')],
    ['an SMTP greeting', ascii('220 mail.example.org ESMTP Postfix (Debian/GNU)\r\n250-mail.example.org\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 STARTTLS\r\n')],
    ['an FTP greeting', ascii('220 (vsFTPd 3.0.5)\r\n331 Please specify the password.\r\n')],
    ['TLS records', records(0x17, pseudoRandom(7, 600))],
    ['an MQTT PUBLISH carrying HL7 text', publish('ward/3/hl7', ascii('PV1|1|I|W^389^1\rOBX|2|NM|8867-4\r'))],
    ...[1, 2, 3, 4].map((seed): [string, Uint8Array] => [`binary (seed ${seed})`, pseudoRandom(seed, 2048)]),
  ];
  for (const [name, bytes] of cases) {
    it(`${name}: no at every length`, () => {
      const held: number[] = [];
      for (let n = 1; n <= bytes.length; n++) if (detect(bytes.subarray(0, n)) !== 'no') held.push(n);
      expect(held).toEqual([]);
    });
  }
});
