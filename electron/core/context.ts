import type { Clock } from './custody/chain.js';
import type { Db } from './vault/database.js';
import type { ObjectStore } from './vault/object-store.js';
import type { VaultSigner } from './signing/vault-key.js';

/** What the stores of an open vault share. */
export interface VaultContext {
  db: Db;
  objects: ObjectStore;
  clock: Clock;
  actor: string;
  dataDir: string;
  /** the vault's Ed25519 key: signs what leaves it */
  signer: VaultSigner;
}
