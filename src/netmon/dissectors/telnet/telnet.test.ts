import { describe, expect, it } from 'vitest';
import { ascii, byteByByte, dissect, flowKey } from '../testing/harness.js';
import { telnetDissector } from './dissector.js';

describe('telnet dissector', () => {
  it('reports telnet at once and the options, banner and prompts at the end, never keystrokes', () => {
    const key = flowKey('tcp', 23);
    const obs = dissect(telnetDissector, key, [
      ['s2c', Uint8Array.of(0xff, 0xfd, 0x18, 0xff, 0xfb, 0x01, 0xff, 0xfa, 0x18, 0x01, 0xff, 0xf0)],
      ['s2c', ascii('\r\nAcme Ventilator V500 Service Console\r\nlogin: ')],
      ['c2s', ascii('service\r\n')],
      ['s2c', ascii('Password: ')],
      ['c2s', ascii('TopSecret1\r\n')],
    ], byteByByte);
    expect(obs[0]?.findings?.[0]).toMatchObject({ code: 'telnet.present', severity: 'high' });
    expect(obs.at(-1)?.fields).toMatchObject({ options: ['echo', 'terminal-type'], banner: 'Acme Ventilator V500 Service Console', loginPrompt: true, passwordPrompt: true });
    expect(JSON.stringify(obs)).not.toContain('TopSecret1');
    expect(telnetDissector.detect(Uint8Array.of(0xff, 0xfd, 0x18), 's2c', key)).toBe('yes');
    expect(telnetDissector.detect(ascii('hello'), 's2c', key)).toBe('no');
  });
});
