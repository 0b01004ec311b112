import { useCallback, useEffect, useState } from 'react';
import type { ErrorValue } from '../../../shared/errors';
import { toErrorValue } from '../api';

/** Loads something through the API; reload() fetches again after a change. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]) {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ErrorValue | null>(null);
  const [version, setVersion] = useState(0);
  // the caller lists what the loader depends on
  const stable = useCallback(load, deps);
  useEffect(() => {
    let live = true;
    stable().then(
      (d) => live && (setData(d), setError(null)),
      (e) => live && setError(toErrorValue(e)),
    );
    return () => {
      live = false;
    };
  }, [stable, version]);
  return { data, error, reload: () => setVersion((v) => v + 1), setData };
}
