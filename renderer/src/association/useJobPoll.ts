import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorValue } from '../../../shared/errors';
import { toErrorValue } from '../api';

/**
 * Follows a background job in the main process by polling its status (the transport-independent way to stream
 * progress, as the integrity check does) until it leaves the 'running' state. Stops when the screen unmounts.
 */
export function useJobPoll<J extends { state: string }>(fetchStatus: (jobId: string) => Promise<J>, intervalMs = 200) {
  const [job, setJob] = useState<J | null>(null);
  const [error, setError] = useState<ErrorValue | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const fetchRef = useRef(fetchStatus);
  fetchRef.current = fetchStatus;
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  const poll = useCallback(
    (jobId: string) => {
      timer.current = setTimeout(async () => {
        try {
          const s = await fetchRef.current(jobId);
          setJob(s);
          if (s.state === 'running') poll(jobId);
        } catch (err) {
          setError(toErrorValue(err));
        }
      }, intervalMs);
    },
    [intervalMs],
  );

  const follow = useCallback(
    (jobId: string, initial: J) => {
      if (timer.current) clearTimeout(timer.current);
      setError(null);
      setJob(initial);
      poll(jobId);
    },
    [poll],
  );
  return { job, error, setError, follow, reset: () => setJob(null) };
}
