import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CaseRepo } from '../cases/case-repo.js';
import { appendEntry, systemClock, type Clock } from '../custody/chain.js';
import type { CustodyEntry } from '../custody/entry.js';
import type { VaultContext } from '../context.js';
import { asVaultError, RedressError } from '../errors.js';
import { ItemRepo, type AddResult, type ItemMeta } from '../items/item-repo.js';
import { detectMediaType } from '../items/media-type.js';
import { assertStrongPassphrase } from '../passphrase-policy.js';
import type { Problem, VerifyReport } from '../verify/problems.js';
import type { VerifyOptions } from '../verify/verify-case.js';
import type { QuarantinedFile, QuarantineEntry as SharedQuarantineEntry, QuarantineSummary as SharedQuarantineSummary, RollbackFinding as SharedRollbackFinding } from '../../../shared/custody.js';
import { VaultReader, type ReadableVault } from './reader.js';
import { openDatabase, type Db } from './database.js';
import { currentHeads, findRollback, headsKey, HeadsRecorder, openHeads, sealHeads, unreadableRecord, type RollbackFinding } from './heads.js';
import { VaultSigner } from '../signing/vault-key.js';
import { DEFAULT_KDF, deriveSubkeys, newRecoveryCode, vaultPseudonym, normalizeRecoveryCode, unwrapKey, wrapKey, type KdfParams, type VaultKeys } from './keys.js';
import type { ActorOption } from '../data-dir.js';
import { KEYFILE_NAME, keyAad, newKeyFile, readKeyFile, updateKeyFile, writeKeyFile, type KeyFile, type SealedHeads } from './keyfile.js';
import { fsyncDir, ObjectStore } from './object-store.js';
import { ProcessLock } from './process-lock.js';
import { Quarantine, setAsideUnreferenced, settleTempParts, summarize, type QuarantineEntry, type QuarantineSummary } from './quarantine.js';
import { SealedFileError } from './sealed-file.js';

/** the length part of the passphrase rule (shared/passphrase-strength.ts), for prompts */
export { PASSPHRASE_MIN_LENGTH as MIN_PASSPHRASE_LENGTH } from '../../../shared/passphrase-strength.js';

/** Keys and paths for Vault.attach(); structured-cloneable, so it can be posted to a worker thread. */
export interface AttachHandle {
  dataDir: string;
  keyFile: KeyFile;
  database: Buffer;
  objects: Buffer;
  objectNames: Buffer;
  signing: Buffer;
}
const DB_NAME = 'vault.db';
/** Where create() builds the database; it becomes vault.db only once vault.json, its key, is on disk. */
const STAGED_DB_NAME = 'vault.db.new';

export interface OpenOptions {
  /** a name, or the tool that the vault's pseudonym is put before (data-dir.ts defaultActor) */
  actor: ActorOption;
  clock?: Clock;
}

/** attach() gets the holder's actor as the holder resolved it (it has no master key to derive the pseudonym). */
export interface AttachOptions {
  actor: string;
  clock?: Clock;
}

export interface CreateOptions extends OpenOptions {
  /** tests use a cheaper KDF; real vaults keep the default */
  kdf?: KdfParams;
}

/**
 * What opening found after an earlier crash or a restore, and did about it. Nothing in it was deleted but partial
 * writes that never held a whole original.
 */
export interface Recovery {
  /** unfinished writes in tmp/ removed: incomplete, or copies of content stored already */
  partialFilesRemoved: number;
  /** stored originals no record refers to, moved to quarantine/ by this open */
  quarantined: QuarantineSummary;
  /** quarantined originals that a record refers to again, put back into objects/ */
  restored: number;
  /** the database is older than the last state the vault recorded outside it */
  rollback: RollbackFinding | null;
}

export type { QuarantinedFile } from '../../../shared/custody.js';

