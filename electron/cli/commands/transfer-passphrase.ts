import { read } from 'read';
import { RedressError } from '../../core/errors.js';
import { MIN_PASSPHRASE_LENGTH } from '../../core/vault/vault.js';
import type { Output } from '../output.js';
import { askNewPassphrase } from '../passphrase.js';

/**
 * The transfer passphrase of a bundle is not the vault's: REDRESS_TRANSFER_PASSPHRASE for scripts, else a silent
 * prompt (asked twice when exporting, since a typo would lock the recipient out, and estimated like the vault's).
 */
export async function askTransferPassphrase(out: Output, mode: 'export' | 'import'): Promise<string> {
  const fromEnv = process.env.REDRESS_TRANSFER_PASSPHRASE;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY) throw new RedressError('PASSPHRASE_REQUIRED');
  // a transfer passphrase being set follows the vault's rule (checked as typed, and again by the core)
  if (mode === 'export') return askNewPassphrase(out, out.t('bundle.exportPassphrasePrompt', { min: MIN_PASSPHRASE_LENGTH }), out.t('bundle.repeatPassphrasePrompt'));
  return read({ prompt: out.t('bundle.importPassphrasePrompt'), silent: true, replace: '*', output: process.stderr });
}

/** Aborts on Ctrl-C for the duration of `work`. */
export async function withSigint<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.on('SIGINT', onSigint);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSigint);
  }
}

export function testKdf() {
  return process.env.REDRESS_TEST_KDF === '1' ? { kdf: { name: 'scrypt' as const, N: 2 ** 10, r: 8, p: 1 } } : {};
}
