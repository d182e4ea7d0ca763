/**
 * @module Labels for the finding ids that rollups list. Rollups carry only ids; a rollup's top findings
 * are, by construction, among the highest-risk open findings, so one request for the top 500 open
 * findings (cached for a minute) labels nearly all of them with their vulnerability and component.
 * Ids outside that page fall back to a shortened id.
 */
import { useEffect, useState } from 'react';
import { vulnsApi } from '../../api/vulns.js';
import type { Finding } from '../../api/vulns.js';

const INDEX_SIZE = 500;
const TTL_MS = 60_000;
let cached: { at: number; index: Promise<ReadonlyMap<string, Finding>> } | undefined;

function loadIndex(): Promise<ReadonlyMap<string, Finding>> {
  if (cached && Date.now() - cached.at < TTL_MS) return cached.index;
  const index = vulnsApi.listFindings({ status: 'open', sort: 'risk', limit: INDEX_SIZE }).then(
    (page) => new Map(page.items.map((f) => [f.id, f])),
    () => {
      cached = undefined; // labels are a nicety: show ids now, try again next time
      return new Map<string, Finding>();
    },
  );
  cached = { at: Date.now(), index };
  return index;
}

export function useFindingIndex(enabled: boolean): ReadonlyMap<string, Finding> {
  const [index, setIndex] = useState<ReadonlyMap<string, Finding>>(new Map());
  useEffect(() => {
    if (!enabled) return;
    let live = true;
    void loadIndex().then((m) => {
      if (live) setIndex(m);
    });
    return () => {
      live = false;
    };
  }, [enabled]);
  return index;
}