// vault/'s storage cannot import shared/, so heads.ts and quarantine.ts spell out the shapes whose boundary schemas are
// in shared/custody.ts; these fail to compile the moment the two differ.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const shapesAgree: [Same<RollbackFinding, SharedRollbackFinding>, Same<QuarantineEntry, SharedQuarantineEntry>, Same<QuarantineSummary, SharedQuarantineSummary>] = [true, true, true];
void shapesAgree;

const NO_RECOVERY: Recovery = { partialFilesRemoved: 0, quarantined: summarize([]), restored: 0, rollback: null };

/**
 * An unlocked vault: one data folder holding vault.json (wrapped keys, the custody heads last seen), vault.db
 * (SQLCipher), objects/ (sealed originals) and quarantine/ (sealed originals no record refers to). Opening takes a
 * process lock and deals with what a crash or a restore left behind, without deleting evidence: see quarantine.ts
 * and heads.ts.
 */
export class Vault {
  readonly cases: CaseRepo;
  readonly items: ItemRepo;
  private closed = false;
  private attachKeys: VaultKeys | null = null;
  private recorder: HeadsRecorder | null = null;
  private rollbackFinding: RollbackFinding | null;

  /** the read-only view (its own query-only connection) for statistics, verification and previews */
  readonly reader: ReadableVault;

  private constructor(
    private readonly ctx: VaultContext,
    private readonly readDb: Db,
    private readonly lock: Pick<ProcessLock, 'release'>,
    readonly keyFile: KeyFile,
    readonly recovery: Recovery,
    private readonly quarantine: Quarantine | null,
  ) {
    this.cases = new CaseRepo(ctx);
    this.items = new ItemRepo(ctx);
    this.rollbackFinding = recovery.rollback;
    this.reader = new VaultReader({ ...ctx, db: readDb }, (caseId) => this.rollbackProblems(caseId));
  }

  get dataDir(): string {
    return this.ctx.dataDir;
  }

  get context(): VaultContext {
    return this.ctx;
  }

  /** The rollback found (at open, or since), until the user acknowledges it; null when there is none. */
  get rollback(): RollbackFinding | null {
    return this.rollbackFinding;
  }

  /**
   * Whether a vault is here. A folder holding a vault's database or originals but no vault.json is not "no vault":
   * that is VAULT_KEYFILE_MISSING, so that nobody is invited to create a new vault over the old one's files.
   */
  static async exists(dataDir: string): Promise<boolean> {
    if (await readKeyFile(dataDir)) return true;
    await refuseVaultFiles(dataDir);
    return false;
  }

