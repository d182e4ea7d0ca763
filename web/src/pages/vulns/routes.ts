/**
 * @module Routes of the vulnerability and risk pages. App.tsx consults this table for paths the core
 * router (router/router.ts) does not know, so these pages plug in without growing that file.
 */

export type VulnRoute =
  | { name: 'risk' }
  | { name: 'findings' }
  | { name: 'finding'; id: string }
  | { name: 'products' }
  | { name: 'product'; id: string };

/** The top-bar section a vulnerability route belongs to. */
export type VulnSection = 'risk' | 'findings' | 'products';

export function matchVulnRoute(path: string): VulnRoute | undefined {
  let segments: string[];
  try {
    segments = path.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  } catch {
    return undefined; // a malformed %-escape is simply not one of our pages
  }
  const [first, second, ...rest] = segments;
  if (rest.length > 0 || first === undefined) return undefined;
  if (first === 'risk') return second === undefined ? { name: 'risk' } : undefined;
  if (first === 'findings') return second === undefined ? { name: 'findings' } : { name: 'finding', id: second };
  if (first === 'products') return second === undefined ? { name: 'products' } : { name: 'product', id: second };
  return undefined;
}

export function sectionOf(route: VulnRoute): VulnSection {
  if (route.name === 'risk') return 'risk';
  return route.name === 'finding' || route.name === 'findings' ? 'findings' : 'products';
}
