/**
 * @module A tiny hash router. The dashboard lives under "/#/..." so the server only ever has to serve
 * index.html at "/" (no SPA fallback routes), and list state (search, filters, sort, page) sits in the
 * hash query so the Back button and shared links restore exactly what the user was looking at.
 */
import { useSyncExternalStore } from 'react';

export interface Location {
  /** "/devices/abc" — always starts with "/" */
  path: string;
  query: URLSearchParams;
  /** the raw hash without "#", used as a stable identity for effects */
  href: string;
}

export function parseHash(hash: string): Location {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const href = raw || '/';
  const q = href.indexOf('?');
  const pathPart = q === -1 ? href : href.slice(0, q);
  const path = pathPart.startsWith('/') ? pathPart : `/${pathPart}`;
  return { path, query: new URLSearchParams(q === -1 ? '' : href.slice(q + 1)), href };
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const snapshot = (): string => window.location.hash;

/** Re-renders the caller when the hash changes; returns the parsed location. */
export function useLocation(): Location {
  const hash = useSyncExternalStore(subscribe, snapshot, snapshot);
  return parseHash(hash);
}

/** "/devices" + {q: 'x', empty: ''} -> "/devices?q=x" (empty values dropped). */
export function buildHref(path: string, params: Record<string, string | undefined> = {}): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') search.set(k, v);
  const s = search.toString();
  return s ? `${path}?${s}` : path;
}

export function navigate(href: string, options: { replace?: boolean } = {}): void {
  const target = `#${href.startsWith('/') ? href : `/${href}`}`;
  if (window.location.hash === target) return;
  if (options.replace) {
    // replaceState does not fire hashchange, so announce the change ourselves
    window.history.replaceState(window.history.state, '', target);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else {
    window.location.hash = target;
  }
}

export interface RouteMatch {
  name: 'login' | 'devices' | 'device' | 'alerts' | 'not-found';
  params: Record<string, string>;
}

/** The route table; kept as code because it is four entries and needs no pattern language. */
export function matchRoute(path: string): RouteMatch {
  const segments = path.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  const [first, second, ...rest] = segments;
  if (first === undefined) return { name: 'devices', params: {} };
  if (rest.length === 0) {
    if (first === 'login' && second === undefined) return { name: 'login', params: {} };
    if (first === 'devices' && second === undefined) return { name: 'devices', params: {} };
    if (first === 'devices' && second !== undefined) return { name: 'device', params: { id: second } };
    if (first === 'alerts' && second === undefined) return { name: 'alerts', params: {} };
  }
  return { name: 'not-found', params: {} };
}
