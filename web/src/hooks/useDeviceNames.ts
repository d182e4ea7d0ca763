/**
 * @module Names for the devices an alert list mentions. Alerts carry only a device id; people recognise
 * "Infusion pump 3W-14", so the names are fetched (a handful of parallel GET /devices/:id, cached for the
 * session) and the id is shown until, or if, the name is known.
 */
import { useEffect, useState } from 'react';
import { api } from '../api/client.js';

const names = new Map<string, Promise<string | undefined>>();
const MAX_PARALLEL = 6;

function lookup(id: string): Promise<string | undefined> {
  let p = names.get(id);
  if (!p) {
    p = api.getDevice(id).then(
      (d) => d.name,
      () => undefined,
    );
    names.set(id, p);
  }
  return p;
}

async function lookupAll(ids: string[], onName: (id: string, name: string) => void, isLive: () => boolean): Promise<void> {
  const queue = [...ids];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined && isLive(); id = queue.shift()) {
      const name = await lookup(id);
      if (name && isLive()) onName(id, name);
    }
  };
  await Promise.all(Array.from({ length: Math.min(MAX_PARALLEL, ids.length) }, worker));
}

export function useDeviceNames(ids: readonly (string | undefined)[]): ReadonlyMap<string, string> {
  const [known, setKnown] = useState<ReadonlyMap<string, string>>(new Map());
  const key = [...new Set(ids.filter((id): id is string => Boolean(id)))].sort().join(',');

  useEffect(() => {
    let live = true;
    const wanted = key ? key.split(',') : [];
    void lookupAll(
      wanted,
      (id, name) => setKnown((prev) => (prev.get(id) === name ? prev : new Map(prev).set(id, name))),
      () => live,
    );
    return () => {
      live = false;
    };
  }, [key]);

  return known;
}
