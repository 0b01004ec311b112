import { useTranslation } from 'react-i18next';
import { CASE_STATUSES, INCIDENT_TYPES, type CaseStatus, type IncidentType } from '../../../shared/case-model';
import type { SelectionForm } from './selection';

/** Status, type and "created since" filters; `idPrefix` keeps labels unique when two panels show them. */
export function SelectionFilters({ value, onChange, idPrefix }: { value: SelectionForm; onChange: (v: SelectionForm) => void; idPrefix: string }) {
  const { t } = useTranslation();
  return (
    <fieldset className="filters assoc-filters">
      <legend>{t('ui.association.filter.legend')}</legend>
      <label className="field inline" htmlFor={`${idPrefix}-status`}>
        <span>{t('ui.association.filter.status')}</span>
        <select id={`${idPrefix}-status`} value={value.status} onChange={(e) => onChange({ ...value, status: e.target.value as CaseStatus | '' })}>
          <option value="">{t('ui.common.all')}</option>
          {CASE_STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field inline" htmlFor={`${idPrefix}-type`}>
        <span>{t('ui.association.filter.type')}</span>
        <select id={`${idPrefix}-type`} value={value.type} onChange={(e) => onChange({ ...value, type: e.target.value as IncidentType | '' })}>
          <option value="">{t('ui.common.all')}</option>
          {INCIDENT_TYPES.map((s) => (
            <option key={s} value={s}>
              {t(`incidentType.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field inline" htmlFor={`${idPrefix}-since`}>
        <span>{t('ui.association.filter.since')}</span>
        <input id={`${idPrefix}-since`} type="date" value={value.since} onChange={(e) => onChange({ ...value, since: e.target.value })} />
      </label>
    </fieldset>
  );
}
