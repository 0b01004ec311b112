import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CASE_STATUSES, INCIDENT_TYPES, type CaseStatus, type IncidentType } from '../../../shared/case-model';
import { totalLosses } from '../../../shared/case-model';
import { formatMoney } from '../../../shared/format';
import { call } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { FilterSelect } from '../components/FilterSelect';
import { useAsync } from '../components/useAsync';
import { formatTime } from '../format';

export function CaseList({ onOpen, onNew }: { onOpen: (caseId: string) => void; onNew: () => void }) {
  const { t, i18n } = useTranslation();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<CaseStatus | ''>('');
  const [type, setType] = useState<IncidentType | ''>('');
  const { data: cases, error } = useAsync(
    () => call('cases.list', { ...(search.trim() ? { search } : {}), ...(status ? { status } : {}), ...(type ? { incidentType: type } : {}) }),
    [search, status, type],
  );
  return (
    <section aria-labelledby="cases-title">
      <div className="page-head">
        <h1 id="cases-title">{t('ui.cases.title')}</h1>
        <button type="button" className="primary" onClick={onNew}>
          {t('ui.cases.new')}
        </button>
      </div>
      <div className="filters" role="search">
        <label className="field inline">
          <span>{t('ui.cases.search')}</span>
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <FilterSelect label={t('ui.cases.status')} value={status} choices={CASE_STATUSES} labelOf={(s) => t(`status.${s}`)} onChange={setStatus} />
        <FilterSelect label={t('ui.cases.type')} value={type} choices={INCIDENT_TYPES} labelOf={(s) => t(`incidentType.${s}`)} onChange={setType} />
      </div>
      <ErrorMessage error={error} />
      {cases && cases.length === 0 && <p className="empty">{search || status || type ? t('ui.cases.noMatch') : t('ui.cases.empty')}</p>}
      <ul className="case-list" aria-label={t('ui.cases.title')}>
        {cases?.map((c) => (
          <li key={c.id}>
            <button type="button" className="case-row" onClick={() => onOpen(c.id)}>
              <span className="case-title">{c.title}</span>
              <span className="case-meta">
                {t(`incidentType.${c.incidentType}`)} · <span className={`badge status-${c.status}`}>{t(`status.${c.status}`)}</span> · {t('ui.cases.items', { count: c.itemCount })}
                {c.losses.length > 0 && <> · {totalLosses(c.losses).map((m) => formatMoney(m, i18n.language)).join(' + ')}</>}
              </span>
              <span className="case-date">{t('ui.cases.updated', { time: formatTime(c.updatedAt, i18n.language) })}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
