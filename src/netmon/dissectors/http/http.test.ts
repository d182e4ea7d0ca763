import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDissectorError } from '../errors.js';
import { ascii, byteByByte, comparable, dissect, fixedChunks, flowKey, type Step } from '../testing/harness.js';
import type { Observation } from '../../model.js';
import { httpDissector } from './dissector.js';
import { HttpStream, type BodyRule } from './stream.js';

const key = flowKey('tcp', 80);

describe('http dissector', () => {
  it('reports Host, User-Agent and Basic credentials as username + password length, never the password', () => {
    const auth = Buffer.from('biomed:Pump$ecret').toString('base64');
    const [req] = dissect(httpDissector, key, [['c2s', ascii(`GET /config?token=abc HTTP/1.1\r\nHost: pump-17.local\r\nUser-Agent: PumpAgent/2.1\r\nAuthorization: Basic ${auth}\r\n\r\n`)]]);
    expect(req?.fields).toMatchObject({ method: 'GET', path: '/config', queryPresent: true, host: 'pump-17.local', userAgent: 'PumpAgent/2.1', authorizationScheme: 'Basic', username: 'biomed', passwordLength: 10 });
    expect(req?.findings).toEqual([expect.objectContaining({ code: 'http.basic-auth-cleartext', severity: 'high' })]);
    const text = JSON.stringify(req);
    expect(text).not.toContain('Pump$ecret');
    expect(text).not.toContain(auth);
    expect(text).not.toContain('token=abc');
  });

  it('follows keep-alive requests across Content-Length, chunked and HEAD bodies, in any chunking', () => {
    const steps: Step[] = [
      ['c2s', ascii('POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello')],
      ['c2s', ascii('HEAD /b HTTP/1.1\r\nHost: h\r\n\r\n')],
      ['c2s', ascii('GET /c HTTP/1.1\r\nHost: h\r\n\r\n')],
      ['s2c', ascii('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nServer: Acme-Monitor/3.2\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n0\r\nX-Trailer: y\r\n\r\n')],
      ['s2c', ascii('HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n')],
      ['s2c', ascii('HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="pump"\r\nContent-Length: 2\r\n\r\nno')],
    ];
    const obs = dissect(httpDissector, key, steps);
    expect(obs.map((o) => [o.kind, o.fields.method ?? o.fields.status, o.fields.requestMethod ?? null])).toEqual([
      ['http.request', 'POST', null],
      ['http.request', 'HEAD', null],
      ['http.request', 'GET', null],
      ['http.response', 100, 'POST'],
      ['http.response', 200, 'POST'],
      ['http.response', 200, 'HEAD'],
      ['http.response', 401, 'GET'],
    ]);
    expect(obs[4]?.fields.server).toBe('Acme-Monitor/3.2');
    expect(obs[6]?.findings?.[0]?.code).toBe('http.basic-auth-offered');
    expect(comparable(dissect(httpDissector, key, steps, byteByByte))).toEqual(comparable(obs));
  });

  it('stops reading after 101 Switching Protocols', () => {
    const obs = dissect(httpDissector, key, [
      ['c2s', ascii('GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n\r\n')],
      ['s2c', ascii('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\x81\x05hello')],
      ['c2s', ascii('\x81\x85garbage that is not http\r\n\r\n')],
    ]);
    expect(obs.map((o) => o.kind)).toEqual(['http.request', 'http.response']);
  });

  it('rejects a head larger than 32 KiB and a bad chunk size', () => {
    expect(() => dissect(httpDissector, key, [['c2s', ascii(`GET / HTTP/1.1\r\nX: ${'a'.repeat(40_000)}\r\n\r\n`)]])).toThrow(expect.objectContaining({ code: 'netmon.http.too-large' }));
    expect(() => dissect(httpDissector, key, [['s2c', ascii('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')]])).toThrow(expect.objectContaining({ code: 'netmon.http.bad-chunk' }));
  });

  it('detects requests and responses by their first line', () => {
    expect(httpDissector.detect(ascii('GET / HTTP/1.1\r\n'), 'c2s', flowKey('tcp', 8123))).toBe('yes');
    expect(httpDissector.detect(ascii('GET / HT'), 'c2s', key)).toBe('need-more');
    expect(httpDissector.detect(ascii('HTTP/1.0 404 Not Found\r\n'), 's2c', key)).toBe('yes');
    expect(httpDissector.detect(ascii('INVITE sip:a@b SIP/2.0\r\n'), 'c2s', key)).toBe('no');
    expect(httpDissector.detect(ascii('RTSP/1.0 200 OK\r\n'), 's2c', key)).toBe('no');
  });

  describe('HL7 v2 in bodies', () => {
    const oru = 'MSH|^~\\&|LAB|HOSP|EMR|HOSP|20260301120000||ORU^R01|MSG42|P|2.5\rPID|||MRN123456||DOE^JANE\rOBX|1|NM|8867-4^Heart rate^LN||72|/min|||||F\r';
    const ack = 'MSH|^~\\&|EMR|HOSP|LAB|HOSP|20260301120001||ACK^R01|ACK42|P|2.5\rMSA|AA|MSG42\r';
    const post = (type: string, body: string, extra = '') => ascii(`POST /hl7/inbound HTTP/1.1\r\nHost: engine\r\nContent-Type: ${type}\r\n${extra}Content-Length: ${body.length}\r\n\r\n${body}`);
    const answer = (type: string, body: string) => ascii(`HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    const hl7Of = (steps: Step[]) => dissect(httpDissector, key, steps).filter((o) => o.kind === 'hl7.message');

    it('reads a posted message and its ACK as the HL7 dissector does on MLLP, in any chunking', () => {
      const steps: Step[] = [
        ['c2s', post('x-application/hl7-v2+er7; charset=utf-8', oru)],
        ['s2c', answer('x-application/hl7-v2+er7', ack)],
      ];
      const obs = dissect(httpDissector, key, steps);
      expect(obs.map((o) => `${o.protocol} ${o.kind} ${o.dir}`)).toEqual(['http http.request c2s', 'hl7 hl7.message c2s', 'http http.response s2c', 'hl7 hl7.message s2c']);
      const [message, reply] = obs.filter((o) => o.kind === 'hl7.message');
      expect(message?.producer).toMatch(/^hl7@/);
      expect(message?.fields).toMatchObject({ sendingApplication: 'LAB', messageType: 'ORU', triggerEvent: 'R01', controlId: 'MSG42', pidPresent: true, carriedBy: 'http', httpPath: '/hl7/inbound', bodyTruncated: false, framing: 'raw' });
      expect(message?.fields.patientIdentifiersPresent).toEqual(['PID-3 identifier list', 'PID-5 name']);
      expect(message?.findings?.map((f) => f.code)).toEqual(['hl7.cleartext-phi']);
      expect(reply?.fields).toMatchObject({ messageType: 'ACK', ackCode: 'AA', ackControlId: 'MSG42', carriedBy: 'http', httpPath: '/hl7/inbound' });
      expect(comparable(dissect(httpDissector, key, steps, byteByByte))).toEqual(comparable(obs));
    });

    it('reads a chunked body, an MLLP-framed one, and one posted as text/plain or without a type', () => {
      const chunked = ascii(`POST /a HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n${(20).toString(16)}\r\n${oru.slice(0, 20)}\r\n${(oru.length - 20).toString(16)}\r\n${oru.slice(20)}\r\n0\r\n\r\n`);
      expect(hl7Of([['c2s', chunked]]).map((o) => o.fields.controlId)).toEqual(['MSG42']);
      const mllp = `\x0b${oru}\x1c\r`;
      expect(hl7Of([['c2s', post('text/plain', mllp)]]).map((o) => [o.fields.controlId, o.fields.framing])).toEqual([['MSG42', 'mllp']]);
      const untyped = ascii(`POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: ${oru.length}\r\n\r\n${oru}`);
      expect(hl7Of([['c2s', untyped]]).map((o) => o.fields.controlId)).toEqual(['MSG42']);
    });

    it('reads the start of a body longer than it keeps, marked truncated', () => {
      const obx = Array.from({ length: 2000 }, (_, i) => `OBX|${i + 1}|ED|PDF^Report||${'A'.repeat(60)}\r`).join('');
      const [m] = hl7Of([['c2s', post('application/hl7-v2', oru + obx)]]);
      expect(m?.fields).toMatchObject({ controlId: 'MSG42', pidPresent: true, bodyTruncated: true });
    });

    it('leaves alone bodies that are not HL7: JSON or XML types, compressed, text that does not open with a message', () => {
      expect(hl7Of([['c2s', post('application/json', JSON.stringify({ note: oru }))]])).toEqual([]);
      expect(hl7Of([['c2s', post('application/hl7-v2', oru, 'Content-Encoding: gzip\r\n')]])).toEqual([]);
      expect(hl7Of([['c2s', post('text/plain', `hello ${oru}`)]])).toEqual([]);
      // an untyped response is not looked at (only requests are posted with generic types)
      expect(hl7Of([['c2s', ascii('GET / HTTP/1.1\r\nHost: h\r\n\r\n')], ['s2c', answer('text/plain', ack)]])).toEqual([]);
    });

    it('a message body mutated anywhere, in any chunking, never throws anything but DissectorError, and never reports more messages than headers', () => {
      const edit = fc.record({ at: fc.nat(), del: fc.nat({ max: 4 }), insert: fc.string({ maxLength: 6 }) });
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 5 }), fc.integer({ min: 1, max: 400 }), (edits, size) => {
          let body = `\x0b${oru}\x1c\r${ack}`;
          for (const e of edits) {
            const at = e.at % (body.length + 1);
            body = body.slice(0, at) + e.insert + body.slice(at + e.del);
          }
          const bytes = ascii(body);
          try {
            const obs = dissect(httpDissector, key, [['c2s', ascii(`POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: ${bytes.length}\r\n\r\n`)], ['c2s', bytes]], fixedChunks(size));
            const headers = body.match(/(MSH|BHS|FHS)/g)?.length ?? 0;
            expect(obs.filter((o) => o.kind === 'hl7.message').length).toBeLessThanOrEqual(headers + 1);
          } catch (err) {
            if (!isDissectorError(err)) throw err;
          }
        }),
        { numRuns: 300 },
      );
    });

    it('reserves only a short body of known length in the shared budget, not the whole 64 KiB it may keep', () => {
      const keptBodies = { used: 0, peak: 0, refused: 0, max: 4096 };
      const obs: Observation[] = [];
      const c = httpDissector.create(key, (o) => obs.push(o), { keptBodies });
      const bytes = post('x-application/hl7-v2+er7', oru);
      c.onData('c2s', bytes.subarray(0, bytes.length - 20), { frame: 1, ts: 1 });
      // in flight: the body's own length is reserved
      expect(keptBodies).toMatchObject({ used: oru.length, refused: 0 });
      c.onData('c2s', bytes.subarray(bytes.length - 20), { frame: 2, ts: 2 });
      expect(obs.filter((o) => o.kind === 'hl7.message')).toHaveLength(1);
      expect(keptBodies).toMatchObject({ used: 0, peak: oru.length, refused: 0 });
    });

    it('keeps a body only while its first bytes could open a message (a sniff drops the others at once)', () => {
      const handed: string[] = [];
      const rule = (length: number): BodyRule => ({ kind: 'length', length, keep: 1000, sniff: { bytes: 4, accept: (b) => b[0] === 0x41 } });
      const stream = new HttpStream({ head: (h) => rule(Number(h.headers.get('content-length'))), body: (b) => void handed.push(new TextDecoder().decode(b)) });
      const meta = { frame: 1, ts: 1 };
      // byte by byte: the sniff waits for its 4 bytes, then keeps or drops the rest
      for (const body of ['Akeep me', 'Bdrop me', 'Ab', 'Bx']) {
        const bytes = ascii(`POST / HTTP/1.1\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
        for (let i = 0; i < bytes.length; i++) stream.feed(bytes.subarray(i, i + 1), meta);
      }
      // a body shorter than the sniff is judged on what there is when it ends
      expect(handed).toEqual(['Akeep me', 'Ab']);
    });

    it('keeps bodies within a budget shared by the flows of a read, giving the bytes back as each body ends or is given up', () => {
      const budget = { used: 0, peak: 0, refused: 0, max: 1000 };
      const handed: string[] = [];
      const rule = (length: number): BodyRule => ({ kind: 'length', length, keep: 800 });
      const stream = () => new HttpStream({ head: (h) => rule(Number(h.headers.get('content-length'))), body: (b) => void handed.push(new TextDecoder().decode(b).slice(0, 12)) }, budget);
      const meta = { frame: 1, ts: 1 };
      // bodies longer than the 800 bytes kept: each reserves 800
      const post = (body: string) => ascii(`POST / HTTP/1.1\r\nContent-Length: ${body.padEnd(900, '.').length}\r\n\r\n${body.padEnd(900, '.')}`);
      const first = post('first-body');
      const a = stream();
      const b = stream();
      // a's body is in flight: 800 bytes reserved, so b's cannot be kept
      a.feed(first.subarray(0, 300), meta);
      expect(budget.used).toBe(800);
      b.feed(post('second'), meta);
      expect(budget).toMatchObject({ used: 800, refused: 1 });
      // a's body ends: handed over, its reservation given back; b's next body is kept
      a.feed(first.subarray(300), meta);
      expect(budget.used).toBe(0);
      b.feed(post('third'), meta);
      expect(handed).toEqual(['first-body..', 'third.......']);
      // a body in flight when its direction is given up (a gap) gives its reservation back
      const c = stream();
      const cut = post('cut-short');
      c.feed(cut.subarray(0, 300), meta);
      expect(budget.used).toBe(800);
      c.release();
      expect(budget).toMatchObject({ used: 0, peak: 800 });
      // a body shorter than the prefix kept reserves only its own length (HttpStream caps every keeper)
      const d = stream();
      const short = ascii('POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nshort-body');
      d.feed(short.subarray(0, short.length - 3), meta);
      expect(budget.used).toBe(10);
      d.feed(short.subarray(short.length - 3), meta);
      expect(budget.used).toBe(0);
    });

    it('reports what was read of a body that turns into binary bytes, and the connection goes on', () => {
      const broken = `${oru}\x00\x01${'\x7f'.repeat(10)}`;
      const obs = dissect(httpDissector, key, [
        ['c2s', post('application/hl7-v2', broken)],
        ['c2s', ascii('GET /next HTTP/1.1\r\nHost: h\r\n\r\n')],
      ]);
      expect(obs.filter((o) => o.kind === 'http.request').map((o) => o.fields.path)).toEqual(['/hl7/inbound', '/next']);
      expect(obs.filter((o) => o.kind === 'hl7.message').length).toBeGreaterThanOrEqual(1);
    });
  });
});

