import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCaptured } from '../../format';
import type { ListedItem } from '../types';

const ROW = 40;
const MAX_HEIGHT = ROW * 8;
/** the tag redact.ts puts on a redacted copy; such copies travel in place of their original automatically */
export const REDACTED_TAG = 'redacted';

export const isRedactedCopy = (i: ListedItem) => !!i.derivedFrom && i.tags.includes(REDACTED_TAG);

/** The items a packet can carry: originals not excluded; a redacted copy is sent in place of its original. */
export function choosableItems(items: ListedItem[]): ListedItem[] {
  return items.filter((i) => !i.excluded && !isRedactedCopy(i));
}

/** Checkbox list of the case's items (virtualized: a case can hold thousands). */
export function ItemChooser({ items, allItems, selected, onChange }: { items: ListedItem[]; allItems: ListedItem[]; selected: Set<string>; onChange: (next: Set<string>) => void }) {
  const { t, i18n } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: items.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 10 });
  const hasCopy = new Set(allItems.filter((i) => isRedactedCopy(i) && !i.excluded).map((i) => i.derivedFrom!));
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    onChange(next);
  };
  return (
    <div className="item-chooser">
      <div className="row">
        <span data-testid="items-selected">{t('ui.packet.itemsSelected', { count: selected.size, total: items.length })}</span>
        <button type="button" className="link" onClick={() => onChange(new Set(items.map((i) => i.id)))}>
          {t('ui.packet.selectAll')}
        </button>
        <button type="button" className="link" onClick={() => onChange(new Set())}>
          {t('ui.packet.selectNone')}
        </button>
      </div>
      <div ref={scroller} className="scroller chooser-scroller" role="group" aria-label={t('ui.packet.items')} style={{ height: Math.min(items.length * ROW + 2, MAX_HEIGHT) }}>
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((row) => {
            const item = items[row.index]!;
            return (
              <label key={item.id} className="check chooser-row" style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${row.start}px)` }}>
                <input type="checkbox" checked={selected.has(item.id)} onChange={(e) => toggle(item.id, e.target.checked)} />
                <span className="chooser-title">{item.title}</span>
                {hasCopy.has(item.id) && <span className="badge redacted">{t('ui.packet.sentRedacted')}</span>}
                <span className="chooser-time">{formatCaptured(item.captured, i18n.language)}</span>
              </label>
            );
          })}
        </div>
      </div>
    </div>
  );
}