  /**
   * Creates a vault; the recovery code is returned once and stored nowhere in the clear. Never over anything: not a
   * vault.json (VAULT_EXISTS, or VAULT_KEYFILE_DAMAGED), not a database or originals left without their vault.json
   * (VAULT_KEYFILE_MISSING). The database is built as vault.db.new and renamed to vault.db only after vault.json is
   * written, so an interrupted create leaves either no vault.db (init can run again) or both files (open finishes it).
   */
  static async create(dataDir: string, passphrase: string, options: CreateOptions): Promise<{ vault: Vault; recoveryCode: string }> {
    await assertStrongPassphrase(passphrase);
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    if (await readKeyFile(dataDir)) throw new RedressError('VAULT_EXISTS', { dir: dataDir });
    await refuseVaultFiles(dataDir);
    const kdf = options.kdf ?? DEFAULT_KDF;
    const masterKey = randomBytes(32);
    const recoveryCode = newRecoveryCode();
    const draft = newKeyFile(kdf, placeholder(), placeholder());
    const keyFile: KeyFile = {
      ...draft,
      passphrase: await wrapKey(masterKey, passphrase, kdf, keyAad(draft.vaultId, 'passphrase')),
      recovery: await wrapKey(masterKey, recoveryCode.replace(/-/g, ''), kdf, keyAad(draft.vaultId, 'recovery')),
    };
    const lock = await ProcessLock.acquire(dataDir);
    try {
      // again under the lock: another process may have created a vault meanwhile
      if (await readKeyFile(dataDir)) throw new RedressError('VAULT_EXISTS', { dir: dataDir });
      await refuseVaultFiles(dataDir);
      const staged = join(dataDir, STAGED_DB_NAME);
      // Left by a create that stopped before vault.json was written: no key to it was ever stored, so it holds nothing.
      for (const suffix of ['', '-wal', '-shm', '-journal']) await rm(`${staged}${suffix}`, { force: true });
      const keys = deriveSubkeys(masterKey);
      try {
        openDatabase(staged, keys.database).close(); // migrated; the last close checkpoints the WAL into the file
      } finally {
        keys.database.fill(0);
      }
      if (await pathExists(`${staged}-wal`)) throw new RedressError('INTERNAL', { detail: 'the new database kept a WAL after closing' });
      await syncFile(staged);
      const heads = headsKey(masterKey);
      keyFile.heads = sealHeads(heads, keyFile.vaultId, { counter: 0, at: new Date().toISOString(), heads: [] });
      heads.fill(0);
      await writeKeyFile(dataDir, keyFile);
      await rename(staged, join(dataDir, DB_NAME));
      await fsyncDir(dataDir);
      const vault = await Vault.unlock(dataDir, keyFile, masterKey, lock, options);
      return { vault, recoveryCode };
    } catch (err) {
      await lock.release();
      throw err;
    } finally {
      masterKey.fill(0);
    }
  }

  /** A wrong passphrase throws WRONG_PASSPHRASE before any file is opened for writing. */
  static async open(dataDir: string, passphrase: string, options: OpenOptions): Promise<Vault> {
    const keyFile = await requireKeyFile(dataDir);
    // A missing or empty database is said before the passphrase is even tried, and nothing is touched.
    await requireDatabase(dataDir);
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
    await assertStrongPassphrase(newPassphrase);
    const keyFile = await requireKeyFile(dataDir);
    await requireDatabase(dataDir);
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
    const slot = await wrapKey(masterKey, passphrase, this.keyFile.kdf, keyAad(this.keyFile.vaultId, 'passphrase'));
    // read-modify-write under vault.json's lock: the heads recorded meanwhile are kept
    const updated = await updateKeyFile(this.ctx.dataDir, (current) => ({ ...current, passphrase: slot }));
    Object.assign(this.keyFile, updated);
  }

  private static async openWithKey(dataDir: string, keyFile: KeyFile, masterKey: Buffer, options: OpenOptions): Promise<Vault> {
    const lock = await ProcessLock.acquire(dataDir);
    try {
      if ((await requireDatabase(dataDir)) === 'staged') await finishCreate(dataDir, masterKey);
      return await Vault.unlock(dataDir, keyFile, masterKey, lock, options);
    } catch (err) {
      await lock.release();
      throw err;
    }
  }

