/**
 * @module The findings list: every (product version, component, vulnerability) match, highest risk
 * first, filterable by status, triage state, review flag, minimum risk and text, paged by the server's
 * keyset cursors. Filters and sort live in the URL; the cursor stack lives in memory per filter.
 */
import { useEffect, useState } from 'react';
import { vulnsApi } from '../../api/vulns.js';
import { EmptyState, ErrorMessage, Loading } from '../../components/Feedback.js';
import { Pager } from '../../components/Pager.js';
import { useApi } from '../../hooks/useApi.js';
import { formatCount } from '../../lib/format.js';
import { buildHref, navigate, useLocation } from '../../router/index.js';
import { FindingFilters } from './FindingFilters.js';
import { readFindingParams, toFindingQuery, writeFindingParams } from './findingParams.js';
import type { FindingListParams } from './findingParams.js';
import { FindingTable } from './FindingTable.js';
import { rememberFindingsList } from './listMemory.js';
import { productLabel, useProducts } from './useProducts.js';

export function FindingsPage() {
  const location = useLocation();
  const params = readFindingParams(location.query);
  const key = JSON.stringify(params);

  const [paging, setPaging] = useState({ key, cursors: [] as (string | undefined)[] });
  const cursors = paging.key === key ? paging.cursors : [];
  const cursor = cursors.at(-1);
  const scoped = useProducts([params.productId]);
  const scopedProduct = params.productId ? scoped.get(params.productId) : undefined;

  useEffect(() => {
    document.title = 'Findings · CareGuard';
  }, []);
  useEffect(() => {
    rememberFindingsList(location.href);
  }, [location.href]);

  const list = useApi(`${key}|${cursor ?? ''}`, (signal) => vulnsApi.listFindings(toFindingQuery(params, cursor), signal));
  const update = (next: FindingListParams) => navigate(buildHref('/findings', writeFindingParams(next)), { replace: true });
  const page = list.data;
  const statusWord = params.status === 'all' ? '' : `${params.status} `;

  return (
    <main className="page" id="main">
      <div className="page__header">
        <div>
          <h1 className="page__title">Findings</h1>
          <p className="page__subtitle" data-testid="finding-total" aria-live="polite">
            {page ? `${formatCount(page.total)} ${statusWord}${page.total === 1 ? 'finding' : 'findings'}` : '\u00a0'}
          </p>
        </div>
      </div>

      <FindingFilters params={params} productLabel={scopedProduct ? productLabel(scopedProduct) : undefined} onChange={update} />

      <div className="card card--flush">
        {list.loading ? <div className="progress" role="progressbar" aria-label="Loading findings" /> : null}
        {list.error ? <ErrorMessage error={list.error} onRetry={list.reload} /> : null}
        {!page && list.loading ? <Loading label="Loading findings…" /> : null}
        {page && page.items.length === 0 && !list.loading ? <EmptyState title="No findings match">Try another status, lower the minimum risk or clear the filters.</EmptyState> : null}
        {page && page.items.length > 0 ? (
          <>
            <FindingTable
              findings={page.items}
              busy={list.loading}
              label="Findings"
              caption={`Findings, page ${cursors.length + 1}, sorted by ${params.sort === 'risk' ? 'risk score' : 'last seen'}, highest first`}
            />
            <Pager
              label="Finding pages"
              page={cursors.length}
              pageSize={params.limit}
              shown={page.items.length}
              total={page.total}
              hasNext={page.nextCursor !== undefined}
              busy={list.loading}
              onPrevious={() => setPaging({ key, cursors: cursors.slice(0, -1) })}
              onNext={() => setPaging({ key, cursors: [...cursors, page.nextCursor] })}
            />
          </>
        ) : null}
      </div>
    </main>
  );
}
