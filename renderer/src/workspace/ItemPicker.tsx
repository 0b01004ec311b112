import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ListedItem } from './types';

/** More options than this and a select becomes slow to open and useless to scroll: a filter box appears instead. */
export const PICKER_LIMIT = 50;

/**
 * Picks one evidence item. A case can hold 10,000 items, so the list never renders them all: it shows the most
 * recently added ones and, past PICKER_LIMIT, a search box that narrows it by title.
 */
export function ItemPicker({ items, label, placeholder, onPick }: { items: ListedItem[]; label: string; placeholder: string; onPick: (itemId: string) => void }) {
  const { t, i18n } = useTranslation();
  const [query, setQuery] = useState('');
  const searchId = useId();
  const needle = query.trim().toLowerCase();
  const matching = needle ? items.filter((i) => i.title.toLowerCase().includes(needle)) : items;
  // newest first: what the user just added is what they most likely want to link
  const shown = matching.slice(-PICKER_LIMIT).reverse();
  const hidden = matching.length - shown.length;
  return (
    <span className="item-picker">
      {items.length > PICKER_LIMIT && (
        <label className="field inline" htmlFor={searchId}>
          <span className="sr-only">{t('ui.picker.search', { label })}</span>
          <input id={searchId} type="search" value={query} placeholder={t('ui.picker.placeholder')} onChange={(e) => setQuery(e.target.value)} />
        </label>
      )}
      <label className="field inline">
        <span className="sr-only">{label}</span>
        <select value="" onChange={(e) => e.target.value && onPick(e.target.value)} data-testid="item-picker">
          <option value="">{placeholder}</option>
          {shown.map((i) => (
            <option key={i.id} value={i.id}>
              {i.title}
            </option>
          ))}
          {hidden > 0 && (
            <option value="" disabled>
              {t('ui.picker.more', { count: hidden, n: new Intl.NumberFormat(i18n.language).format(hidden) })}
            </option>
          )}
        </select>
      </label>
    </span>
  );
}