  private static async unlock(dataDir: string, keyFile: KeyFile, masterKey: Buffer, lock: ProcessLock, options: OpenOptions): Promise<Vault> {
    const keys = deriveSubkeys(masterKey);
    const objects = new ObjectStore(dataDir, keys.objects, keys.objectNames);
    // A copy for attach(): SQLCipher keeps this key in memory for the connection's whole life anyway.
    const databaseKey = Buffer.from(keys.database);
    let db: Db;
    let readDb: Db;
    try {
      db = openDatabase(join(dataDir, DB_NAME), keys.database, { existing: true });
      readDb = openReader(db, join(dataDir, DB_NAME), keys.database);
    } catch (err) {
      databaseKey.fill(0);
      if (err instanceof RedressError && err.code === 'VAULT_DB_EMPTY') throw new RedressError('VAULT_DB_EMPTY', { ...err.value.params, dir: dataDir, objects: await countOriginals(dataDir) });
      throw err;
    } finally {
      keys.database.fill(0);
    }
    const actor = typeof options.actor === 'string' ? options.actor : `${vaultPseudonym(masterKey)} (${options.actor.tool})`;
    const ctx: VaultContext = { db, objects, clock: options.clock ?? systemClock, actor, dataDir, signer: VaultSigner.fromSeed(keys.signing) };
    let recorder: HeadsRecorder | null = null;
    try {
      await objects.init();
      // Safe only under the process lock: nobody else is between writing an object and committing its record.
      const quarantine = new Quarantine(dataDir, objects);
      const referenced = new ItemRepo(ctx).referencedObjects();
      const restored = await quarantine.restoreReferenced(referenced);
      const temp = await settleTempParts(objects, quarantine);
      const setAside = await setAsideUnreferenced(objects, quarantine, referenced);

      const key = headsKey(masterKey);
      const seen = keyFile.heads ? openHeads(key, keyFile.vaultId, keyFile.heads) : null;
      const rollback = keyFile.heads ? (seen ? findRollback(readDb, seen) : unreadableRecord()) : null;
      const recovery: Recovery = { partialFilesRemoved: temp.removed, quarantined: summarize([...temp.setAside, ...setAside]), restored, rollback };
      const vault = new Vault(ctx, readDb, lock, keyFile, recovery, quarantine);
      recorder = new HeadsRecorder(
        readDb,
        key,
        keyFile.vaultId,
        seen,
        rollback !== null,
        (sealed) => vault.writeHeads(sealed),
        (finding) => void (vault.rollbackFinding = finding),
      );
      vault.recorder = recorder;
      // A vault.json from before the counter gains it now, and one that lags after a crash catches up.
      await recorder.record();
      recorder.start();
      vault.attachKeys = { database: databaseKey, objects: keys.objects, objectNames: keys.objectNames, signing: keys.signing };
      return vault;
    } catch (err) {
      await recorder?.stop();
      recorder?.dispose();
      readDb.close();
      db.close();
      databaseKey.fill(0);
      throw asVaultError(err);
    }
  }

  /** The heads record goes into vault.json as it is on disk now (another writer's change is kept). */
  private async writeHeads(sealed: SealedHeads): Promise<void> {
    const next = await updateKeyFile(this.ctx.dataDir, (current) => (current.vaultId === this.keyFile.vaultId ? { ...current, heads: sealed } : null));
    if (next.vaultId !== this.keyFile.vaultId) throw new RedressError('VAULT_CORRUPT', { detail: 'vault.json belongs to another vault' });
    Object.assign(this.keyFile, next);
  }

  /**
   * What a worker thread of this process needs to open its own connection with attach() (batch export builds
   * packets on both cores). It holds raw keys: pass it to worker_threads only, never to another process or disk.
   */
  attachHandle(): AttachHandle {
    if (!this.attachKeys || this.closed) throw new RedressError('INTERNAL', { detail: 'this vault handle cannot be shared' });
    const k = this.attachKeys;
    return { dataDir: this.ctx.dataDir, keyFile: this.keyFile, database: Buffer.from(k.database), objects: Buffer.from(k.objects), objectNames: Buffer.from(k.objectNames), signing: Buffer.from(k.signing) };
  }

  /**
   * A second connection to a vault that this process already holds open (from a worker thread): it takes no
   * process lock and runs no crash recovery, since the holder did both, and close() closes only this connection.
   * Must not outlive the holder's Vault. Its commits reach the holder's record of heads (heads.ts) by themselves.
   */
  static attach(handle: AttachHandle, options: AttachOptions): Vault {
    const objects = new ObjectStore(handle.dataDir, Buffer.from(handle.objects), Buffer.from(handle.objectNames));
    const databaseKey = Buffer.from(handle.database);
    let db: Db;
    let readDb: Db;
    try {
      db = openDatabase(join(handle.dataDir, DB_NAME), databaseKey, { existing: true });
      readDb = openReader(db, join(handle.dataDir, DB_NAME), databaseKey);
    } finally {
      databaseKey.fill(0);
    }
    const ctx: VaultContext = { db, objects, clock: options.clock ?? systemClock, actor: options.actor, dataDir: handle.dataDir, signer: VaultSigner.fromSeed(handle.signing) };
    return new Vault(ctx, readDb, { release: async () => undefined }, handle.keyFile, NO_RECOVERY, null);
  }

