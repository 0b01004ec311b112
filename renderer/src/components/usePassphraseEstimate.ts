import { useDeferredValue, useEffect, useMemo, useState } from 'react';
import { loadPassphraseEstimator, type PassphraseEstimate, type PassphraseEstimator } from '../../../shared/passphrase-strength';

/**
 * The strength of what is being typed. The estimator and its dictionaries are fetched when a passphrase field first
 * appears (a chunk of their own, not in the main bundle), and each estimate renders at a lower priority than the
 * keystroke (useDeferredValue), so typing never waits for it.
 */
export function usePassphraseEstimate(value: string): { estimate: PassphraseEstimate | null; loading: boolean } {
  const [estimator, setEstimator] = useState<PassphraseEstimator | null>(null);
  useEffect(() => {
    let live = true;
    // a chunk that cannot load leaves the meter out; the core still applies the rule
    loadPassphraseEstimator().then((e) => live && setEstimator(e), () => undefined);
    return () => {
      live = false;
    };
  }, []);
  const deferred = useDeferredValue(value);
  const estimate = useMemo(() => (estimator && deferred ? estimator.estimate(deferred) : null), [estimator, deferred]);
  return { estimate, loading: estimator === null };
}
