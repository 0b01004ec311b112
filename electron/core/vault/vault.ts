import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CaseRepo } from '../cases/case-repo.js';
import { systemClock, type Clock } from '../custody/chain.js';
import type { CustodyEntry } from '../custody/entry.js';
import type { VaultContext } from '../context.js';
import { RedressError } from '../errors.js';
import { ItemRepo } from '../items/item-repo.js';
import type { VerifyReport } from '../verify/problems.js';
import type { VerifyOptions } from '../verify/verify-case.js';
import { VaultReader, type ReadableVault } from './reader.js';
import { openDatabase, type Db } from './database.js';
import { DEFAULT_KDF, deriveSubkeys, newRecoveryCode, normalizeRecoveryCode, unwrapKey, wrapKey, type KdfParams, type VaultKeys } from './keys.js';
import { KEYFILE_NAME, keyAad, newKeyFile, readKeyFile, writeKeyFile, type KeyFile } from './keyfile.js';
import { ObjectStore } from './object-store.js';
import { ProcessLock } from './process-lock.js';

export const MIN_PASSPHRASE_LENGTH = 8;

/** Keys and paths for Vault.attach(); structured-cloneable, so it can be posted to a worker thread. */
export interface AttachHandle {
  dataDir: string;
  keyFile: KeyFile;
  database: Buffer;
  objects: Buffer;
  objectNames: Buffer;
}
const DB_NAME = 'vault.db';

export interface OpenOptions {
  actor: string;
  clock?: Clock;
}

export interface CreateOptions extends OpenOptions {
  /** tests use a cheaper KDF; real vaults keep the default */
  kdf?: KdfParams;
}

/** What opening found and repaired after an earlier crash. */
export interface Recovery {
  partialFilesRemoved: number;
  orphanFilesRemoved: number;
}

/**
 * An unlocked vault: one data folder holding vault.json (wrapped keys), vault.db (SQLCipher) and
 * objects/ (sealed originals). Opening takes a process lock and cleans up what a crash left behind.
 */
export class Vault {
  readonly cases: CaseRepo;
  readonly items: ItemRepo;
  private closed = false;
  private attachKeys: VaultKeys | null = null;

  /** the read-only view (its own query-only connection) for statistics, verification and previews */
  readonly reader: ReadableVault;

  private constructor(
    private readonly ctx: VaultContext,
    readDb: Db,
    private readonly lock: Pick<ProcessLock, 'release'>,
    readonly keyFile: KeyFile,
    readonly recovery: Recovery,
  ) {
    this.cases = new CaseRepo(ctx);
    this.items = new ItemRepo(ctx);
    this.reader = new VaultReader({ ...ctx, db: readDb });
  }

  get dataDir(): string {
    return this.ctx.dataDir;
  }

  get context(): VaultContext {
    return this.ctx;
  }

  static async exists(dataDir: string): Promise<boolean> {
    return (await readKeyFile(dataDir)) !== null;
  }

  /** Creates a vault; the recovery code is returned once and stored nowhere in the clear. */
  static async create(dataDir: string, passphrase: string, options: CreateOptions): Promise<{ vault: Vault; recoveryCode: string }> {
    checkPassphrase(passphrase);
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    if (await readKeyFile(dataDir)) throw new RedressError('VAULT_EXISTS', { dir: dataDir });
    // Without vault.json an earlier, interrupted init left files no key can ever open again: clear them.
    await removeIncompleteVault(dataDir);
    const kdf = options.kdf ?? DEFAULT_KDF;
    const masterKey = randomBytes(32);
    const recoveryCode = newRecoveryCode();
    const draft = newKeyFile(kdf, placeholder(), placeholder());
    const keyFile: KeyFile = {
      ...draft,
      passphrase: await wrapKey(masterKey, passphrase, kdf, keyAad(draft.vaultId, 'passphrase')),
      recovery: await wrapKey(masterKey, recoveryCode.replace(/-/g, ''), kdf, keyAad(draft.vaultId, 'recovery')),
    };
    // The database is created before vault.json so that an interrupted init leaves no vault that claims to exist.
    const lock = await ProcessLock.acquire(dataDir);
    try {
      const vault = await Vault.unlock(dataDir, keyFile, masterKey, lock, options);
      await writeKeyFile(dataDir, keyFile);
      masterKey.fill(0);
      return { vault, recoveryCode };
    } catch (err) {
      await lock.release();
      throw err;
    }
  }