  log(caseId: string): CustodyEntry[] {
    return this.reader.log(caseId);
  }

  /** Recomputes every chain and re-hashes every stored original (of one case, or of all), on the reading connection. */
  verify(caseId?: string, options: VerifyOptions = {}): Promise<VerifyReport> {
    return this.reader.verify(caseId, options);
  }

  /** Writes the record of the heads now, rather than within the next RECORD_INTERVAL_MS (heads.ts). */
  async recordHeads(): Promise<void> {
    await this.recorder?.record();
  }

  /** Every original in quarantine; `inspect` decrypts each to give its SHA-256 and media type and say if it is intact. */
  async quarantined(options: { inspect?: boolean } = {}): Promise<QuarantinedFile[]> {
    const quarantine = this.requireQuarantine();
    const entries: QuarantinedFile[] = await quarantine.list();
    if (!options.inspect) return entries;
    for (const entry of entries) {
      try {
        const hash = createHash('sha256');
        let mediaType: string | null = null;
        for await (const chunk of this.ctx.objects.readPath(quarantine.pathOf(entry.id))) {
          mediaType ??= await detectMediaType({ buffer: chunk });
          hash.update(chunk);
        }
        Object.assign(entry, { sha256: hash.digest('hex'), mediaType: mediaType ?? (await detectMediaType({ buffer: Buffer.alloc(0) })), intact: true });
      } catch (err) {
        if (!(err instanceof SealedFileError)) throw err;
        Object.assign(entry, { sha256: null, mediaType: null, intact: false });
      }
    }
    return entries;
  }

  /** The quarantined original that a unique prefix of its id names (QUARANTINE_NOT_FOUND, QUARANTINE_AMBIGUOUS). */
  resolveQuarantined(ref: string): Promise<QuarantineEntry> {
    return this.requireQuarantine().resolve(ref);
  }

  /**
   * Re-attaches a quarantined original as a new item of a case: an item.added entry on that case's chain says where it
   * came from (`recovered`). Once the item is committed the quarantined copy is removed: its bytes are stored again
   * under the item (or were already an item of that case: then nothing new is recorded).
   */
  async reattachQuarantined(ref: string, caseId: string, meta: ItemMeta = {}): Promise<AddResult & { quarantineId: string }> {
    const quarantine = this.requireQuarantine();
    const entry = await quarantine.resolve(ref);
    this.cases.get(caseId);
    let result: AddResult;
    try {
      result = await this.items.addStream(caseId, this.ctx.objects.readPath(quarantine.pathOf(entry.id)), {
        source: 'recovered from quarantine',
        ...meta,
        extra: { recovered: { quarantineId: entry.id, storedAt: entry.storedAt, quarantinedAt: entry.quarantinedAt, reason: entry.reason } },
      });
    } catch (err) {
      if (err instanceof SealedFileError) throw new RedressError('VAULT_CORRUPT', { detail: `the quarantined file ${entry.id.slice(0, 12)} is damaged (${err.reason}) and cannot be re-attached` }, { cause: err });
      throw err;
    }
    await quarantine.remove(entry.id);
    return { ...result, quarantineId: entry.id };
  }

