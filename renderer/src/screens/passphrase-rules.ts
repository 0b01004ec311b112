import type { ErrorValue } from '../../../shared/errors';

export const MIN_PASSPHRASE = 8;

/** A new passphrase (first run or recovery) must be typed twice and be long enough: a typo here locks the user out. */
export function newPassphraseError(pass: string, repeat: string): ErrorValue | null {
  if (pass !== repeat) return { code: 'PASSPHRASE_MISMATCH', messageKey: 'errors.passphraseMismatch', params: {} };
  if ([...pass].length < MIN_PASSPHRASE) return { code: 'PASSPHRASE_WEAK', messageKey: 'errors.passphraseWeak', params: { min: MIN_PASSPHRASE } };
  return null;
}
