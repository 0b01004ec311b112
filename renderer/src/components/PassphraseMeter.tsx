import { useTranslation } from 'react-i18next';
import { PASSPHRASE_MIN_LENGTH, humanDuration } from '../../../shared/passphrase-strength';
import { usePassphraseEstimate } from './usePassphraseEstimate';
import './passphrase-meter.css';

const SEGMENTS = [0, 1, 2, 3, 4] as const;

/**
 * How hard the passphrase being typed is to guess, in the user's language: a five-step meter, the time an ordinary
 * laptop would need, and what to change. The same estimate decides whether the core accepts it.
 * Give the input aria-describedby={id}.
 */
export function PassphraseMeter({ value, id }: { value: string; id: string }) {
  const { t } = useTranslation();
  const { estimate, loading } = usePassphraseEstimate(value);
  if (!value) return <div id={id} className="pp-meter" />;
  if (!estimate) {
    return (
      <div id={id} className="pp-meter" data-testid="passphrase-meter">
        <p className="hint">{loading ? t('passphrase.loading') : null}</p>
      </div>
    );
  }
  const label = t(`passphrase.level.${estimate.level}`);
  const { unit, count } = humanDuration(estimate.laptopSeconds);
  return (
    <div id={id} className={`pp-meter level-${estimate.level}`} data-testid="passphrase-meter">
      <div className="pp-bar" role="meter" aria-label={t('passphrase.meter')} aria-valuemin={0} aria-valuemax={4} aria-valuenow={estimate.level} aria-valuetext={label}>
        {SEGMENTS.map((i) => (
          <span key={i} className={i <= estimate.level ? 'on' : undefined} />
        ))}
      </div>
      <p className="pp-verdict" aria-live="polite">
        <strong>{label}</strong>
        {/* digits are refused because an attacker may know them (phone, birthday), whatever their count says */}
        {estimate.reason !== 'digits' && <> {t('passphrase.laptop', { time: t(`passphrase.time.${unit}`, { count }) })}</>}
      </p>
      {estimate.warning && <p className="pp-warning">{t(`passphrase.warning.${estimate.warning}`, { min: PASSPHRASE_MIN_LENGTH })}</p>}
      {estimate.suggestions.length > 0 && (
        <ul className="pp-suggestions">
          {estimate.suggestions.map((s) => (
            <li key={s}>{t(`passphrase.suggestion.${s}`)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
