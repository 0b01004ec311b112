import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorValue } from '../../../shared/errors';
import { formatMoney } from '../../../shared/format';
import type { TransactionRecord } from '../../../shared/records';
import { call, toErrorValue } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatTime } from '../format';
import { PICKER_LIMIT } from './ItemPicker';

const PAGE = 500;
/** Statements rarely hold more; past this the search covers the first ones only, which the label says. */
const MAX_LOADED = 5_000;

export function describeTransaction(tx: TransactionRecord, lng: string): string {
  const sign = tx.direction === 'out' ? '−' : tx.direction === 'in' ? '+' : '';
  const who = tx.counterpartyName || tx.counterpartyAccount || tx.platform || '—';
  return `${formatTime(tx.time.instant, lng)} · ${sign}${formatMoney(tx.amount, lng)} · ${who}`;
}

/**
 * Links an evidence item (the receipt screenshot, say) to the imported transaction it shows, and lists the
 * transactions already linked in words rather than ids. Shows nothing for a case without transactions.
 */
export function LinkTransaction({ itemId, caseId, linkedIds, onLinked }: { itemId: string; caseId: string; linkedIds: string[]; onLinked: () => void }) {
  const { t, i18n } = useTranslation();
  const [all, setAll] = useState<TransactionRecord[] | null>(null);
  const [query, setQuery] = useState('');
  const [error, setError] = useState<ErrorValue | null>(null);
  const searchId = useId();
  // formatting builds Intl formatters: once per transaction and language, not on every keystroke
  const labels = useMemo(() => new Map((all ?? []).map((tx) => [tx.id, describeTransaction(tx, i18n.language)])), [all, i18n.language]);
  useEffect(() => {
    let live = true;
    void (async () => {
      const out: TransactionRecord[] = [];
      for (let offset = 0; offset < MAX_LOADED; offset += PAGE) {
        const page = await call('records.transactions', { caseId, offset, limit: PAGE });
        out.push(...page.records);
        if (out.length >= page.total || page.records.length === 0) break;
      }
      if (live) setAll(out);
    })().catch((e) => live && setError(toErrorValue(e)));
    return () => void (live = false);
  }, [caseId]);
  if (error) return <ErrorMessage error={error} />;
  if (!all || all.length === 0) return null;

  const linked = new Set(linkedIds);
  const label = (tx: TransactionRecord) => labels.get(tx.id) ?? tx.id;
  const needle = query.trim().toLowerCase();
  const candidates = all.filter((tx) => !linked.has(tx.id) && (!needle || label(tx).toLowerCase().includes(needle) || (tx.note ?? '').toLowerCase().includes(needle)));
  const link = async (targetId: string) => {
    try {
      await call('items.link', { itemId, targetType: 'transaction', targetId });
      setError(null);
      onLinked();
    } catch (err) {
      setError(toErrorValue(err));
    }
  };
  return (
    <div className="link-transaction">
      {all.some((tx) => linked.has(tx.id)) && (
        <ul className="linked-transactions" data-testid="linked-transactions">
          {all
            .filter((tx) => linked.has(tx.id))
            .map((tx) => (
              <li key={tx.id}>{label(tx)}</li>
            ))}
        </ul>
      )}
      <span className="item-picker">
        {all.length > PICKER_LIMIT && (
          <label className="field inline" htmlFor={searchId}>
            <span className="sr-only">{t('ui.linkTransaction.search')}</span>
            <input id={searchId} type="search" value={query} placeholder={t('ui.picker.placeholder')} onChange={(e) => setQuery(e.target.value)} />
          </label>
        )}
        <label className="field inline">
          <span className="sr-only">{t('ui.linkTransaction.label')}</span>
          <select value="" onChange={(e) => e.target.value && void link(e.target.value)} data-testid="link-transaction">
            <option value="">{t('ui.linkTransaction.label')}</option>
            {candidates.slice(0, PICKER_LIMIT).map((tx) => (
              <option key={tx.id} value={tx.id}>
                {label(tx)}
              </option>
            ))}
          </select>
        </label>
      </span>
    </div>
  );
}
