import { describe, expect, it } from 'vitest';
import { ja4 } from './fingerprints.js';
import type { ClientHello } from './hello.js';

const hex = (s: string) => s.split(',').map((h) => Number.parseInt(h, 16));

/** The worked example of the FoxIO JA4 specification (technical_details/JA4.md). */
const specExample: ClientHello = {
  format: 'tls',
  legacyVersion: 0x0303,
  ciphers: [0x0a0a, ...hex('1301,1302,1303,c02b,c02f,c02c,c030,cca9,cca8,c013,c014,009c,009d,002f,0035')],
  extensions: [0x1a1a, ...hex('001b,0000,0033,0010,4469,0017,002d,000d,0005,0023,0012,002b,ff01,000b,000a,0015')],
  sni: 'example.com',
  alpn: ['h2', 'http/1.1'],
  alpnFirstRaw: new TextEncoder().encode('h2'),
  supportedVersions: [0x2a2a, 0x0304, 0x0303],
  groups: [],
  pointFormats: [],
  signatureAlgorithms: hex('0403,0804,0401,0503,0805,0501,0806,0601'),
  sessionIdLength: 32,
};

describe('ja4', () => {
  it('reproduces the JA4 specification example, ignoring GREASE values', () => {
    const { ja4: fp, ja4Raw } = ja4(specExample);
    expect(fp).toBe('t13d1516h2_8daaf6152771_e5627efa2ab1');
    expect(ja4Raw).toBe(
      't13d1516h2_002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9_0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,0401,0503,0805,0501,0806,0601',
    );
  });

  it('ends the extension string without an underscore when there are no signature algorithms', () => {
    const { ja4: fp } = ja4({ ...specExample, signatureAlgorithms: [] });
    expect(fp.split('_')[2]).toBe('6d807ffa2a79');
  });

  it('marks a hello without SNI as "i", without ALPN as "00", and uses the legacy version without supported_versions', () => {
    const { ja4: fp } = ja4({ ...specExample, sni: undefined, alpn: [], alpnFirstRaw: undefined, supportedVersions: [] });
    expect(fp.slice(0, 10)).toBe('t12i151600');
  });

  it('uses the hex digits for a non-alphanumeric ALPN value and zeros for empty cipher lists', () => {
    const { ja4: fp } = ja4({ ...specExample, ciphers: [], alpnFirstRaw: Uint8Array.of(0xab, 0xcd) });
    expect(fp.slice(8, 10)).toBe('ad');
    expect(fp.split('_')[1]).toBe('000000000000');
  });
});