  /** Deletes quarantined originals for good, only these and only when asked; every reference is resolved first. */
  async discardQuarantined(refs: readonly string[]): Promise<QuarantineEntry[]> {
    const quarantine = this.requireQuarantine();
    const entries: QuarantineEntry[] = [];
    for (const ref of refs) {
      const entry = await quarantine.resolve(ref);
      if (!entries.some((e) => e.id === entry.id)) entries.push(entry);
    }
    for (const entry of entries) await quarantine.remove(entry.id);
    return entries;
  }

  /**
   * The user knowingly continues with the database as it is: every case's chain gets a vault.rollback-acknowledged
   * entry (what was seen of it, the head found), then the record of heads starts again from here (its counter still
   * grows). A crash in between leaves the rollback reported: acknowledging again adds a second entry, nothing worse.
   */
  async acknowledgeRollback(): Promise<{ acknowledged: boolean; recordedOn: number }> {
    if (!this.recorder || this.closed) throw new RedressError('INTERNAL', { detail: 'this vault handle cannot acknowledge a rollback' });
    if (!this.rollbackFinding) return { acknowledged: false, recordedOn: 0 };
    const seen = this.recorder.seen;
    const finding = (seen && findRollback(this.readDb, seen)) || this.rollbackFinding;
    const byCase = new Map(finding.cases.map((c) => [c.caseId, c]));
    const { db, clock, actor } = this.ctx;
    let recordedOn = 0;
    db.transaction(() => {
      for (const head of currentHeads(db)) {
        const c = byCase.get(head.caseId);
        appendEntry(db, clock, actor, head.caseId, 'vault.rollback-acknowledged', {
          seen: c ? { seq: c.seenSeq, hash: c.seenHash } : null,
          found: { seq: head.seq, hash: head.hash },
          state: c?.state ?? 'as seen',
          entriesMissing: finding.entriesMissing,
          casesAffected: finding.cases.length,
          casesMissing: finding.cases.filter((x) => x.state === 'missing').length,
          record: finding.unreadable ? 'unreadable' : { counter: finding.seen?.counter ?? 0, at: finding.seen?.at ?? '' },
        });
        recordedOn++;
      }
    })();
    await this.recorder.rebase();
    this.rollbackFinding = null;
    return { acknowledged: true, recordedOn };
  }

  /** The rollback as verify reports it: recomputed now, against what was seen. */
  private rollbackProblems(caseId?: string): Problem[] {
    if (!this.rollbackFinding) return [];
    const seen = this.recorder?.seen;
    const finding = seen ? (findRollback(this.readDb, seen) ?? this.rollbackFinding) : this.rollbackFinding;
    if (finding.unreadable) {
      return [{ kind: 'vault-rolled-back', caseId: caseId ?? '', detail: "the record of the vault's last state in vault.json fails authentication (edited or damaged): whether the database is older than it cannot be told" }];
    }
    const when = finding.seen ? ` (recorded ${finding.seen.at})` : '';
    return finding.cases
      .filter((c) => caseId === undefined || c.caseId === caseId)
      .map((c) => ({
        kind: 'vault-rolled-back' as const,
        caseId: c.caseId,
        seq: c.seenSeq,
        detail:
          `the vault last saw this case at custody entry ${c.seenSeq} (${c.seenHash.slice(0, 12)}…)${when}; ` +
          (c.state === 'missing'
            ? 'the case is not in the database at all'
            : c.state === 'behind'
              ? `the database's chain ends at entry ${c.foundSeq}`
              : `the database holds another entry ${c.seenSeq} (its chain went back and was written to since)`) +
          ': the database is older than the last state of this vault (a restored backup, or a lost or damaged vault.db-wal)',
      }));
  }

  private requireQuarantine(): Quarantine {
    if (!this.quarantine || this.closed) throw new RedressError('INTERNAL', { detail: 'quarantine is reached through the vault holding the lock' });
    return this.quarantine;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.recorder) {
      await this.recorder.stop();
      // the last commits of this session, durably outside the database (a failed write only leaves the record lagging)
      await this.recorder.record().catch(() => undefined);
      this.recorder.dispose();
    }
    this.attachKeys?.database.fill(0);
    this.attachKeys?.signing.fill(0);
    this.reader.context.db.close();
    this.ctx.db.close();
    await this.lock.release();
  }
}

