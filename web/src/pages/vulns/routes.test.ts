import { describe, expect, it } from 'vitest';
import { matchVulnRoute, sectionOf } from './routes.js';

describe('matchVulnRoute', () => {
  it('recognises the risk, findings and products pages', () => {
    expect(matchVulnRoute('/risk')).toEqual({ name: 'risk' });
    expect(matchVulnRoute('/findings')).toEqual({ name: 'findings' });
    expect(matchVulnRoute('/products/')).toEqual({ name: 'products' });
  });

  it('extracts and decodes finding and product ids', () => {
    expect(matchVulnRoute('/findings/fnd_01')).toEqual({ name: 'finding', id: 'fnd_01' });
    expect(matchVulnRoute('/products/prd%2Fx')).toEqual({ name: 'product', id: 'prd/x' });
  });

  it('leaves other, over-long or malformed paths to the core router', () => {
    expect(matchVulnRoute('/devices')).toBeUndefined();
    expect(matchVulnRoute('/')).toBeUndefined();
    expect(matchVulnRoute('/risk/extra')).toBeUndefined();
    expect(matchVulnRoute('/findings/a/b')).toBeUndefined();
    expect(matchVulnRoute('/findings/%E0%A4%A')).toBeUndefined();
  });

  it('assigns each route to its top-bar section', () => {
    expect(sectionOf({ name: 'finding', id: 'x' })).toBe('findings');
    expect(sectionOf({ name: 'product', id: 'x' })).toBe('products');
    expect(sectionOf({ name: 'risk' })).toBe('risk');
  });
});
