import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorValue } from '../../../shared/errors';
import { call, toErrorValue } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { PassphraseMeter } from '../components/PassphraseMeter';
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

  // a refusal is about what was submitted: it goes once the passphrase is edited, the meter speaks meanwhile
  const edit = (set: (v: string) => void, value: string) => {
    set(value);
    setError(null);
  };

  const create = async (e: React.FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // the same rule the core applies, checked here first so that the meter and the refusal agree
      const invalid = await newPassphraseError(pass, repeat);
      if (invalid) return setError(invalid);
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
              <input type="password" autoComplete="new-password" value={pass} onChange={(e) => edit(setPass, e.target.value)} required aria-describedby="pass-hint pass-meter" />
            </label>
            <p id="pass-hint" className="hint">
              {t('ui.firstRun.passphraseHint', { min: MIN_PASSPHRASE })}
            </p>
            <PassphraseMeter value={pass} id="pass-meter" />
            <label className="field">
              <span>{t('ui.firstRun.repeat')}</span>
              <input type="password" autoComplete="new-password" value={repeat} onChange={(e) => edit(setRepeat, e.target.value)} required />
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
