import { useTranslation } from 'react-i18next';
import { CASE_STATUSES, INCIDENT_TYPES } from '../../../shared/case-model';
import { FilterSelect } from '../components/FilterSelect';
import type { SelectionForm } from './selection';

/** Status, type and "created since" filters; `idPrefix` keeps labels unique when two panels show them. */
export function SelectionFilters({ value, onChange, idPrefix }: { value: SelectionForm; onChange: (v: SelectionForm) => void; idPrefix: string }) {
  const { t } = useTranslation();
  return (
    <fieldset className="filters assoc-filters">
      <legend>{t('ui.association.filter.legend')}</legend>
      <FilterSelect
        id={`${idPrefix}-status`}
        label={t('ui.association.filter.status')}
        value={value.status}
        choices={CASE_STATUSES}
        labelOf={(s) => t(`status.${s}`)}
        onChange={(status) => onChange({ ...value, status })}
      />
      <FilterSelect
        id={`${idPrefix}-type`}
        label={t('ui.association.filter.type')}
        value={value.type}
        choices={INCIDENT_TYPES}
        labelOf={(s) => t(`incidentType.${s}`)}
        onChange={(type) => onChange({ ...value, type })}
      />
      <label className="field inline" htmlFor={`${idPrefix}-since`}>
        <span>{t('ui.association.filter.since')}</span>
        <input id={`${idPrefix}-since`} type="date" value={value.since} onChange={(e) => onChange({ ...value, since: e.target.value })} />
      </label>
    </fieldset>
  );
}
