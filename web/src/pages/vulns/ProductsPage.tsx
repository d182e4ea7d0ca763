/**
 * @module The products CareGuard tracks vulnerabilities for: one row per product version (from the
 * inventory's manufacturer/model/firmware, imported SBOMs or the API), searchable, paged by cursor.
 */
import { useEffect, useRef, useState } from 'react';
import { vulnsApi } from '../../api/vulns.js';
import { EmptyState, ErrorMessage, Loading } from '../../components/Feedback.js';
import { Pager } from '../../components/Pager.js';
import { useApi } from '../../hooks/useApi.js';
import { useDebounced } from '../../hooks/useDebounced.js';
import { formatCount, formatDateTime, formatRelative, humanize } from '../../lib/format.js';
import { Link, buildHref, navigate, useLocation } from '../../router/index.js';
import { rememberProductsList } from './listMemory.js';

const PAGE_SIZE = 50;

function ProductSearch({ q, onChange }: { q: string; onChange(q: string): void }) {
  const [text, setText] = useState(q);
  const debounced = useDebounced(text, 300);
  const pushed = useRef(q);
  useEffect(() => {
    if (debounced.trim() === q.trim()) return;
    pushed.current = debounced;
    onChange(debounced);
    // the debounced text is what triggers a push
  }, [debounced]);
  useEffect(() => {
    if (q !== pushed.current) {
      pushed.current = q;
      setText(q);
    }
  }, [q]);
  return (
    <section className="toolbar" aria-label="Search products">
      <div className="toolbar__search">
        <label htmlFor="product-search" className="visually-hidden">
          Search products
        </label>
        <span className="searchbox">
          <svg className="searchbox__icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
            <path d="M8.5 3a5.5 5.5 0 1 0 3.4 9.8l3.6 3.7 1.1-1.1-3.7-3.6A5.5 5.5 0 0 0 8.5 3Zm0 1.5a4 4 0 1 1 0 8 4 4 0 0 1 0-8Z" />
          </svg>
          <input
            id="product-search"
            type="search"
            placeholder="Search manufacturer, product or version…"
            value={text}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                pushed.current = text;
                onChange(text);
              }
            }}
            autoComplete="off"
            maxLength={200}
            spellCheck={false}
          />
        </span>
      </div>
    </section>
  );
}

export function ProductsPage() {
  const location = useLocation();
  const q = (location.query.get('q') ?? '').trim();
  const [paging, setPaging] = useState({ key: q, cursors: [] as (string | undefined)[] });
  const cursors = paging.key === q ? paging.cursors : [];
  const cursor = cursors.at(-1);

  useEffect(() => {
    document.title = 'Products · CareGuard';
  }, []);
  useEffect(() => {
    rememberProductsList(location.href);
  }, [location.href]);

  const list = useApi(`${q}|${cursor ?? ''}`, (signal) => vulnsApi.listProducts({ q: q || undefined, limit: PAGE_SIZE, cursor }, signal));
  const page = list.data;

  return (
    <main className="page" id="main">
      <div className="page__header">
        <div>
          <h1 className="page__title">Products</h1>
          <p className="page__subtitle" data-testid="product-total" aria-live="polite">
            {page ? `${formatCount(page.total)} product ${page.total === 1 ? 'version' : 'versions'}` : '\u00a0'}
          </p>
        </div>
      </div>
      <ProductSearch q={q} onChange={(next) => navigate(buildHref('/products', { q: next.trim() }), { replace: true })} />
      <div className="card card--flush">
        {list.loading ? <div className="progress" role="progressbar" aria-label="Loading products" /> : null}
        {list.error ? <ErrorMessage error={list.error} onRetry={list.reload} /> : null}
        {!page && list.loading ? <Loading label="Loading products…" /> : null}
        {page && page.items.length === 0 && !list.loading ? <EmptyState title="No products match">Products come from the inventory, imported SBOMs and the API.</EmptyState> : null}
        {page && page.items.length > 0 ? (
          <>
            <div className="tablewrap" role="region" aria-label="Products" tabIndex={0}>
              <table className="table" aria-busy={list.loading} data-testid="product-table">
                <caption className="visually-hidden">Product versions, page {cursors.length + 1}</caption>
                <thead>
                  <tr>
                    <th scope="col">Product</th>
                    <th scope="col">Manufacturer</th>
                    <th scope="col">Version</th>
                    <th scope="col">Source</th>
                    <th scope="col" className="col-seen">
                      Updated
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((p) => (
                    <tr key={p.id} data-product-id={p.id}>
                      <th scope="row" className="cell-name">
                        <Link to={`/products/${encodeURIComponent(p.id)}`}>{p.name}</Link>
                        {p.cpe ?? p.purl ? <span className="cell-sub mono">{p.cpe ?? p.purl}</span> : null}
                      </th>
                      <td>{p.manufacturer}</td>
                      <td className="mono">{p.version || <span className="muted">any</span>}</td>
                      <td>{humanize(p.origin)}</td>
                      <td className="col-seen">
                        <time dateTime={p.updatedAt} title={formatDateTime(p.updatedAt)}>
                          {formatRelative(p.updatedAt)}
                        </time>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager
              label="Product pages"
              page={cursors.length}
              pageSize={PAGE_SIZE}
              shown={page.items.length}
              total={page.total}
              hasNext={page.nextCursor !== undefined}
              busy={list.loading}
              onPrevious={() => setPaging({ key: q, cursors: cursors.slice(0, -1) })}
              onNext={() => setPaging({ key: q, cursors: [...cursors, page.nextCursor] })}
            />
          </>
        ) : null}
      </div>
    </main>
  );
}
