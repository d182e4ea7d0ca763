/**
 * @module Product records for the ids a findings list or risk view mentions. Findings carry only a
 * product id; people recognise "Hospira Plum A+ 13.42", so the products are fetched (a handful of
 * parallel GET /products/:id, cached for the session) and the id shows until, or if, they load.
 */
import { useEffect, useState } from 'react';
import { vulnsApi } from '../../api/vulns.js';
import type { Product } from '../../api/vulns.js';

const cache = new Map<string, Promise<Product | undefined>>();
const MAX_PARALLEL = 6;

function lookup(id: string): Promise<Product | undefined> {
  let p = cache.get(id);
  if (!p) {
    p = vulnsApi.getProduct(id).then(
      (d) => d.product,
      () => {
        cache.delete(id); // a failed lookup may succeed on a later page
        return undefined;
      },
    );
    cache.set(id, p);
  }
  return p;
}

export const productLabel = (p: Pick<Product, 'manufacturer' | 'name' | 'version'>): string => [p.manufacturer, p.name, p.version].filter(Boolean).join(' ');

export function useProducts(ids: readonly (string | undefined)[]): ReadonlyMap<string, Product> {
  const [known, setKnown] = useState<ReadonlyMap<string, Product>>(new Map());
  const key = [...new Set(ids.filter((id): id is string => Boolean(id)))].sort().join(',');

  useEffect(() => {
    let live = true;
    const queue = key ? key.split(',') : [];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined && live; id = queue.shift()) {
        const product = await lookup(id);
        if (product && live) setKnown((prev) => (prev.get(id) === product ? prev : new Map(prev).set(id, product)));
      }
    };
    void Promise.all(Array.from({ length: Math.min(MAX_PARALLEL, queue.length) }, worker));
    return () => {
      live = false;
    };
  }, [key]);

  return known;
}

/** A product link label: its name when known, else a shortened id. */
export function ProductName({ id, products }: { id: string; products: ReadonlyMap<string, Product> }) {
  const p = products.get(id);
  return p ? <>{productLabel(p)}</> : <span className="mono">{id.length > 14 ? `${id.slice(0, 14)}…` : id}</span>;
}