/** The second, query-only connection; the writer is closed too when it cannot be opened. */
function openReader(writer: Db, path: string, key: Buffer): Db {
  try {
    return openDatabase(path, key, { queryOnly: true, existing: true });
  } catch (err) {
    writer.close();
    throw err;
  }
}

async function requireKeyFile(dataDir: string): Promise<KeyFile> {
  const keyFile = await readKeyFile(dataDir);
  if (keyFile) return keyFile;
  await refuseVaultFiles(dataDir);
  throw new RedressError('VAULT_NOT_FOUND', { dir: dataDir });
}

/**
 * vault.db must be there and not empty beside a vault.json: SQLite would otherwise create a new, empty database in
 * its place, and the originals would look like leftovers of nothing. 'staged' when create() stopped between writing
 * vault.json and renaming its database into place.
 */
async function requireDatabase(dataDir: string): Promise<'ready' | 'staged'> {
  const info = await stat(join(dataDir, DB_NAME)).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (!info) {
    if (await pathExists(join(dataDir, STAGED_DB_NAME))) return 'staged';
    throw new RedressError('VAULT_DB_MISSING', { dir: dataDir, objects: await countOriginals(dataDir) });
  }
  if (info.isFile() && info.size === 0) throw new RedressError('VAULT_DB_EMPTY', { dir: dataDir, objects: await countOriginals(dataDir), detail: 'vault.db is 0 bytes' });
  return 'ready';
}

/** Renames a staged database into place, once it is known to open with this vault's key. */
async function finishCreate(dataDir: string, masterKey: Buffer): Promise<void> {
  const staged = join(dataDir, STAGED_DB_NAME);
  const keys = deriveSubkeys(masterKey);
  try {
    openDatabase(staged, keys.database, { existing: true }).close();
  } catch (err) {
    throw new RedressError('VAULT_DB_MISSING', { dir: dataDir, objects: await countOriginals(dataDir) }, { cause: err });
  } finally {
    keys.database.fill(0);
  }
  await rename(staged, join(dataDir, DB_NAME));
  await fsyncDir(dataDir);
}

/** VAULT_KEYFILE_MISSING when a vault's database or originals lie here without their vault.json. */
async function refuseVaultFiles(dataDir: string): Promise<void> {
  const found: string[] = [];
  for (const name of [DB_NAME, `${DB_NAME}-wal`, `${DB_NAME}-shm`]) if (await pathExists(join(dataDir, name))) found.push(name);
  for (const folder of ['objects', 'quarantine']) {
    const n = await countFiles(join(dataDir, folder));
    if (n) found.push(`${folder}/ (${n})`);
  }
  if (found.length) throw new RedressError('VAULT_KEYFILE_MISSING', { dir: dataDir, files: found.join(', ') });
}

/** Sealed originals in the folder: stored ones and quarantined ones (not their .json notes). */
async function countOriginals(dataDir: string): Promise<number> {
  const quarantined = (await readdir(join(dataDir, 'quarantine')).catch(() => [] as string[])).filter((n) => !n.endsWith('.json')).length;
  return (await countFiles(join(dataDir, 'objects'))) + quarantined;
}

/** Files under a folder (0 if there is none), counted up to a limit. */
async function countFiles(dir: string, limit = 100_000): Promise<number> {
  let n = 0;
  const pending = [dir];
  while (pending.length && n < limit) {
    const entries = await readdir(pending.pop()!, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      if (e.isDirectory()) pending.push(join(e.parentPath, e.name));
      else n++;
    }
  }
  return n;
}

async function pathExists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function placeholder() {
  return { salt: '', nonce: '', ciphertext: '', tag: '' };
}

export { KEYFILE_NAME };