  /** A wrong passphrase throws WRONG_PASSPHRASE before any file is opened for writing. */
  static async open(dataDir: string, passphrase: string, options: OpenOptions): Promise<Vault> {
    const keyFile = await requireKeyFile(dataDir);
    const masterKey = await unwrapKey(keyFile.passphrase, passphrase, keyFile.kdf, keyAad(keyFile.vaultId, 'passphrase'));
    if (!masterKey) throw new RedressError('WRONG_PASSPHRASE');
    try {
      return await Vault.openWithKey(dataDir, keyFile, masterKey, options);
    } finally {
      masterKey.fill(0);
    }
  }

  /** Unlocks with the recovery code and replaces the passphrase. */
  static async recover(dataDir: string, recoveryCode: string, newPassphrase: string, options: OpenOptions): Promise<Vault> {
    checkPassphrase(newPassphrase);
    const keyFile = await requireKeyFile(dataDir);
    const code = normalizeRecoveryCode(recoveryCode).replace(/-/g, '');
    const masterKey = await unwrapKey(keyFile.recovery, code, keyFile.kdf, keyAad(keyFile.vaultId, 'recovery'));
    if (!masterKey) throw new RedressError('WRONG_RECOVERY_CODE');
    try {
      const vault = await Vault.openWithKey(dataDir, keyFile, masterKey, options);
      await vault.rewrap(masterKey, newPassphrase);
      return vault;
    } finally {
      masterKey.fill(0);
    }
  }

  private async rewrap(masterKey: Buffer, passphrase: string): Promise<void> {
    const updated: KeyFile = { ...this.keyFile, passphrase: await wrapKey(masterKey, passphrase, this.keyFile.kdf, keyAad(this.keyFile.vaultId, 'passphrase')) };
    await writeKeyFile(this.ctx.dataDir, updated);
    Object.assign(this.keyFile, updated);
  }

  private static async openWithKey(dataDir: string, keyFile: KeyFile, masterKey: Buffer, options: OpenOptions): Promise<Vault> {
    const lock = await ProcessLock.acquire(dataDir);
    try {
      return await Vault.unlock(dataDir, keyFile, masterKey, lock, options);
    } catch (err) {
      await lock.release();
      throw err;
    }
  }

  private static async unlock(dataDir: string, keyFile: KeyFile, masterKey: Buffer, lock: ProcessLock, options: OpenOptions): Promise<Vault> {
    const keys = deriveSubkeys(masterKey);
    const objects = new ObjectStore(dataDir, keys.objects, keys.objectNames);
    await objects.init();
    // A copy for attach(): SQLCipher keeps this key in memory for the connection's whole life anyway.
    const databaseKey = Buffer.from(keys.database);
    let db: Db;
    let readDb: Db;
    try {
      db = openDatabase(join(dataDir, DB_NAME), keys.database);
      readDb = openReader(db, join(dataDir, DB_NAME), keys.database);
    } catch (err) {
      databaseKey.fill(0);
      throw err;
    } finally {
      keys.database.fill(0);
    }
    const ctx: VaultContext = { db, objects, clock: options.clock ?? systemClock, actor: options.actor, dataDir };
    try {
      // Safe only under the process lock: nobody else is between writing an object and committing its record.
      const partialFilesRemoved = await objects.sweepTemp();
      const items = new ItemRepo(ctx);
      const orphanFilesRemoved = await objects.sweepOrphans(items.referencedObjects());
      const vault = new Vault(ctx, readDb, lock, keyFile, { partialFilesRemoved, orphanFilesRemoved });
      vault.attachKeys = { database: databaseKey, objects: keys.objects, objectNames: keys.objectNames };
      return vault;
    } catch (err) {
      readDb.close();
      db.close();
      throw err;
    }
  }

