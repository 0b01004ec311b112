import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorValue } from '../../../shared/errors';
import { formatMoney } from '../../../shared/format';
import type { RequestOf } from '../../../shared/ipc/contract';
import { call, toErrorValue } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { useAsync } from '../components/useAsync';
import { ChartWithTable } from './Charts';
import { SelectionFilters } from './SelectionFilters';
import { NO_SELECTION, toSelection, type SelectionForm } from './selection';
import { SharedCounterparties } from './SharedCounterparties';

type Format = RequestOf<'association.exportStats'>['format'];
const FORMATS: { format: Format; key: string }[] = [
  { format: 'png', key: 'exportPng' },
  { format: 'svg', key: 'exportSvg' },
  { format: 'csv', key: 'exportCsv' },
  { format: 'xlsx', key: 'exportXlsx' },
];

/** Figures across the selected cases, each chart with its table, and the counterparties several cases share. */
export function StatsPanel({ onOpenCase }: { onOpenCase: (caseId: string) => void }) {
  const { t, i18n } = useTranslation();
  const lng = i18n.language;
  const [form, setForm] = useState<SelectionForm>(NO_SELECTION);
  const selection = toSelection(form);
  const key = JSON.stringify(selection);
  const { data: stats, error } = useAsync(() => call('association.stats', selection), [key]);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [saveError, setSaveError] = useState<ErrorValue | null>(null);

  const save = async (format: Format) => {
    setSaving(true);
    setSaved(null);
    setSaveError(null);
    try {
      const r = await call('association.exportStats', { selection, format, lang: lng === 'zh-CN' ? 'zh-CN' : 'en' });
      if (r.saved) setSaved(r.file);
    } catch (err) {
      setSaveError(toErrorValue(err));
    } finally {
      setSaving(false);
    }
  };

  const s = (k: string, o?: Record<string, unknown>) => t(`ui.association.stats.${k}`, o);
  return (
    <div className="assoc-stats">
      <SelectionFilters value={form} onChange={setForm} idPrefix="stats" />
      <ErrorMessage error={error} />
      {stats && (
        <>
          <div className="stat-summary">
            <div className="stat-big" data-testid="stats-cases">
              <span className="stat-label">{s('cases')}</span>
              <span className="stat-value">{stats.cases}</span>
            </div>
            <div className="export-box">
              <h2 className="small-head">{s('export')}</h2>
              <div className="row wrap">
                {FORMATS.map((f) => (
                  <button key={f.format} type="button" disabled={saving || stats.cases === 0} onClick={() => void save(f.format)}>
                    {s(f.key)}
                  </button>
                ))}
              </div>
              <p role="status" className="status">
                {saved ? s('saved', { file: saved }) : ''}
              </p>
              <ErrorMessage error={saveError} />
            </div>
          </div>
          {stats.cases === 0 ? (
            <p className="empty">{s('empty')}</p>
          ) : (
            <>
              <section aria-labelledby="losses-title" className="chart-card">
                <h2 id="losses-title">{s('losses')}</h2>
                {stats.losses.length === 0 ? (
                  <p className="empty">{s('noLoss')}</p>
                ) : (
                  <table className="data-table losses" data-testid="stats-losses">
                    <thead>
                      <tr>
                        <th scope="col">{s('currency')}</th>
                        <th scope="col" className="num">
                          {s('total')}
                        </th>
                        <th scope="col" className="num">
                          {s('median')}
                        </th>
                        <th scope="col" className="num">
                          {s('casesWithLoss')}
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {stats.losses.map((l) => (
                        <tr key={l.currency} data-testid={`loss-${l.currency}`}>
                          <th scope="row">{l.currency}</th>
                          <td className="num">{formatMoney(l.total, lng)}</td>
                          <td className="num">{formatMoney(l.median, lng)}</td>
                          <td className="num">{l.cases}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                )}
              </section>
              <ChartWithTable
                testId="chart-type"
                kind="bars"
                title={s('byType')}
                labelHeader={s('type')}
                rows={stats.byType.map((r) => ({ label: t(`incidentType.${r.type}`), value: r.count }))}
              />
              <ChartWithTable
                testId="chart-platform"
                kind="bars"
                title={s('byPlatform')}
                labelHeader={s('platform')}
                rows={stats.byPlatform.map((r) => ({ label: r.platform, value: r.count }))}
                extra={stats.casesWithoutPlatform ? { label: s('unknownPlatform'), value: stats.casesWithoutPlatform } : null}
              />
              <ChartWithTable
                testId="chart-month"
                kind="columns"
                title={s('byMonth')}
                labelHeader={s('month')}
                rows={stats.byMonth.map((r) => ({ label: r.month, value: r.count }))}
                extra={stats.casesWithoutDate ? { label: s('unknownMonth'), value: stats.casesWithoutDate } : null}
              />
              <p className="hint">{s('zone', { zone: stats.zone })}</p>
              <SharedCounterparties shared={stats.sharedCounterparties} titles={stats.caseTitles} onOpenCase={onOpenCase} />
            </>
          )}
        </>
      )}
    </div>
  );
}
