/**
 * @module The findings list's state as it lives in the URL hash query: status, triage state, review
 * flag, minimum risk, search text, product/vulnerability scope, sort and page size. Pure functions so
 * the mapping to GET /findings parameters is obvious and testable; anything the API would reject
 * (unknown state, risk outside 0..100) is dropped rather than sent.
 */
import { VEX_STATES } from '../../api/vulns.js';
import type { FindingListQuery, FindingSort, VexState } from '../../api/vulns.js';

export const FINDING_STATUSES = ['open', 'closed', 'all'] as const;
export type FindingStatusFilter = (typeof FINDING_STATUSES)[number];

export const TRIAGE_FILTERS = ['untriaged', ...VEX_STATES] as const;
export type TriageFilter = (typeof TRIAGE_FILTERS)[number];

export const PAGE_SIZES = [25, 50, 100] as const;
const DEFAULT_PAGE_SIZE = 50;

export interface FindingListParams {
  status: FindingStatusFilter;
  triage: TriageFilter | '';
  /** '' any, 'yes' only findings needing review, 'no' only confirmed matches */
  review: '' | 'yes' | 'no';
  /** 0..100, undefined when not filtering */
  minRisk: number | undefined;
  q: string;
  productId: string;
  vulnerabilityId: string;
  sort: FindingSort;
  limit: number;
}

const oneOf = <T extends string>(values: readonly T[], v: string | null): v is T => v !== null && (values as readonly string[]).includes(v);

function readMinRisk(raw: string | null): number | undefined {
  if (raw === null || raw.trim() === '') return undefined;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 && n <= 100 ? n : undefined;
}

export function readFindingParams(query: URLSearchParams): FindingListParams {
  const status = query.get('status');
  const triage = query.get('triage');
  const review = query.get('review');
  const limit = Number(query.get('limit'));
  return {
    status: oneOf(FINDING_STATUSES, status) ? status : 'open',
    triage: oneOf(TRIAGE_FILTERS, triage) ? triage : '',
    review: review === 'yes' || review === 'no' ? review : '',
    minRisk: readMinRisk(query.get('minRisk')),
    q: query.get('q') ?? '',
    productId: query.get('productId') ?? '',
    vulnerabilityId: query.get('vulnerabilityId') ?? '',
    sort: query.get('sort') === 'lastSeen' ? 'lastSeen' : 'risk',
    limit: (PAGE_SIZES as readonly number[]).includes(limit) ? limit : DEFAULT_PAGE_SIZE,
  };
}

/** Back to URL parameters, leaving defaults out so links stay short. */
export function writeFindingParams(p: FindingListParams): Record<string, string | undefined> {
  return {
    status: p.status === 'open' ? undefined : p.status,
    triage: p.triage || undefined,
    review: p.review || undefined,
    minRisk: p.minRisk === undefined ? undefined : String(p.minRisk),
    q: p.q.trim() || undefined,
    productId: p.productId || undefined,
    vulnerabilityId: p.vulnerabilityId || undefined,
    sort: p.sort === 'risk' ? undefined : p.sort,
    limit: p.limit === DEFAULT_PAGE_SIZE ? undefined : String(p.limit),
  };
}

export function toFindingQuery(p: FindingListParams, cursor: string | undefined): FindingListQuery {
  const query: FindingListQuery = { sort: p.sort, limit: p.limit, cursor };
  if (p.status !== 'all') query.status = p.status;
  if (p.triage) query.triage = p.triage as VexState | 'untriaged';
  if (p.review) query.needsReview = p.review === 'yes';
  if (p.minRisk !== undefined) query.minRisk = p.minRisk;
  if (p.q.trim()) query.q = p.q.trim();
  if (p.productId) query.productId = p.productId;
  if (p.vulnerabilityId) query.vulnerabilityId = p.vulnerabilityId;
  return query;
}

/** filters a person set on the toolbar (status tab and search box excluded) */
export const activeFilterCount = (p: FindingListParams): number =>
  [p.triage !== '', p.review !== '', p.minRisk !== undefined, p.productId !== '', p.vulnerabilityId !== ''].filter(Boolean).length;

export const defaultFindingParams = (): FindingListParams => readFindingParams(new URLSearchParams());
