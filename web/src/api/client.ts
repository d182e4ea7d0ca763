/**
 * @module The dashboard's only door to the server: a small fetch wrapper over /api/v1. It sends the
 * session cookie (same-origin), adds the CSRF token to every state-changing request, and turns
 * RFC 9457 problem+json answers into a typed ApiError so pages can show what went wrong.
 */
import type {
  Alert,
  AlertListQuery,
  Device,
  DeviceFacets,
  DeviceListQuery,
  DeviceSummary,
  LoginResponse,
  MeResponse,
  Page,
  ProblemDetails,
  TaxonomyCategory,
} from './types.js';

const BASE = '/api/v1';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly problem: ProblemDetails;
  /** seconds until a retry may succeed (from the Retry-After header), for rate limits and lockouts */
  readonly retryAfter: number | undefined;

  constructor(status: number, problem: ProblemDetails, retryAfter?: number) {
    super(problem.detail ?? problem.title ?? `request failed with status ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = problem.code ?? `http.${status}`;
    this.problem = problem;
    this.retryAfter = retryAfter;
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

type QueryValue = string | number | undefined;

/** Builds "?a=1&b=x" from defined, non-empty values only, so the server sees no empty filters. */
export function toQueryString(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue;
    search.set(key, String(value));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}

let csrfToken: string | undefined;
let onUnauthenticated: (() => void) | undefined;

/** The CSRF token lives in memory only; a page reload recovers it from GET /auth/me. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when an authenticated request answers 401 (session expired or revoked elsewhere). */
export function setUnauthenticatedHandler(handler: (() => void) | undefined): void {
  onUnauthenticated = handler;
}

async function readProblem(res: Response): Promise<ProblemDetails> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      const body: unknown = await res.json();
      if (body && typeof body === 'object') return body as ProblemDetails;
    } catch {
      // a malformed error body still yields an ApiError carrying the HTTP status below
    }
  }
  return { status: res.status, title: res.statusText || 'Request failed' };
}

interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  signal?: AbortSignal;
  /** login and the initial session probe expect 401 and must not trigger the sign-out handler */
  expectUnauthenticated?: boolean;
}

export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  const res = await fetch(`${BASE}${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  });

  if (!res.ok) {
    const problem = await readProblem(res);
    if (res.status === 401 && !options.expectUnauthenticated) onUnauthenticated?.();
    const retry = Number(res.headers.get('retry-after') ?? Number.NaN);
    throw new ApiError(res.status, problem, Number.isFinite(retry) && retry >= 0 ? retry : undefined);
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

export const api = {
  login: (username: string, password: string) =>
    request<LoginResponse>('/auth/login', { method: 'POST', body: { username, password }, expectUnauthenticated: true }),
  me: (signal?: AbortSignal) => request<MeResponse>('/auth/me', { signal, expectUnauthenticated: true }),
  logout: () => request<unknown>('/auth/logout', { method: 'POST', expectUnauthenticated: true }),

  listDevices: (query: DeviceListQuery, signal?: AbortSignal) =>
    request<Page<DeviceSummary>>(`/devices${toQueryString({ ...query })}`, { signal }),
  deviceFacets: (signal?: AbortSignal) => request<DeviceFacets>('/devices/facets', { signal }),
  getDevice: (id: string, signal?: AbortSignal) => request<Device>(`/devices/${encodeURIComponent(id)}`, { signal }),
  categories: (signal?: AbortSignal) => request<TaxonomyCategory[]>('/taxonomy/categories', { signal }),

  listAlerts: (query: AlertListQuery, signal?: AbortSignal) =>
    request<Page<Alert>>(`/alerts${toQueryString({ ...query })}`, { signal }),
  alertSummary: (signal?: AbortSignal) => request<unknown>('/alerts/summary', { signal }),
  acknowledgeAlert: (id: string, note?: string) =>
    request<Alert>(`/alerts/${encodeURIComponent(id)}/acknowledge`, { method: 'POST', body: note ? { note } : {} }),
  resolveAlert: (id: string, note?: string) =>
    request<Alert>(`/alerts/${encodeURIComponent(id)}/resolve`, { method: 'POST', body: note ? { note } : {} }),
};
