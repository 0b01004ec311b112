import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorValue } from '../../../shared/errors';
import { call, toErrorValue } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { MIN_PASSPHRASE, newPassphraseError } from './passphrase-rules';
import { ProfileForm } from './ProfileForm';

/** Passphrase → recovery code (shown once) → optional victim profile. */
export function FirstRun({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const [step, setStep] = useState<'passphrase' | 'recovery' | 'profile'>('passphrase');
  const [pass, setPass] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorValue | null>(null);
  const [code, setCode] = useState('');
  const [confirmed, setConfirmed] = useState(false);

  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    const invalid = newPassphraseError(pass, repeat);
    if (invalid) return setError(invalid);
    setBusy(true);
    setError(null);
    try {
      const { recoveryCode } = await call('vault.create', { passphrase: pass });
      setPass('');
      setRepeat('');
      setCode(recoveryCode);
      setStep('recovery');
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
        {step === 'passphrase' && (
          <form onSubmit={create} aria-labelledby="fr-title">
            <h2 id="fr-title">{t('ui.firstRun.title')}</h2>
            <p>{t('ui.firstRun.intro')}</p>
            <label className="field">
              <span>{t('ui.firstRun.passphrase')}</span>
              <input type="password" autoComplete="new-password" value={pass} onChange={(e) => setPass(e.target.value)} required aria-describedby="pass-hint" />
            </label>
            <p id="pass-hint" className="hint">
              {t('ui.firstRun.passphraseHint', { min: MIN_PASSPHRASE })}
            </p>
            <label className="field">
              <span>{t('ui.firstRun.repeat')}</span>
              <input type="password" autoComplete="new-password" value={repeat} onChange={(e) => setRepeat(e.target.value)} required />
            </label>
            <ErrorMessage error={error} />
            <button type="submit" className="primary" disabled={busy}>
              {busy ? t('ui.firstRun.creating') : t('ui.firstRun.create')}
            </button>
          </form>
        )}
        {step === 'recovery' && (
          <section aria-labelledby="rc-title">
            <h2 id="rc-title">{t('ui.firstRun.recoveryTitle')}</h2>
            <p>{t('ui.firstRun.recoveryHint')}</p>
            <p className="recovery-code" data-testid="recovery-code" aria-label={t('ui.firstRun.recoveryTitle')}>
              {code}
            </p>
            <label className="check">
              <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
              <span>{t('ui.firstRun.recoveryConfirm')}</span>
            </label>
            <button
              type="button"
              className="primary"
              disabled={!confirmed}
              onClick={() => {
                setCode('');
                setStep('profile');
              }}
            >
              {t('ui.common.continue')}
            </button>
          </section>
        )}
        {step === 'profile' && (
          <section aria-labelledby="pf-title">
            <h2 id="pf-title">{t('ui.profile.title')}</h2>
            <p>{t('ui.profile.intro')}</p>
            <ProfileForm onSaved={onDone} onSkip={onDone} />
          </section>
        )}
      </main>
    </div>
  );
}
