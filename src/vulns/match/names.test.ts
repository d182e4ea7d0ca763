import { describe, expect, it } from 'vitest';
import { foldName as foldAnyName } from '../normalize-names.js';
import { foldName, knownComponent, productTokens, tokensContained } from './names.js';

describe('product name evidence', () => {
  it('folds names exactly like normalize-names (fast path for ASCII)', () => {
    for (const n of ['Alaris PC Unit', 'B. Braun', 'Johnson & Johnson', '@angular/core', 'Innokas YhtymÃ¤ Oy', 'Dräger', 'IntelliVue™ MX40', '  x__y  ']) expect(foldName(n)).toBe(foldAnyName(n));
  });

  it('drops descriptive words but keeps identifying ones', () => {
    expect(productTokens('Alaris PC Unit Model 8015 Software')).toEqual(['alaris', 'pc', 'unit', 'model', '8015']);
  });

  it('accepts containment either way, but never on one short word', () => {
    expect(tokensContained(productTokens('IntelliVue MX40'), productTokens('IntelliVue MX40 Patient Worn Monitor (WLAN only)'))).toBe(true);
    expect(tokensContained(productTokens('Alaris PC Unit Model 8015'), productTokens('Alaris PC Unit'))).toBe(true);
    expect(tokensContained(['pc'], ['alaris', 'pc', 'unit'])).toBe(false);
    expect(tokensContained(productTokens('Alaris GH'), productTokens('Alaris CC'))).toBe(false);
  });

  it('knows the CPE and CVE names of common firmware and OS components', () => {
    expect(knownComponent('OpenSSL')?.cpes).toEqual(['openssl:openssl']);
    expect(knownComponent('Linux Kernel')?.vendorProducts).toContain('linux/linux');
    expect(knownComponent('wolfSSL')?.cpes).toEqual(['wolfssl:wolfssl']);
    expect(knownComponent('FreeRTOS')?.cpes).toContain('amazon:freertos');
    expect(knownComponent('BusyBox')?.cpes).toEqual(['busybox:busybox']);
    expect(knownComponent('Microsoft Windows 10 Enterprise')?.cpes).toEqual(['microsoft:windows_10']);
    expect(knownComponent('Windows Server 2019')?.cpes).toEqual(['microsoft:windows_server_2019']);
    expect(knownComponent('left-pad')).toBeUndefined();
  });
});
