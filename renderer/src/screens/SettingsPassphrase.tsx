import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorValue } from '../../../shared/errors';
import { call, toErrorValue } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { PassphraseMeter } from '../components/PassphraseMeter';
import { MIN_PASSPHRASE, newPassphraseError } from './passphrase-rules';

/**
 * Settings: a new vault passphrase, for the current one typed again (an unlocked vault left on a shared computer
 * must not let anyone lock its owner out). The recovery code does not change.
 */
export function SettingsPassphrase() {
  const { t } = useTranslation();
  const s = (k: string, o?: Record<string, unknown>) => t(`ui.changePassphrase.${k}`, o);
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorValue | null>(null);
  const [done, setDone] = useState(false);

  // a refusal is about what was submitted: it goes once the new passphrase is edited
  const edit = (set: (v: string) => void, value: string) => {
    set(value);
    setError(null);
    setDone(false);
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      const invalid = await newPassphraseError(next, repeat);
      if (invalid) return setError(invalid);
      await call('vault.changePassphrase', { current, next, nextRepeat: repeat });
      setCurrent('');
      setNext('');
      setRepeat('');
      setDone(true);
    } catch (err) {
      setError(toErrorValue(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="change-pass-title" className="change-passphrase">
      <h2 id="change-pass-title">{s('title')}</h2>
      <p className="hint">{s('intro')}</p>
      <form onSubmit={(e) => void submit(e)}>
        <label className="field">
          <span>{s('current')}</span>
          <input type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
        </label>
        <label className="field">
          <span>{s('next')}</span>
          <input type="password" autoComplete="new-password" value={next} onChange={(e) => edit(setNext, e.target.value)} required aria-describedby="change-pass-hint change-pass-meter" />
        </label>
        <p id="change-pass-hint" className="hint">
          {t('ui.firstRun.passphraseHint', { min: MIN_PASSPHRASE })}
        </p>
        <PassphraseMeter value={next} id="change-pass-meter" />
        <label className="field">
          <span>{s('repeat')}</span>
          <input type="password" autoComplete="new-password" value={repeat} onChange={(e) => edit(setRepeat, e.target.value)} required />
        </label>
        <ErrorMessage error={error} />
        {done && (
          <p role="status" className="result ok">
            {s('done')}
          </p>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? s('submitting') : s('submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
