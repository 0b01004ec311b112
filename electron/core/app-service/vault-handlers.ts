import { KnownVaults } from '../signing/known-vaults.js';
import { summarize } from '../vault/quarantine.js';
import type { Vault } from '../vault/vault.js';
import type { Handlers } from './dispatch.js';

type VaultChannel =
  | 'vault.integrity'
  | 'vault.quarantine.list'
  | 'vault.quarantine.reattach'
  | 'vault.quarantine.discard'
  | 'vault.rollback.acknowledge'
  | 'vault.key'
  | 'vault.knownVaults.list'
  | 'vault.knownVaults.add'
  | 'vault.knownVaults.remove';

export interface VaultHandlerDeps {
  /** the open vault, or throws VAULT_LOCKED */
  vault(): Vault;
}

/** Quarantine, rollback and vault-key channels (shared/ipc/channels-vault.ts), spread into AppService's handlers. */
export function vaultHandlers(d: VaultHandlerDeps): Pick<Handlers, VaultChannel> {
  return {
    'vault.integrity': async () => {
      const vault = d.vault();
      const { partialFilesRemoved, quarantined, restored } = vault.recovery;
      return { opened: { partialFilesRemoved, quarantined, restored }, quarantine: summarize(await vault.quarantined()), rollback: vault.rollback };
    },
    'vault.quarantine.list': ({ inspect }) => d.vault().quarantined({ inspect: inspect ?? false }),
    'vault.quarantine.reattach': async ({ quarantineId, caseId, title, notes }) => {
      const { item, duplicate, quarantineId: id } = await d.vault().reattachQuarantined(quarantineId, caseId, { ...(title ? { title } : {}), ...(notes ? { notes } : {}) });
      return { item, duplicate, quarantineId: id };
    },
    'vault.quarantine.discard': async ({ quarantineIds }) => ({ discarded: await d.vault().discardQuarantined(quarantineIds) }),
    'vault.rollback.acknowledge': () => d.vault().acknowledgeRollback(),
    'vault.key': () => ({ fingerprint: d.vault().context.signer.fingerprint }),
    'vault.knownVaults.list': () => new KnownVaults(d.vault().context).list(),
    'vault.knownVaults.add': ({ fingerprint, label }) => new KnownVaults(d.vault().context).add(fingerprint, label),
    'vault.knownVaults.remove': ({ fingerprint }) => ({ removed: new KnownVaults(d.vault().context).remove(fingerprint) }),
  };
}
