import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Observation } from '../../model.js';
import { byteByByte, comparable, concat, dissect, fixedChunks, flowKey } from '../testing/harness.js';
import { EXPIRED_CERT_DER, certificateMessage, clientHello, records, serverHello } from '../testing/tls.js';
import { tlsDissector } from './dissector.js';

const key = flowKey('tcp', 443);
const browserLike = clientHello({
  ciphers: [0x1a1a, 0x1301, 0x1302, 0xc02b, 0x002f],
  sni: 'pacs.hospital.example',
  alpn: ['h2', 'http/1.1'],
  supportedVersions: [0x3a3a, 0x0304, 0x0303],
  groups: [0x2a2a, 0x001d, 0x0017],
  pointFormats: [0],
  signatureAlgorithms: [0x0403, 0x0804],
  extraExtensions: [0x0a0a],
});

describe('tls dissector', () => {
  it('reads SNI, ALPN and versions from a ClientHello and fingerprints it without GREASE', () => {
    const [hello] = dissect(tlsDissector, key, [['c2s', records(22, browserLike, 16384, 0x0301)]]);
    expect(hello?.kind).toBe('tls.client-hello');
    expect(hello?.fields).toMatchObject({
      recordVersion: 'TLSv1.0',
      clientVersion: 'TLSv1.2',
      supportedVersions: ['TLSv1.3', 'TLSv1.2'],
      maxVersion: 'TLSv1.3',
      sni: 'pacs.hospital.example',
      alpn: ['h2', 'http/1.1'],
      cipherSuiteCount: 4,
      weakCipherSuites: [],
    });
    const ja3String = '771,4865-4866-49195-47,0-10-11-13-16-43,29-23,0';
    expect(hello?.fields.ja3String).toBe(ja3String);
    expect(hello?.fields.ja3).toBe(createHash('md5').update(ja3String).digest('hex'));
    expect(String(hello?.fields.ja4)).toMatch(/^t13d0406h2_[0-9a-f]{12}_[0-9a-f]{12}$/);
    expect(hello?.findings).toBeUndefined();
  });

  it('reassembles a ClientHello split over several records and arbitrary chunks', () => {
    const split = records(22, browserLike, 50);
    const expected = comparable(dissect(tlsDissector, key, [['c2s', records(22, browserLike)]]));
    expect(comparable(dissect(tlsDissector, key, [['c2s', split]], byteByByte))).toEqual(expected);
  });

  it('flags a negotiated legacy version and a weak cipher in the ServerHello', () => {
    const obs = dissect(tlsDissector, key, [
      ['c2s', records(22, clientHello({ version: 0x0301, ciphers: [0x0005, 0x000a, 0x002f] }))],
      ['s2c', records(22, serverHello({ version: 0x0301, cipher: 0x0005 }))],
    ]);
    const [ch, sh] = obs;
    expect(ch?.findings?.map((f) => f.code)).toEqual(['tls.legacy-version', 'tls.weak-cipher-offered']);
    expect(ch?.fields.weakCipherSuites).toEqual(['TLS_RSA_WITH_RC4_128_SHA', 'TLS_RSA_WITH_3DES_EDE_CBC_SHA']);
    expect(sh?.fields).toMatchObject({ version: 'TLSv1.0', cipherSuite: { code: '0005', name: 'TLS_RSA_WITH_RC4_128_SHA' }, ja3sString: '769,5,' });
    expect(sh?.findings).toEqual([
      expect.objectContaining({ code: 'tls.legacy-version', severity: 'medium' }),
      expect.objectContaining({ code: 'tls.weak-cipher', severity: 'high' }),
    ]);
    expect(obs.at(-1)?.fields).toMatchObject({ version: 'TLSv1.0' });
  });

  it('treats SSLv3 as high severity and TLS 1.3 via supported_versions as current', () => {
    const [, ssl3] = dissect(tlsDissector, key, [['c2s', records(22, clientHello({ version: 0x0300, ciphers: [0x002f] }), 16384, 0x0300)], ['s2c', records(22, serverHello({ version: 0x0300, cipher: 0x002f }), 16384, 0x0300)]]);
    expect(ssl3?.findings).toEqual([expect.objectContaining({ code: 'tls.legacy-version', severity: 'high' })]);
    const [, tls13] = dissect(tlsDissector, key, [['c2s', records(22, browserLike)], ['s2c', records(22, serverHello({ cipher: 0x1301, selectedVersion: 0x0304 }))]]);
    expect(tls13?.fields.version).toBe('TLSv1.3');
    expect(tls13?.findings).toBeUndefined();
  });

  it('summarises the certificate chain and judges validity at capture time, not analysis time', () => {
    const cert = records(22, concat(serverHello({ cipher: 0xc02f }), certificateMessage([EXPIRED_CERT_DER])), 100);
    const at = (iso: string) => {
      const obs: Observation[] = [];
      const c = tlsDissector.create(key, (o) => obs.push(o));
      c.onData('s2c', cert, { frame: 1, ts: Date.parse(iso) * 1000 });
      return obs.find((o) => o.kind === 'tls.certificate');
    };
    const later = at('2023-05-01T00:00:00Z');
    expect(later?.fields).toMatchObject({ sender: 'server', chainLength: 1 });
    expect((later?.fields.chain as unknown[])[0]).toMatchObject({
      subjectCN: 'infusion-07.ward3.example', subjectO: 'Acme Medical', issuerCN: 'infusion-07.ward3.example',
      notBefore: '2020-01-01T00:00:00.000Z', notAfter: '2021-01-01T00:00:00.000Z', keyType: 'ec', selfSigned: true, parseError: false,
    });
    expect(later?.findings?.map((f) => f.code)).toEqual(['tls.expired-certificate', 'tls.self-signed-certificate']);
    expect(at('2020-06-01T00:00:00Z')?.findings?.map((f) => f.code)).toEqual(['tls.self-signed-certificate']);
  });

  it('marks an undecodable certificate instead of failing', () => {
    const obs = dissect(tlsDissector, key, [['s2c', records(22, certificateMessage([new Uint8Array(40).fill(0x30)]))]]);
    expect((obs[0]?.fields.chain as unknown[])[0]).toMatchObject({ parseError: true, length: 40 });
  });

  it('ignores handshake records after ChangeCipherSpec (encrypted Finished)', () => {
    const obs = dissect(tlsDissector, key, [
      ['c2s', records(22, browserLike)],
      ['c2s', records(20, Uint8Array.of(1))],
      ['c2s', records(22, new Uint8Array(40).fill(0xee))],
    ]);
    expect(obs.map((o) => o.kind)).toEqual(['tls.client-hello', 'tls.session-summary']);
  });

  it('reports plaintext alerts by name', () => {
    const obs = dissect(tlsDissector, key, [['c2s', records(22, browserLike)], ['s2c', records(21, Uint8Array.of(2, 70))]]);
    expect(obs[1]?.fields).toEqual({ level: 'fatal', description: 70, descriptionName: 'protocol_version' });
  });

  it('rejects a record with an unknown content type at its offset', () => {
    const first = records(22, browserLike);
    expect(() => dissect(tlsDissector, key, [['c2s', concat(first, Uint8Array.of(99, 3, 3, 0, 1, 0))]])).toThrow(expect.objectContaining({ code: 'netmon.tls.bad-record-type', byteOffset: first.length }));
  });

  it('detects TLS handshakes and SSLv2-compatible hellos by content', () => {
    expect(tlsDissector.detect(records(22, browserLike), 'c2s', flowKey('tcp', 2762))).toBe('yes');
    expect(tlsDissector.detect(records(22, browserLike).subarray(0, 4), 'c2s', key)).toBe('need-more');
    expect(tlsDissector.detect(records(22, serverHello({ cipher: 0x1301 })), 's2c', key)).toBe('yes');
    expect(tlsDissector.detect(records(22, browserLike), 's2c', key)).toBe('no');
    expect(tlsDissector.detect(Uint8Array.of(0x80, 0x2e, 0x01, 0x03, 0x01, 0, 0x15), 'c2s', key)).toBe('yes');
    expect(tlsDissector.detect(new TextEncoder().encode('SSH-2.0-OpenSSH'), 'c2s', key)).toBe('no');
  });
});

