import { read } from 'read';
import { MIN_PASSPHRASE_LENGTH } from '../core/vault/vault.js';
import { RedressError } from '../core/errors.js';
import type { Output } from './output.js';

/** REDRESS_PASSPHRASE for scripts; otherwise a silent prompt on the terminal (never an argument, which ps would show). */
export async function askPassphrase(out: Output, options: { confirm?: boolean; ignoreEnv?: boolean } = {}): Promise<string> {
  const fromEnv = options.ignoreEnv ? undefined : process.env.REDRESS_PASSPHRASE;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY) throw new RedressError('PASSPHRASE_REQUIRED');
  const prompt = options.confirm ? out.t('cli.newPassphrasePrompt', { min: MIN_PASSPHRASE_LENGTH }) : out.t('cli.passphrasePrompt');
  const first = await read({ prompt, silent: true, replace: '*', output: process.stderr });
  if (options.confirm) {
    const second = await read({ prompt: out.t('cli.repeatPassphrasePrompt'), silent: true, replace: '*', output: process.stderr });
    if (first !== second) throw new RedressError('PASSPHRASE_MISMATCH');
  }
  return first;
}
