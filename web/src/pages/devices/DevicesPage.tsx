/**
 * @module The device inventory: search, facet filters, sortable columns and cursor paging over
 * GET /devices. Filters and sort live in the URL; the stack of page cursors lives in memory and is
 * remembered for the current filter so returning from a device lands on the same page.
 */
import { useEffect, useState } from 'react';
import { api } from '../../api/client.js';
import { EmptyState, ErrorMessage, Loading } from '../../components/Feedback.js';
import { Pager } from '../../components/Pager.js';
import { useApi } from '../../hooks/useApi.js';
import { useCategories } from '../../hooks/useCategories.js';
import { formatCount } from '../../lib/format.js';
import { buildHref, navigate, useLocation } from '../../router/index.js';
import { DeviceFilters } from './DeviceFilters.js';
import { DeviceTable } from './DeviceTable.js';
import { rememberList, rememberedCursors } from './listMemory.js';
import { readListParams, toDeviceQuery, writeListParams } from './listParams.js';
import type { DeviceListParams } from './listParams.js';

export function DevicesPage() {
  const location = useLocation();
  const params = readListParams(location.query);
  const key = JSON.stringify(params);
  const categories = useCategories();

  const [paging, setPaging] = useState(() => ({ key, cursors: rememberedCursors(key) }));
  const current = paging.key === key ? paging : { key, cursors: [] };
  const cursor = current.cursors.at(-1);

  useEffect(() => {
    rememberList(location.href, current);
  }, [location.href, current]);

  useEffect(() => {
    document.title = 'Devices · CareGuard';
  }, []);

  const facets = useApi('facets', (signal) => api.deviceFacets(signal));
  const list = useApi(`${key}|${cursor ?? ''}`, (signal) => api.listDevices(toDeviceQuery(params, cursor), signal));

  const update = (next: DeviceListParams) => navigate(buildHref('/devices', writeListParams(next)), { replace: true });
  const page = list.data;
  const pageIndex = current.cursors.length;

  return (
    <main className="page" id="main">
      <div className="page__header">
        <div>
          <h1 className="page__title">Devices</h1>
          <p className="page__subtitle" data-testid="device-total" aria-live="polite">
            {page ? `${formatCount(page.total)} ${page.total === 1 ? 'device' : 'devices'}` : '\u00a0'}
          </p>
        </div>
      </div>

      <DeviceFilters params={params} facets={facets.data} categoryLabel={(id) => categories.label(id)} onChange={update} />

      <div className="card card--flush">
        {list.loading ? <div className="progress" role="progressbar" aria-label="Loading devices" /> : null}
        {list.error ? <ErrorMessage error={list.error} onRetry={list.reload} /> : null}
        {!page && list.loading ? <Loading label="Loading devices…" /> : null}
        {page && page.items.length === 0 && !list.loading ? (
          <EmptyState title="No devices match">Try a different search or clear the filters.</EmptyState>
        ) : null}
        {page && page.items.length > 0 ? (
          <DeviceTable
            devices={page.items}
            sort={params.sort}
            order={params.order}
            onSort={(sort, order) => update({ ...params, sort, order })}
            categoryLabel={(id) => categories.label(id)}
            busy={list.loading}
            caption={`Devices, page ${pageIndex + 1}, sorted by ${params.sort} ${params.order === 'asc' ? 'ascending' : 'descending'}`}
          />
        ) : null}
        {page && page.items.length > 0 ? (
          <Pager
            label="Device pages"
            page={pageIndex}
            pageSize={params.limit}
            shown={page.items.length}
            total={page.total}
            hasNext={page.nextCursor !== undefined}
            busy={list.loading}
            onPrevious={() => setPaging({ key, cursors: current.cursors.slice(0, -1) })}
            onNext={() => setPaging({ key, cursors: [...current.cursors, page.nextCursor] })}
          />
        ) : null}
      </div>
    </main>
  );
}
