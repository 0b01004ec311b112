import { read } from 'read';
import { RedressError } from '../../core/errors.js';
import { MIN_PASSPHRASE_LENGTH } from '../../core/vault/vault.js';
import type { Output } from '../output.js';

/**
 * The transfer passphrase of a bundle is not the vault's: REDRESS_TRANSFER_PASSPHRASE for scripts, else a silent
 * prompt (asked twice when exporting, since a typo would lock the recipient out).
 */
export async function askTransferPassphrase(out: Output, mode: 'export' | 'import'): Promise<string> {
  const fromEnv = process.env.REDRESS_TRANSFER_PASSPHRASE;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY) throw new RedressError('PASSPHRASE_REQUIRED');
  const prompt = mode === 'export' ? out.t('bundle.exportPassphrasePrompt', { min: MIN_PASSPHRASE_LENGTH }) : out.t('bundle.importPassphrasePrompt');
  const first = await read({ prompt, silent: true, replace: '*', output: process.stderr });
  if (mode === 'export') {
    const second = await read({ prompt: out.t('bundle.repeatPassphrasePrompt'), silent: true, replace: '*', output: process.stderr });
    if (first !== second) throw new RedressError('PASSPHRASE_MISMATCH');
  }
  return first;
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
