import { chmodSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { RedressError } from '../errors.js';
import { isNativeLoadFailure, nativeModuleBroken } from '../native/native-error.js';

export type Db = Database.Database;
type Statement = Database.Statement;
/** SQL built with a variable number of placeholders has many texts: the cache keeps the most recent ones. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * The database is SQLCipher 4 format (better-sqlite3-multiple-ciphers with cipher=sqlcipher, legacy=4): every
 * page, including those in the WAL, is AES-256 encrypted with an HMAC, and a examiner holding the key can open
 * it with the stock sqlcipher shell. The key is a raw 256-bit subkey, so SQLCipher's own PBKDF2 is skipped: the
 * memory-hard derivation already happened once for the whole vault (see keys.ts).
 */
export function openDatabase(path: string, key: Buffer, options: { nativeBinding?: string; queryOnly?: boolean; existing?: boolean } = {}): Db {
  let db: Db | undefined;
  const { queryOnly, existing, ...driver } = options;
  try {
    // An existing vault's database must be there already: SQLite would otherwise create an empty one in its place.
    db = new Database(path, existing ? { ...driver, fileMustExist: true } : driver);
    // Encrypted, but still nobody else's business: owner-only like the rest of the vault.
    if (process.platform !== 'win32') chmodSync(path, 0o600);
    db.pragma(`cipher='sqlcipher'`);
    db.pragma('legacy=4');
    db.pragma(`key="x'${key.toString('hex')}'"`);
    applyDurability(db);
    // A vault's database without the vault's tables (emptied, or replaced by a blank one) is not upgraded into a
    // new empty vault beside the originals: that is how a lost database used to pass for a vault with no cases.
    if (existing && (db.pragma('user_version', { simple: true }) as number) === 0) {
      throw new RedressError('VAULT_DB_EMPTY', { dir: dirname(path), objects: '?', detail: 'the database holds no vault tables' });
    }
    // A reading connection never migrates (the writer did) and refuses every write, whatever code holds it.
    if (queryOnly) db.pragma('query_only = ON');
    else migrate(db);
    cacheStatements(db);
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof RedressError) throw err;
    // a binary that cannot load says nothing about the evidence: telling a victim it is damaged would be a lie
    if (isNativeLoadFailure(err)) throw nativeModuleBroken('better-sqlite3-multiple-ciphers', err);
    throw new RedressError('VAULT_CORRUPT', { detail: 'database cannot be opened' }, { cause: err });
  }
}

/**
 * The repositories prepare their SQL where they use it. Under SQLCipher a prepare costs a fifth of a millisecond and
 * native memory that is freed only when V8 collects the statement, which it does late: 18k annotations in one
 * transaction took 1.3 GB and 11.6 s, against 350 MB and 4.6 s with statements reused (measured here). So each
 * connection keeps one statement per SQL text; one still busy iterating gets a fresh sibling, and a reused one has
 * its result modes reset, since raw() and pluck() change the statement itself.
 */
function cacheStatements(db: Db): void {
  const prepare = db.prepare.bind(db);
  const cache = new Map<string, Statement>();
  db.prepare = ((sql: string) => {
    const cached = cache.get(sql);
    if (cached && !cached.busy) {
      if (cached.reader) cached.raw(false).pluck(false).expand(false);
      return cached;
    }
    const fresh = prepare(sql);
    if (!cached) {
      cache.set(sql, fresh);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    return fresh;
  }) as Db['prepare'];
}

/**
 * Pragmas that do not persist in the file must be set on every open. better-sqlite3 builds with
 * SQLITE_DEFAULT_WAL_SYNCHRONOUS=1 (NORMAL), under which a committed custody entry can vanish on power loss:
 * FULL syncs the WAL at every commit. Temporary tables and sorts stay in memory so no plaintext temp file
 * is ever written.
 */
export function applyDurability(db: Db): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('temp_store = MEMORY');
  db.pragma('secure_delete = ON');
  db.pragma('busy_timeout = 5000');
}

