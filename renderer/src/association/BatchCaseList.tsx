import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResponseOf } from '../../../shared/ipc/contract';

type Row = ResponseOf<'batch.status'>['cases'][number];
const ROW = 44;

/** One line per case of the batch, virtualized: an association's batch can hold a thousand cases. */
export function BatchCaseList({ cases }: { cases: Row[] }) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: cases.length, getScrollElement: () => scroller.current, estimateSize: () => ROW, overscan: 8 });
  return (
    <section aria-labelledby="batch-cases-title">
      <h3 id="batch-cases-title">{t('ui.association.batch.perCase')}</h3>
      <div ref={scroller} className="scroller batch-scroller" role="list" aria-labelledby="batch-cases-title" data-testid="batch-cases">
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((v) => {
            const c = cases[v.index]!;
            return (
              <div key={c.caseId} role="listitem" className={`batch-row state-${c.state}`} data-testid={`batch-case-${c.caseId}`} style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${v.start}px)` }}>
                <span className="batch-title">{c.title}</span>
                <span className="batch-state">{t(`ui.association.batch.state.${c.state}`)}</span>
                <span className="batch-detail">
                  {c.state === 'failed' && c.error ? t(c.error.messageKey, c.error.params) : c.packetSha256 ? <span className="mono">{c.packetSha256.slice(0, 16)}…</span> : ''}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
