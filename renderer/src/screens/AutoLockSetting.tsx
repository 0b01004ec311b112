import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorValue } from '../../../shared/errors';
import { call, toErrorValue } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';

const CHOICES = [2, 5, 10, 15, 30, 60] as const;

/** How long the vault stays open without input. A victim on a shared or family computer wants it short. */
export function AutoLockSetting() {
  const { t } = useTranslation();
  const [minutes, setMinutes] = useState<number | null>(null);
  const [error, setError] = useState<ErrorValue | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    void call('prefs.get', {}).then((p) => setMinutes(p.autoLockMinutes), (e) => setError(toErrorValue(e)));
  }, []);
  const change = async (next: number) => {
    setMinutes(next);
    setSaved(false);
    try {
      setMinutes((await call('prefs.set', { autoLockMinutes: next })).autoLockMinutes);
      setSaved(true);
      setError(null);
    } catch (err) {
      setError(toErrorValue(err));
    }
  };
  // a value saved by another version (or typed into prefs.json) stays selectable
  const choices = minutes !== null && !CHOICES.includes(minutes as (typeof CHOICES)[number]) ? [...CHOICES, minutes].sort((a, b) => a - b) : CHOICES;
  return (
    <section aria-labelledby="autolock-title" className="autolock">
      <h2 id="autolock-title">{t('ui.autoLock.title')}</h2>
      <p className="hint">{t('ui.autoLock.intro')}</p>
      <ErrorMessage error={error} />
      {minutes !== null && (
        <div className="row">
          <label className="field inline">
            <span>{t('ui.autoLock.after')}</span>
            <select value={minutes} onChange={(e) => void change(Number(e.target.value))}>
              {choices.map((m) => (
                <option key={m} value={m}>
                  {t('ui.autoLock.minutes', { count: m })}
                </option>
              ))}
            </select>
          </label>
          {saved && (
            <span role="status" className="ok-text">
              {t('ui.common.saved')}
            </span>
          )}
        </div>
      )}
    </section>
  );
}
