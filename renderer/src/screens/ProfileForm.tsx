import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorValue } from '../../../shared/errors';
import type { VictimProfile } from '../../../shared/victim-profile';
import { call, toErrorValue } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';

const FIELDS = ['name', 'idNumber', 'phone', 'email', 'address'] as const;
/** the platforms where a victim logs in: their packet shows this login unmasked, so the platform can find the account */
const PLATFORMS = ['cn-alipay', 'cn-wechat-pay'] as const;

/** The victim's own details: entered once, kept encrypted in the vault, reused (masked per recipient) by packets. */
export function ProfileForm({ onSaved, onSkip }: { onSaved?: () => void; onSkip?: () => void }) {
  const { t } = useTranslation();
  const [profile, setProfile] = useState<VictimProfile | null>(null);
  const [error, setError] = useState<ErrorValue | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    void call('profile.get', {}).then(setProfile, (e) => setError(toErrorValue(e)));
  }, []);
  if (!profile) return <ErrorMessage error={error} />;
  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      setProfile(await call('profile.set', profile));
      setSaved(true);
      setError(null);
      onSaved?.();
    } catch (err) {
      setError(toErrorValue(err));
    }
  };
  return (
    <form onSubmit={save} className="profile-form">
      {FIELDS.map((f) => (
        <label className="field" key={f}>
          <span>{t(`ui.profile.${f}`)}</span>
          {f === 'address' ? (
            <textarea rows={2} value={profile[f] ?? ''} onChange={(e) => setProfile({ ...profile, [f]: e.target.value })} />
          ) : (
            <input value={profile[f] ?? ''} onChange={(e) => setProfile({ ...profile, [f]: e.target.value })} autoComplete="off" />
          )}
        </label>
      ))}
      {PLATFORMS.map((recipientId) => (
        <label className="field" key={recipientId}>
          <span>{t(`ui.profile.account.${recipientId}`)}</span>
          <input
            value={profile.platformAccounts.find((a) => a.recipientId === recipientId)?.account ?? ''}
            onChange={(e) => setProfile({ ...profile, platformAccounts: [...profile.platformAccounts.filter((a) => a.recipientId !== recipientId), ...(e.target.value.trim() ? [{ recipientId, account: e.target.value }] : [])] })}
            autoComplete="off"
            aria-describedby="profile-account-hint"
          />
        </label>
      ))}
      <p className="hint" id="profile-account-hint">
        {t('ui.profile.accountHint')}
      </p>
      <p className="hint">{t('ui.profile.privacy')}</p>
      <ErrorMessage error={error} />
      <div className="row">
        <button type="submit" className="primary">
          {t('ui.common.save')}
        </button>
        {onSkip && (
          <button type="button" onClick={onSkip}>
            {t('ui.profile.skip')}
          </button>
        )}
        {saved && !onSaved && (
          <span role="status" className="ok-text">
            {t('ui.common.saved')}
          </span>
        )}
      </div>
    </form>
  );
}
