import { defaultActor } from '../../core/data-dir.js';
import { RedressError } from '../../core/errors.js';
import { changeVaultPassphrase } from '../../core/vault/change-passphrase.js';
import { Vault } from '../../core/vault/vault.js';
import type { Output } from '../output.js';
import { askPassphrase } from '../passphrase.js';
import { CLI_ACTOR_TOOL, dataDirOf, type GlobalOptions } from '../session.js';

/**
 * Replaces the vault's passphrase: the current one from REDRESS_PASSPHRASE or a prompt, the new one from
 * REDRESS_NEW_PASSPHRASE or a prompt typed twice (estimated as typed). The recovery code keeps working.
 */
export async function changePassphraseCommand(opts: GlobalOptions, out: Output): Promise<void> {
  const dataDir = dataDirOf(opts);
  if (!(await Vault.exists(dataDir))) throw new RedressError('VAULT_NOT_FOUND', { dir: dataDir });
  const current = await askPassphrase(out, { prompt: out.t('cli.currentPassphrasePrompt') });
  // opening first: a wrong current passphrase is said before a new one is asked for, and the process lock is held
  const vault = await Vault.open(dataDir, current, { actor: defaultActor(CLI_ACTOR_TOOL) });
  try {
    const next = process.env.REDRESS_NEW_PASSPHRASE || (await askPassphrase(out, { confirm: true, ignoreEnv: true }));
    await changeVaultPassphrase(vault, current, next);
  } finally {
    await vault.close();
  }
  out.result({ dataDir, changed: true });
  out.line(out.t('cli.passphraseChanged'));
}
