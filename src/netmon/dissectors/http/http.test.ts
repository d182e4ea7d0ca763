import { describe, expect, it } from 'vitest';
import { ascii, byteByByte, comparable, dissect, flowKey, type Step } from '../testing/harness.js';
import { httpDissector } from './dissector.js';

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
});
