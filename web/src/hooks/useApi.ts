/**
 * @module Loads one API resource for a component: aborts the previous request when its key changes
 * (so a slow answer for an old search never overwrites a newer one), and exposes loading, error and
 * a reload for after mutations.
 */
import { useCallback, useEffect, useState } from 'react';

export interface ApiResource<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/**
 * @param key identity of the request; a new key starts a new request
 * @param load performs the request; receives an AbortSignal
 */
export function useApi<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): ApiResource<T> {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(key !== null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    load(controller.signal)
      .then((value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setLoading(false);
      })
      .catch((e: unknown) => {
        if (controller.signal.aborted) return;
        setError(e);
        setLoading(false);
      });
    return () => controller.abort();
    // `load` is deliberately not a dependency: callers pass inline closures, and `key` names the request
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, loading, reload };
}
