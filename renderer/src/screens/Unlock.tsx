import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorValue } from '../../../shared/errors';
import { call, toErrorValue } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { PassphraseMeter } from '../components/PassphraseMeter';
import { MIN_PASSPHRASE, newPassphraseError } from './passphrase-rules';

export function Unlock({ reason, onUnlocked }: { reason?: 'user' | 'inactivity' | 'system' | undefined; onUnlocked: () => void }) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<'passphrase' | 'recovery'>('passphrase');
  const [pass, setPass] = useState('');
  const [code, setCode] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorValue | null>(null);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (mode === 'recovery') {
      const invalid = await newPassphraseError(pass, repeat);
      if (invalid) return setError(invalid);
    }
    setBusy(true);
    setError(null);
    try {
      if (mode === 'passphrase') await call('vault.unlock', { passphrase: pass });
      else await call('vault.recover', { recoveryCode: code, newPassphrase: pass });
      setPass('');
      setRepeat('');
      onUnlocked();
    } catch (err) {
      setError(toErrorValue(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="center-page">
      <header className="center-head">
        <h1 className="brand">Redress</h1>
        <LanguageSwitch />
      </header>
      <main id="main" className="card narrow">
        <form onSubmit={submit} aria-labelledby="unlock-title">
          <h2 id="unlock-title">{t('ui.unlock.title')}</h2>
          {reason && (
            <p role="status" className="notice">
              {t(`ui.unlock.locked.${reason}`)}
            </p>
          )}
          {mode === 'recovery' && (
            <label className="field">
              <span>{t('ui.unlock.recoveryCode')}</span>
              <input value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" required />
            </label>
          )}
          <label className="field">
            <span>{mode === 'passphrase' ? t('ui.unlock.passphrase') : t('ui.unlock.newPassphrase')}</span>
            <input type="password" autoComplete={mode === 'passphrase' ? 'current-password' : 'new-password'} value={pass} onChange={(e) => setPass(e.target.value)} required autoFocus />
          </label>
          {mode === 'recovery' && (
            <>
              <p className="hint">{t('ui.firstRun.passphraseHint', { min: MIN_PASSPHRASE })}</p>
              <PassphraseMeter value={pass} id="recover-meter" />
              <label className="field">
                <span>{t('ui.firstRun.repeat')}</span>
                <input type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required />
              </label>
            </>
          )}
          <ErrorMessage error={error} />
          <div className="row">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? t('ui.unlock.unlocking') : t('ui.unlock.unlock')}
            </button>
            <button type="button" className="link" onClick={() => setMode(mode === 'passphrase' ? 'recovery' : 'passphrase')}>
              {mode === 'passphrase' ? t('ui.unlock.forgot') : t('ui.unlock.usePassphrase')}
            </button>
          </div>
        </form>
      </main>
    </div>
  );
}
