import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorValue } from '../../../shared/errors';
import { formatMoney } from '../../../shared/format';
import { call, toErrorValue } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatTime } from '../format';
import { PAGE, usePagedRecords, type MessageRow, type RecordKind, type TransactionRow } from './usePagedRecords';
import './records.css';

const ROW = 60;
type Filter = 'all' | 'flagged' | 'unflagged';

/**
 * The messages and transactions read from imported files, virtualized so a 100,000-message backup scrolls like ten.
 * The checkbox on each row marks it as evidence of the fraud: packets include exactly these, and every change is
 * an entry on the case's custody log.
 */
export function RecordsPanel({ caseId, version }: { caseId: string; version: unknown }) {
  const { t, i18n } = useTranslation();
  const [kind, setKind] = useState<RecordKind>('transactions');
  const [filter, setFilter] = useState<Filter>('all');
  const [reload, setReload] = useState(0);
  const [error, setError] = useState<ErrorValue | null>(null);
  const flagged = filter === 'all' ? undefined : filter === 'flagged';
  const generation = useMemo(() => ({ version, reload }), [version, reload]);
  const list = usePagedRecords(kind, caseId, flagged, generation);

  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: list.total ?? 0, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 8 });
  const rows = virtual.getVirtualItems();
  const first = rows[0]?.index ?? 0;
  const last = rows[rows.length - 1]?.index ?? 0;
  const { load } = list;
  useEffect(() => {
    for (let p = Math.floor(first / PAGE); p <= Math.floor(last / PAGE); p++) load(p);
  }, [first, last, load]);

  const toggle = async (index: number, record: MessageRow | TransactionRow) => {
    setError(null);
    // shown at once; put back if the vault refuses
    list.patch(index, { flagged: !record.flagged });
    try {
      await call('records.flag', { caseId, recordIds: [record.id], flagged: !record.flagged });
      // in a filtered view the row no longer belongs to the list
      if (flagged !== undefined) setReload((n) => n + 1);
    } catch (err) {
      list.patch(index, { flagged: record.flagged });
      setError(toErrorValue(err));
    }
  };

  return (
    <section className="records-panel" aria-labelledby="records-title">
      <h2 id="records-title">{t('ui.records.list.title')}</h2>
      <p className="hint">{t('ui.records.list.intro')}</p>
      <div className="row records-controls">
        <fieldset className="segmented">
          <legend className="sr-only">{t('ui.records.list.show')}</legend>
          {(['transactions', 'messages'] as const).map((k) => (
            <label key={k}>
              <input type="radio" name="record-kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
              {t(`ui.records.list.${k}`)}
            </label>
          ))}
        </fieldset>
        <label className="field-inline">
          {t('ui.records.list.filter')}
          <select value={filter} onChange={(e) => setFilter(e.target.value as Filter)}>
            <option value="all">{t('ui.common.all')}</option>
            <option value="flagged">{t('ui.records.list.onlyFlagged')}</option>
            <option value="unflagged">{t('ui.records.list.onlyUnflagged')}</option>
          </select>
        </label>
        <span className="hint" data-testid="records-total">
          {list.total === null ? '' : t(`ui.records.count.${kind}`, { count: list.total, n: new Intl.NumberFormat(i18n.language).format(list.total) })}
        </span>
      </div>
      <ErrorMessage error={error ?? list.error} />
      {list.total === 0 ? (
        <p className="empty">{t(filter === 'all' ? 'ui.records.list.empty' : 'ui.records.list.emptyFiltered')}</p>
      ) : (
        <div ref={scroller} className="scroller records-scroller" role="list" aria-label={t(`ui.records.list.${kind}`)} data-testid={`records-${kind}`} data-total={list.total ?? undefined}>
          <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
            {rows.map((v) => {
              const r = list.row(v.index);
              return (
                <div key={v.index} role="listitem" className={`record-row${r?.flagged ? ' flagged' : ''}`} style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${v.start}px)` }}>
                  {!r ? (
                    <span className="rec-detail">{t('ui.app.loading')}</span>
                  ) : kind === 'transactions' ? (
                    <TransactionLine r={r as TransactionRow} onToggle={() => void toggle(v.index, r)} />
                  ) : (
                    <MessageLine r={r as MessageRow} onToggle={() => void toggle(v.index, r)} />
                  )}
                </div>
              );
            })}
          </div>
        </div>
      )}
    </section>
  );
}

/** The core writes locators as "row 18", "element 3", "line 7": shown in the UI language when they are that simple. */
function useLocator(): (locator: string) => string {
  const { t } = useTranslation();
  return (locator) => {
    const m = /^(row|element|line|message) (\d+)$/.exec(locator);
    return t('ui.records.list.source', { locator: m ? t(`ui.records.locator.${m[1]}`, { n: m[2] }) : locator });
  };
}

function FlagBox({ checked, label, onToggle }: { checked: boolean; label: string; onToggle: () => void }) {
  const { t } = useTranslation();
  return (
    <label className="rec-flag" title={t('ui.records.list.flagHint')}>
      <input type="checkbox" checked={checked} onChange={onToggle} aria-label={label} />
      <span aria-hidden="true">{t('ui.records.list.evidence')}</span>
    </label>
  );
}

function TransactionLine({ r, onToggle }: { r: TransactionRow; onToggle: () => void }) {
  const { t, i18n } = useTranslation();
  const where = useLocator();
  const lng = i18n.language;
  const sign = r.direction === 'out' ? '−' : r.direction === 'in' ? '+' : '';
  const amount = `${sign}${formatMoney(r.amount, lng)}`;
  const who = [r.counterpartyName, r.counterpartyAccount && `(${r.counterpartyAccount})`].filter(Boolean).join(' ') || '—';
  const when = formatTime(r.time.instant, lng);
  const detail = [t(`ui.records.direction.${r.direction}`), r.status, r.method, r.platformTxId && t('ui.records.list.txId', { id: r.platformTxId }), r.note].filter(Boolean).join(' · ');
  return (
    <>
      <FlagBox checked={r.flagged} onToggle={onToggle} label={t('ui.records.list.flagLabel', { what: `${amount} ${who}`, when })} />
      <time dateTime={r.time.instant} className="rec-time">
        {when}
      </time>
      <span className={`rec-amount dir-${r.direction}`} data-testid="tx-amount">
        {amount}
      </span>
      <span className="rec-main">{who}</span>
      <span className="rec-detail">{detail}</span>
      <span className="rec-source" title={t('ui.records.list.sourceHint')}>
        {where(r.source.locator)}
      </span>
    </>
  );
}

function MessageLine({ r, onToggle }: { r: MessageRow; onToggle: () => void }) {
  const { t, i18n } = useTranslation();
  const where = useLocator();
  const lng = i18n.language;
  const who = [r.counterpartName, r.counterpartAddress].filter(Boolean).join(' ') || '—';
  const title = `${r.direction === 'out' ? t('ui.timeline.to') : t('ui.timeline.from')} ${who}`;
  const when = formatTime(r.time.instant, lng);
  return (
    <>
      <FlagBox checked={r.flagged} onToggle={onToggle} label={t('ui.records.list.flagLabel', { what: `${title}: ${r.body.slice(0, 60)}`, when })} />
      <time dateTime={r.time.instant} className="rec-time">
        {when}
      </time>
      <span className="rec-amount">{t(`ui.records.channel.${r.channel}`, { defaultValue: r.channel })}</span>
      <span className="rec-main">{title}</span>
      <span className="rec-detail rec-body" title={r.body}>
        {r.body}
      </span>
      <span className="rec-source" title={t('ui.records.list.sourceHint')}>
        {where(r.source.locator)}
      </span>
    </>
  );
}
