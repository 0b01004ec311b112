import { RedressError } from '../errors.js';
import { assertStrongPassphrase } from '../passphrase-policy.js';
import { unwrapKey, wrapKey } from './keys.js';
import { keyAad, readKeyFile, updateKeyFile, type KeyFile } from './keyfile.js';
import type { Vault } from './vault.js';

/**
 * Replaces the passphrase of an open vault (which holds the process lock). The master key does not change, so the
 * database, the sealed originals and the recovery code stay as they are: only the passphrase slot of vault.json is
 * re-wrapped, through updateKeyFile (atomic, and serialized with the vault's other writes of vault.json, so nothing
 * they add meanwhile is lost).
 *
 * The current passphrase is checked again even though the vault is open: an unlocked vault left on a shared
 * computer must not let anyone lock its owner out. The new one must pass the passphrase rule.
 *
 * Copies of vault.json made earlier (backups) still open with the old passphrase: re-wrapping cannot reach them.
 */
export async function changeVaultPassphrase(vault: Pick<Vault, 'dataDir' | 'keyFile'>, current: string, next: string): Promise<void> {
  await assertStrongPassphrase(next);
  const onDisk = sameVault(vault, await readKeyFile(vault.dataDir));
  const aad = keyAad(onDisk.vaultId, 'passphrase');
  const masterKey = await unwrapKey(onDisk.passphrase, current, onDisk.kdf, aad);
  if (!masterKey) throw new RedressError('WRONG_PASSPHRASE');
  try {
    const passphrase = await wrapKey(masterKey, next, onDisk.kdf, aad);
    const updated = await updateKeyFile(vault.dataDir, (latest) => ({ ...sameVault(vault, latest), passphrase }));
    // the open handle's copy too: Vault.attach() hands it to worker threads
    Object.assign(vault.keyFile, updated);
  } finally {
    masterKey.fill(0);
  }
}

function sameVault(vault: Pick<Vault, 'dataDir' | 'keyFile'>, keyFile: KeyFile | null): KeyFile {
  if (!keyFile) throw new RedressError('VAULT_NOT_FOUND', { dir: vault.dataDir });
  if (keyFile.vaultId !== vault.keyFile.vaultId) throw new RedressError('VAULT_CORRUPT', { detail: 'vault.json belongs to another vault' });
  return keyFile;
}
