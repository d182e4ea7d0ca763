/**
 * @module The device category taxonomy, fetched once per session and shared by every page that turns
 * a category id ("infusion-pump") into its label ("Infusion pump").
 */
import { useEffect, useState } from 'react';
import { api } from '../api/client.js';
import type { TaxonomyCategory } from '../api/types.js';
import { humanize } from '../lib/format.js';

let cached: Promise<Map<string, TaxonomyCategory>> | undefined;

function loadCategories(): Promise<Map<string, TaxonomyCategory>> {
  cached ??= api
    .categories()
    .then((list) => new Map(list.map((c) => [c.id, c])))
    .catch(() => {
      // labels are a nicety: on failure show ids, and let a later page try again
      cached = undefined;
      return new Map<string, TaxonomyCategory>();
    });
  return cached;
}

export interface Categories {
  byId: ReadonlyMap<string, TaxonomyCategory>;
  label(id: string | undefined): string;
}

export function useCategories(): Categories {
  const [byId, setById] = useState<ReadonlyMap<string, TaxonomyCategory>>(new Map());
  useEffect(() => {
    let live = true;
    void loadCategories().then((m) => {
      if (live) setById(m);
    });
    return () => {
      live = false;
    };
  }, []);
  return {
    byId,
    label: (id) => (id ? byId.get(id)?.label ?? humanize(id) : '—'),
  };
}
