import { useTranslation } from 'react-i18next';
import type { ImportPreview } from '../../../shared/ipc/channels-records';
import { formatMoney } from '../../../shared/format';
import { formatSize, formatTime } from '../format';

/** What a file holds, before it is stored: format, counts, dates, totals per direction and currency, checks. */
export function ImportPreviewView({ preview: p }: { preview: ImportPreview }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const num = (n: number) => new Intl.NumberFormat(lng).format(n);
  const check = p.totalsCheck;
  return (
    <>
      <dl className="facts" data-testid="preview-facts">
        <dt>{t('ui.records.preview.format')}</dt>
        <dd data-testid="preview-format">{t(`ui.records.format.${p.format}`, { defaultValue: p.format })}</dd>
        <dt>{t('ui.records.preview.size')}</dt>
        <dd>{formatSize(p.size, lng)}</dd>
        <dt>{t('ui.records.preview.found')}</dt>
        <dd data-testid="preview-counts">
          {[
            t('ui.records.count.messages', { count: p.counts.messages, n: num(p.counts.messages) }),
            t('ui.records.count.transactions', { count: p.counts.transactions, n: num(p.counts.transactions) }),
            ...(p.counts.attachments ? [t('ui.records.count.attachments', { count: p.counts.attachments, n: num(p.counts.attachments) })] : []),
          ].join(' · ')}
        </dd>
        <dt>{t('ui.records.preview.dates')}</dt>
        <dd data-testid="preview-dates">{p.dateRange ? `${formatTime(p.dateRange.first, lng)} – ${formatTime(p.dateRange.last, lng)}` : '—'}</dd>
      </dl>
      {p.totals.length > 0 && (
        <table className="totals-table" data-testid="preview-totals">
          <caption>{t('ui.records.preview.totals')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('ui.records.preview.direction')}</th>
              <th scope="col">{t('ui.records.preview.rows')}</th>
              <th scope="col" className="num">
                {t('ui.records.preview.amount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {p.totals.map((line) => (
              <tr key={`${line.direction}-${line.currency}`} data-direction={line.direction}>
                <th scope="row">{t(`ui.records.direction.${line.direction}`)}</th>
                <td>{num(line.count)}</td>
                <td className="num">{formatMoney({ currency: line.currency, minor: line.minor }, lng)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {check && (
        <div className={check.ok ? 'result ok' : 'result bad'} data-testid="preview-check">
          <strong>{check.ok ? t('ui.records.check.ok') : t('ui.records.check.mismatch')}</strong>
          {!check.ok && (
            <ul>
              {check.mismatches.map((m, i) => (
                <li key={i}>
                  {m.kind === 'count'
                    ? t('ui.records.check.count', { declared: num(m.declared), actual: num(m.actual) })
                    : t('ui.records.check.total', {
                        direction: t(`ui.records.direction.${m.direction}`),
                        declared: formatMoney({ currency: m.currency, minor: m.declaredMinor }, lng),
                        declaredCount: num(m.declaredCount),
                        actual: formatMoney({ currency: m.currency, minor: m.actualMinor }, lng),
                        actualCount: num(m.actualCount),
                      })}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {p.partial && (
        <p className="notice" data-testid="preview-partial">
          <strong>{t('ui.records.preview.partial')}</strong> {t('ui.records.preview.partialDetail', { locator: p.partial.locator, reason: p.partial.reason })}
        </p>
      )}
      {p.warnings.length > 0 && (
        <details className="warnings">
          <summary>{t('ui.records.preview.warnings', { count: p.warnings.length })}</summary>
          <ul>
            {p.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}
