import { KnownVaults } from '../../core/signing/known-vaults.js';
import type { Output } from '../output.js';
import { withVault, type GlobalOptions } from '../session.js';

/** redress vault-key: this vault's key fingerprint, to give recipients and associations another way than the files. */
export async function vaultKeyCommand(opts: GlobalOptions, out: Output): Promise<void> {
  await withVault(opts, out, async (vault) => {
    const { signer } = vault.context;
    out.result({ fingerprint: signer.fingerprint, publicKeyPem: signer.publicKeyPem });
    out.line(out.t('vaultKey.fingerprint', { fingerprint: signer.fingerprint }));
    out.line(out.t('vaultKey.hint'));
  });
}

/** redress known-vaults [add FINGERPRINT --label NAME | remove FINGERPRINT]: the vaults an association recorded. */
export async function knownVaultsListCommand(opts: GlobalOptions, out: Output): Promise<void> {
  await withVault(opts, out, async (vault) => {
    const list = new KnownVaults(vault.context).list();
    out.result({ knownVaults: list });
    if (!list.length) out.line(out.t('vaultKey.noneKnown'));
    for (const k of list) out.line(`${k.fingerprint}  ${k.label}`);
  });
}

export async function knownVaultsAddCommand(fingerprint: string, opts: GlobalOptions & { label: string }, out: Output): Promise<void> {
  await withVault(opts, out, async (vault) => {
    const added = new KnownVaults(vault.context).add(fingerprint, opts.label);
    out.result(added);
    out.line(out.t('vaultKey.added', { fingerprint: added.fingerprint, label: added.label }));
  });
}

export async function knownVaultsRemoveCommand(fingerprint: string, opts: GlobalOptions, out: Output): Promise<void> {
  await withVault(opts, out, async (vault) => {
    const removed = new KnownVaults(vault.context).remove(fingerprint);
    out.result({ removed });
    out.line(out.t(removed ? 'vaultKey.removed' : 'vaultKey.notKnown', { fingerprint }));
  });
}