describe('tls record framing', () => {
  it('rejects an SSLv2 record longer than the record buffer instead of waiting for it forever', () => {
    // 0xff 0xff announces 32767 bytes, more than a record may hold; this used to spin without progress
    const bytes = concat(Uint8Array.of(0xff, 0xff, 0x01, 0x03, 0x01), new Uint8Array(40_000));
    expect(() => dissect(tlsDissector, key, [['c2s', bytes]])).toThrow(expect.objectContaining({ code: 'netmon.tls.too-large', byteOffset: 0 }));
  });

  it('reads several handshake messages from one record and counts application data, the same in any chunking', () => {
    const flight = records(22, concat(serverHello({ cipher: 0xc02f }), certificateMessage([EXPIRED_CERT_DER]), Uint8Array.of(14, 0, 0, 0)));
    const steps = [
      ['c2s', records(22, browserLike, 100)],
      ['s2c', flight],
      ['c2s', concat(records(20, Uint8Array.of(1)), records(22, new Uint8Array(40).fill(0xee)), records(23, new Uint8Array(20_000).fill(0xab)))],
      ['s2c', concat(records(20, Uint8Array.of(1)), records(23, new Uint8Array(5)), records(23, new Uint8Array(0)))],
    ] as const;
    const whole = dissect(tlsDissector, key, steps);
    expect(whole.map((o) => o.kind)).toEqual(['tls.client-hello', 'tls.server-hello', 'tls.certificate', 'tls.session-summary']);
    expect(whole[3]?.fields).toMatchObject({ changeCipherSpec: { c2s: true, s2c: true }, applicationDataBytes: { c2s: 20_000, s2c: 5 } });
    for (const chunker of [byteByByte, fixedChunks(7), fixedChunks(1460)]) {
      expect(comparable(dissect(tlsDissector, key, steps, chunker))).toEqual(comparable(whole));
    }
  });
});
