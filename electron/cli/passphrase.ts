import { read } from 'read';
import { humanDuration, loadPassphraseEstimator, weakPassphraseError, type PassphraseEstimate } from '../../shared/passphrase-strength.js';
import { MIN_PASSPHRASE_LENGTH } from '../core/vault/vault.js';
import { RedressError } from '../core/errors.js';
import type { Output } from './output.js';

/** REDRESS_PASSPHRASE for scripts; otherwise a silent prompt on the terminal (never an argument, which ps would show). */
export async function askPassphrase(out: Output, options: { confirm?: boolean; ignoreEnv?: boolean; prompt?: string } = {}): Promise<string> {
  const fromEnv = options.ignoreEnv ? undefined : process.env.REDRESS_PASSPHRASE;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!process.stdin.isTTY) throw new RedressError('PASSPHRASE_REQUIRED');
  if (options.confirm) return askNewPassphrase(out, out.t('cli.newPassphrasePrompt', { min: MIN_PASSPHRASE_LENGTH }), out.t('cli.repeatPassphrasePrompt'));
  return read({ prompt: options.prompt ?? out.t('cli.passphrasePrompt'), silent: true, replace: '*', output: process.stderr });
}

const TRIES = 3;

/**
 * A passphrase being set, on a terminal: each entry is estimated at once (the same rule the core applies) and a
 * weak one is explained and asked again, before it is typed a second time. Scripts pass theirs in the environment
 * and get the core's PASSPHRASE_WEAK instead.
 */
export async function askNewPassphrase(out: Output, prompt: string, repeatPrompt: string): Promise<string> {
  // loaded while the prompt waits: keys typed before a silent prompt is up would be echoed
  const loading = loadPassphraseEstimator();
  for (let attempt = 1; ; attempt++) {
    const first = await read({ prompt, silent: true, replace: '*', output: process.stderr });
    const estimate = (await loading).estimate(first);
    for (const line of describeEstimate(out, estimate)) out.note(line);
    const problem = weakPassphraseError(estimate);
    if (problem) {
      if (attempt >= TRIES) throw new RedressError(problem.code, problem.params);
      out.note(out.t('cli.weakTryAgain', { left: TRIES - attempt }));
      continue;
    }
    const second = await read({ prompt: repeatPrompt, silent: true, replace: '*', output: process.stderr });
    if (first !== second) throw new RedressError('PASSPHRASE_MISMATCH');
    return first;
  }
}

/** The meter's words for a terminal, in the user's language: strength and time, then what is wrong and what helps. */
export function describeEstimate(out: Output, estimate: PassphraseEstimate): string[] {
  const { unit, count } = humanDuration(estimate.laptopSeconds);
  // digits are refused because an attacker may know them (phone, birthday), whatever their count says
  const laptop = estimate.reason === 'digits' ? '' : out.t('passphrase.laptop', { time: out.t(`passphrase.time.${unit}`, { count }) });
  const lines = [out.t('cli.strength', { level: out.t(`passphrase.level.${estimate.level}`), laptop }).trim()];
  const problem = weakPassphraseError(estimate);
  if (problem) lines.push(out.t(problem.messageKey, problem.params));
  if (estimate.warning && estimate.reason === 'guessable') lines.push(out.t(`passphrase.warning.${estimate.warning}`, { min: MIN_PASSPHRASE_LENGTH }));
  for (const s of estimate.suggestions) lines.push(`  - ${out.t(`passphrase.suggestion.${s}`)}`);
  return lines;
}
