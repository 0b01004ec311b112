import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { ErrorValue } from '../../../shared/errors';
import type { ResponseOf } from '../../../shared/ipc/contract';
import { call, toErrorValue } from '../api';

export type MessageRow = ResponseOf<'records.messages'>['records'][number];
export type TransactionRow = ResponseOf<'records.transactions'>['records'][number];
export type RecordKind = 'messages' | 'transactions';
type RowOf<K extends RecordKind> = K extends 'messages' ? MessageRow : TransactionRow;

export const PAGE = 200;

/**
 * A case's messages or transactions fetched a page at a time, only for the pages on screen; `version` starts over
 * (after an import), `patch` updates one loaded row in place (after flagging) without refetching.
 */
export function usePagedRecords<K extends RecordKind>(kind: K, caseId: string, flagged: boolean | undefined, version: unknown) {
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<ErrorValue | null>(null);
  const pages = useRef(new Map<number, RowOf<K>[]>());
  const pending = useRef(new Set<number>());
  const generation = useRef(0);
  const [, rerender] = useReducer((x: number) => x + 1, 0);

  const load = useCallback(
    (page: number) => {
      if (pages.current.has(page) || pending.current.has(page)) return;
      pending.current.add(page);
      const gen = generation.current;
      const request = { caseId, offset: page * PAGE, limit: PAGE, ...(flagged === undefined ? {} : { flagged }) };
      const fetched = (kind === 'messages' ? call('records.messages', request) : call('records.transactions', request)) as Promise<{ total: number; records: RowOf<K>[] }>;
      fetched.then(
        (r) => {
          if (gen !== generation.current) return;
          pending.current.delete(page);
          pages.current.set(page, r.records);
          setTotal(r.total);
          rerender();
        },
        (e) => gen === generation.current && setError(toErrorValue(e)),
      );
    },
    [kind, caseId, flagged],
  );

  // rows fetched for another kind or filter must never render under this one (a message row read as a transaction)
  const pagesFor = useRef<unknown>(null);
  useEffect(() => {
    generation.current++;
    pagesFor.current = load;
    pages.current.clear();
    pending.current.clear();
    setTotal(null);
    setError(null);
    load(0);
  }, [load, version]);

  const current = pagesFor.current === load;
  const row = (index: number): RowOf<K> | undefined => (current ? pages.current.get(Math.floor(index / PAGE))?.[index % PAGE] : undefined);
  const patch = (index: number, change: Partial<RowOf<K>>) => {
    const page = pages.current.get(Math.floor(index / PAGE));
    const current = page?.[index % PAGE];
    if (page && current) {
      page[index % PAGE] = { ...current, ...change };
      rerender();
    }
  };
  return { total: current ? total : null, error, load, row, patch };
}
