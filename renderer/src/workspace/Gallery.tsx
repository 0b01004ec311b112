import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCaptured } from '../format';
import type { ListedItem } from './types';

const CARD = 200;
const ROW = 236;

/** A grid of previews, virtualized by rows; images load only for the rows on screen. */
export function Gallery({ items, onOpen }: { items: ListedItem[]; onOpen: (itemId: string) => void }) {
  const { t, i18n } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const [columns, setColumns] = useState(4);
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setColumns(Math.max(1, Math.floor((el.clientWidth - 16) / (CARD + 16)))));
    observer.observe(el);
    return () => observer.disconnect();
  }, [items.length]);
  const rows = Math.ceil(items.length / columns);
  const virtual = useVirtualizer({ count: rows, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 2 });
  if (items.length === 0) return <p className="empty">{t('ui.timeline.empty')}</p>;
  return (
    <div ref={scroller} className="scroller" data-testid="gallery">
      <ul style={{ height: virtual.getTotalSize(), position: 'relative' }} className="gallery" aria-label={t('ui.workspace.tab.gallery')}>
        {virtual.getVirtualItems().flatMap((row) =>
          items.slice(row.index * columns, row.index * columns + columns).map((item, col) => (
            <li key={item.id} className="gallery-card" style={{ position: 'absolute', top: 0, left: col * (CARD + 16) + 8, width: CARD, height: ROW - 16, transform: `translateY(${row.start + 8}px)` }}>
              <button type="button" onClick={() => onOpen(item.id)}>
                {item.previewUrl ? (
                  <img src={item.previewUrl} alt="" loading="lazy" />
                ) : (
                  <span className="file-card" aria-hidden="true">
                    {item.mediaType.split('/')[1]?.toUpperCase() ?? 'FILE'}
                  </span>
                )}
                <span className="gallery-title">{item.title}</span>
                <span className="gallery-time">{formatCaptured(item.captured, i18n.language)}</span>
              </button>
            </li>
          )),
        )}
      </ul>
    </div>
  );
}