  /**
   * What a worker thread of this process needs to open its own connection with attach() (batch export builds
   * packets on both cores). It holds raw keys: pass it to worker_threads only, never to another process or disk.
   */
  attachHandle(): AttachHandle {
    if (!this.attachKeys || this.closed) throw new RedressError('INTERNAL', { detail: 'this vault handle cannot be shared' });
    const k = this.attachKeys;
    return { dataDir: this.ctx.dataDir, keyFile: this.keyFile, database: Buffer.from(k.database), objects: Buffer.from(k.objects), objectNames: Buffer.from(k.objectNames) };
  }

  /**
   * A second connection to a vault that this process already holds open (from a worker thread): it takes no
   * process lock and runs no crash recovery, since the holder did both, and close() closes only this connection.
   * Must not outlive the holder's Vault.
   */
  static attach(handle: AttachHandle, options: OpenOptions): Vault {
    const objects = new ObjectStore(handle.dataDir, Buffer.from(handle.objects), Buffer.from(handle.objectNames));
    const databaseKey = Buffer.from(handle.database);
    let db: Db;
    let readDb: Db;
    try {
      db = openDatabase(join(handle.dataDir, DB_NAME), databaseKey);
      readDb = openReader(db, join(handle.dataDir, DB_NAME), databaseKey);
    } finally {
      databaseKey.fill(0);
    }
    const ctx: VaultContext = { db, objects, clock: options.clock ?? systemClock, actor: options.actor, dataDir: handle.dataDir };
    return new Vault(ctx, readDb, { release: async () => undefined }, handle.keyFile, { partialFilesRemoved: 0, orphanFilesRemoved: 0 });
  }

  log(caseId: string): CustodyEntry[] {
    return this.reader.log(caseId);
  }

  /** Recomputes every chain and re-hashes every stored original (of one case, or of all), on the reading connection. */
  verify(caseId?: string, options: VerifyOptions = {}): Promise<VerifyReport> {
    return this.reader.verify(caseId, options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.attachKeys?.database.fill(0);
    this.reader.context.db.close();
    this.ctx.db.close();
    await this.lock.release();
  }
}

/** The second, query-only connection; the writer is closed too when it cannot be opened. */
function openReader(writer: Db, path: string, key: Buffer): Db {
  try {
    return openDatabase(path, key, { queryOnly: true });
  } catch (err) {
    writer.close();
    throw err;
  }
}

function checkPassphrase(passphrase: string): void {
  if ([...passphrase].length < MIN_PASSPHRASE_LENGTH) throw new RedressError('PASSPHRASE_WEAK', { min: MIN_PASSPHRASE_LENGTH });
}

async function requireKeyFile(dataDir: string): Promise<KeyFile> {
  const keyFile = await readKeyFile(dataDir);
  if (!keyFile) throw new RedressError('VAULT_NOT_FOUND', { dir: dataDir });
  return keyFile;
}

function placeholder() {
  return { salt: '', nonce: '', ciphertext: '', tag: '' };
}

/** Removes a half-created vault (used when init is interrupted before vault.json was written). */
export async function removeIncompleteVault(dataDir: string): Promise<void> {
  if (await readKeyFile(dataDir)) return;
  for (const name of [DB_NAME, `${DB_NAME}-wal`, `${DB_NAME}-shm`, 'objects', 'tmp']) await rm(join(dataDir, name), { recursive: true, force: true });
}

export { KEYFILE_NAME };
