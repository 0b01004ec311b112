import type { ErrorValue } from '../../../shared/errors';
import { PASSPHRASE_MIN_LENGTH, loadPassphraseEstimator, weakPassphraseError } from '../../../shared/passphrase-strength';

export const MIN_PASSPHRASE = PASSPHRASE_MIN_LENGTH;

/**
 * A passphrase being set (first run, recovery, change, a bundle's transfer passphrase) must be typed twice and pass
 * the passphrase rule: a typo here locks the user out, a guessable one lets a thief in. The core applies the same
 * rule again; if the estimator cannot load here, the core's answer is the one the user sees.
 */
export async function newPassphraseError(pass: string, repeat: string): Promise<ErrorValue | null> {
  if (pass !== repeat) return { code: 'PASSPHRASE_MISMATCH', messageKey: 'errors.passphraseMismatch', params: {} };
  try {
    return weakPassphraseError((await loadPassphraseEstimator()).estimate(pass));
  } catch {
    return null;
  }
}
