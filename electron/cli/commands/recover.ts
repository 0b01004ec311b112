import { read } from 'read';
import { defaultActor } from '../../core/data-dir.js';
import { RedressError } from '../../core/errors.js';
import { Vault } from '../../core/vault/vault.js';
import { noteOpenFindings } from '../open-notes.js';
import type { Output } from '../output.js';
import { askPassphrase } from '../passphrase.js';
import { CLI_ACTOR_TOOL, dataDirOf, type GlobalOptions } from '../session.js';

/** Forgotten passphrase: unlock with the recovery code and set a new passphrase. The recovery code stays valid. */
export async function recoverCommand(opts: GlobalOptions, out: Output): Promise<void> {
  const dataDir = dataDirOf(opts);
  if (!(await Vault.exists(dataDir))) throw new RedressError('VAULT_NOT_FOUND', { dir: dataDir });
  let code = process.env.REDRESS_RECOVERY_CODE ?? '';
  if (!code) {
    if (!process.stdin.isTTY) throw new RedressError('PASSPHRASE_REQUIRED');
    code = String(await read({ prompt: out.t('cli.recoveryCodePrompt'), output: process.stderr }));
  }
  // The new passphrase comes from REDRESS_NEW_PASSPHRASE in scripts, else a confirmed prompt.
  const next = process.env.REDRESS_NEW_PASSPHRASE || (await askPassphrase(out, { confirm: true, ignoreEnv: true }));
  const vault = await Vault.recover(dataDir, code, next, { actor: defaultActor(CLI_ACTOR_TOOL) });
  noteOpenFindings(vault, out);
  await vault.close();
  out.result({ dataDir, recovered: true });
  out.line(out.t('cli.recoveredDone'));
}
