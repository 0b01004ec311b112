import { useTranslation } from 'react-i18next';

/** A labelled filter over a fixed list of choices, with "all" (the empty value) first. */
export function FilterSelect<T extends string>({
  id,
  label,
  value,
  choices,
  labelOf,
  onChange,
}: {
  id?: string;
  label: string;
  value: T | '';
  choices: readonly T[];
  labelOf: (choice: T) => string;
  onChange: (value: T | '') => void;
}) {
  const { t } = useTranslation();
  return (
    <label className="field inline" htmlFor={id}>
      <span>{label}</span>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as T | '')}>
        <option value="">{t('ui.common.all')}</option>
        {choices.map((c) => (
          <option key={c} value={c}>
            {labelOf(c)}
          </option>
        ))}
      </select>
    </label>
  );
}