const MIGRATIONS: string[] = [
  `
  CREATE TABLE cases (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    incident_type TEXT NOT NULL,
    status TEXT NOT NULL,
    started_at TEXT,
    discovered_at TEXT,
    narrative TEXT NOT NULL DEFAULT '',
    losses TEXT NOT NULL DEFAULT '[]',
    parties TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    head_seq INTEGER NOT NULL,
    head_hash TEXT NOT NULL
  ) STRICT;

  CREATE TABLE items (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    notes TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    source TEXT NOT NULL,
    original_name TEXT,
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    object_name TEXT NOT NULL,
    captured_at TEXT NOT NULL,
    captured_offset INTEGER NOT NULL,
    captured_zone TEXT NOT NULL,
    derived_from TEXT REFERENCES items(id),
    excluded_reason TEXT,
    excluded_at TEXT,
    added_seq INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX items_case ON items(case_id, captured_at);
  CREATE INDEX items_sha ON items(case_id, sha256);

  CREATE TABLE custody (
    case_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    body TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE links (
    item_id TEXT NOT NULL REFERENCES items(id),
    target_type TEXT NOT NULL,
    target_id TEXT NOT NULL,
    PRIMARY KEY (item_id, target_type, target_id)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;
  `,
  // Importers (issue 4): structured records that point back to the evidence item they were read from.
  `
  CREATE TABLE imports (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    item_id TEXT NOT NULL REFERENCES items(id),
    format TEXT NOT NULL,
    summary TEXT NOT NULL,
    partial INTEGER NOT NULL,
    seq INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX imports_case ON imports(case_id);

  CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    import_id TEXT NOT NULL REFERENCES imports(id),
    time_instant TEXT NOT NULL,
    time_offset INTEGER NOT NULL,
    time_zone TEXT,
    direction TEXT NOT NULL,
    channel TEXT NOT NULL,
    counterpart_address TEXT,
    counterpart_name TEXT,
    body TEXT NOT NULL,
    thread TEXT,
    attachments TEXT NOT NULL DEFAULT '[]',
    source_item TEXT NOT NULL REFERENCES items(id),
    source_locator TEXT NOT NULL,
    content_key BLOB NOT NULL,
    flagged INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE UNIQUE INDEX messages_key ON messages(case_id, content_key);
  CREATE INDEX messages_time ON messages(case_id, time_instant);

  CREATE TABLE transactions (
    id TEXT PRIMARY KEY,
    case_id TEXT NOT NULL REFERENCES cases(id),
    import_id TEXT NOT NULL REFERENCES imports(id),
    time_instant TEXT NOT NULL,
    time_offset INTEGER NOT NULL,
    time_zone TEXT,
    direction TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    currency TEXT NOT NULL,
    counterparty_name TEXT,
    counterparty_account TEXT,
    platform TEXT,
    platform_tx_id TEXT,
    merchant_order_id TEXT,
    method TEXT,
    status TEXT,
    category TEXT,
    note TEXT,
    source_item TEXT NOT NULL REFERENCES items(id),
    source_locator TEXT NOT NULL,
    content_key BLOB NOT NULL,
    flagged INTEGER NOT NULL DEFAULT 0
  ) STRICT;
  CREATE UNIQUE INDEX transactions_key ON transactions(case_id, content_key);
  CREATE INDEX transactions_time ON transactions(case_id, time_instant);

  CREATE TABLE bank_csv_profiles (
    name TEXT PRIMARY KEY,
    profile TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT;
  `,
  // Image metadata and thumbnails were written at import and never read: the metadata is on the chain (GPS
  // only as present) and in the original photo, and no screen showed a thumbnail. A vault that has them drops them.
  `
  DROP TABLE IF EXISTS thumbnails;
  DROP TABLE IF EXISTS image_meta;
  `,
  // The vault keys an association recorded (signing/known-vaults.ts): the first 128 bits of the key's SHA-256, hex.
  `
  CREATE TABLE known_vaults (
    fingerprint TEXT PRIMARY KEY CHECK (length(fingerprint) = 32),
    label TEXT NOT NULL,
    added_at TEXT NOT NULL
  ) STRICT;
  `,
];

function migrate(db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new RedressError('VAULT_CORRUPT', { detail: `database version ${version} is newer than this Redress` });
  }
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
