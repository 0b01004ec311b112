import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorValue } from '../../../shared/errors';
import type { ResponseOf } from '../../../shared/ipc/contract';
import { formatMoney } from '../../../shared/format';
import { call, toErrorValue } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatTime } from '../format';

type Entry = ResponseOf<'timeline.page'>['entries'][number];

const ROW = 64;
const PAGE = 200;

/**
 * The case's evidence, messages and transactions in one time-ordered list. Virtualized and paged: only the rows on
 * screen are in the DOM and only their pages are fetched, so 100,000 messages scroll like ten.
 */
export function Timeline({ caseId, version, onOpen }: { caseId: string; version: unknown; onOpen: (itemId: string) => void }) {
  const { t, i18n } = useTranslation();
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<ErrorValue | null>(null);
  const pages = useRef(new Map<number, Entry[]>());
  const pending = useRef(new Set<number>());
  const [, rerender] = useReducer((x: number) => x + 1, 0);
  const generation = useRef(0);

  const load = useCallback(
    (page: number) => {
      if (pages.current.has(page) || pending.current.has(page)) return;
      pending.current.add(page);
      const gen = generation.current;
      call('timeline.page', { caseId, offset: page * PAGE, limit: PAGE }).then(
        (r) => {
          if (gen !== generation.current) return;
          pending.current.delete(page);
          pages.current.set(page, r.entries);
          setTotal(r.total);
          rerender();
        },
        (e) => setError(toErrorValue(e)),
      );
    },
    [caseId],
  );

  useEffect(() => {
    generation.current++;
    pages.current.clear();
    pending.current.clear();
    load(0);
  }, [load, version]);

  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: total ?? 0, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 10 });
  const rows = virtual.getVirtualItems();
  const first = rows[0]?.index ?? 0;
  const last = rows[rows.length - 1]?.index ?? 0;
  useEffect(() => {
    for (let p = Math.floor(first / PAGE); p <= Math.floor(last / PAGE); p++) load(p);
  }, [first, last, load]);

  if (error) return <ErrorMessage error={error} />;
  if (total === 0) return <p className="empty">{t('ui.timeline.empty')}</p>;
  return (
    <div ref={scroller} className="scroller" role="list" aria-label={t('ui.workspace.tab.timeline')} data-total={total ?? undefined} data-testid="timeline">
      <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
        {rows.map((row) => {
          const e = pages.current.get(Math.floor(row.index / PAGE))?.[row.index % PAGE];
          return (
            <div key={row.index} role="listitem" className="timeline-row" style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${row.start}px)` }}>
              {e ? <EntryRow e={e} lng={i18n.language} onOpen={onOpen} /> : <span className="tl-detail">{t('ui.app.loading')}</span>}
            </div>
          );
        })}
      </div>
    </div>
  );
}

function EntryRow({ e, lng, onOpen }: { e: Entry; lng: string; onOpen: (itemId: string) => void }) {
  const { t } = useTranslation();
  let title = e.title;
  let detail = e.body;
  if (e.source === 'item') {
    detail = t(`ui.kind.${e.body}`, { defaultValue: e.body });
  } else if (e.source === 'message') {
    title = `${e.direction === 'out' ? t('ui.timeline.to') : t('ui.timeline.from')} ${e.title || '—'}`;
  } else if (e.amount) {
    const sign = e.direction === 'out' ? '−' : e.direction === 'in' ? '+' : '';
    title = `${sign}${formatMoney(e.amount, lng)} · ${e.title || '—'}`;
    detail = [e.channel ? t(`ui.timeline.channel.${e.channel}`, { defaultValue: e.channel }) : '', e.body].filter(Boolean).join(' · ');
  }
  return (
    <>
      <time dateTime={e.instant} className="tl-time">
        {formatTime(e.instant, lng)}
      </time>
      <span className={`tl-source tl-${e.source}`}>{t(`ui.timeline.source.${e.source}`)}</span>
      <button type="button" className="tl-title link" onClick={() => onOpen(e.itemId)}>
        {title}
      </button>
      <span className="tl-detail">{detail}</span>
    </>
  );
}
