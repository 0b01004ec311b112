import { loadPassphraseEstimator, weakPassphraseError } from '../../shared/passphrase-strength.js';
import { RedressError } from './errors.js';

/**
 * The core's half of the passphrase rule (shared/passphrase-strength.ts): every passphrase that is *set* (vault
 * create, recover, change; a bundle's transfer passphrase) passes here, whatever the UI or the CLI checked before.
 * Throws PASSPHRASE_WEAK with the reason as a parameter. The dictionaries load on the first call only.
 */
export async function assertStrongPassphrase(passphrase: string): Promise<void> {
  const estimator = await loadPassphraseEstimator();
  const problem = weakPassphraseError(estimator.estimate(passphrase));
  if (problem) throw new RedressError(problem.code, problem.params);
}
