import { defaultActor, defaultDataDir } from '../core/data-dir.js';
import { RedressError } from '../core/errors.js';
import { Vault } from '../core/vault/vault.js';
import type { Output } from './output.js';
import { askPassphrase } from './passphrase.js';
import { noteOpenFindings } from './open-notes.js';

export interface GlobalOptions {
  dataDir?: string;
  json?: boolean;
}

export function dataDirOf(opts: GlobalOptions): string {
  return opts.dataDir ?? defaultDataDir();
}

export const CLI_ACTOR_TOOL = 'redress-cli';

/** Opens the vault for one command and always closes it, so the process lock never outlives the command. */
export async function withVault<T>(opts: GlobalOptions, out: Output, work: (vault: Vault) => Promise<T>): Promise<T> {
  const dataDir = dataDirOf(opts);
  // Say "no vault here" before asking for a passphrase that could not help.
  if (!(await Vault.exists(dataDir))) throw new RedressError('VAULT_NOT_FOUND', { dir: dataDir });
  const passphrase = await askPassphrase(out);
  const vault = await Vault.open(dataDir, passphrase, { actor: defaultActor(CLI_ACTOR_TOOL) });
  try {
    noteOpenFindings(vault, out);
    return await work(vault);
  } finally {
    await vault.close();
  }
}
