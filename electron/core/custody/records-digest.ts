import { createHash, type Hash } from 'node:crypto';

/**
 * The records digest of a 'records.imported' custody entry: what ties every field of every record an import added
 * (messages and transactions rows) to the hash-chained entry, so that verify, or a recipient holding the rows (an
 * exchange bundle carries them verbatim, column by column), can tell that none was edited, removed or slipped in.
 *
 * Version 2, `recordsDigestV: 2` in the payload:
 *
 *   recordsDigest = lowercase hex SHA-256 over the UTF-8 bytes of, for each record the import added,
 *                   LINE(record) + "\n"
 *   LINE(record)  = RFC 8785 canonical JSON of one object: {"table": "messages" | "transactions"} plus every
 *                   column of the record's row named in RECORD_COLUMNS below, under the column's name, with the
 *                   value as stored: TEXT as a JSON string, INTEGER as a JSON number, NULL as null, and the BLOB
 *                   content_key as a string of lowercase hex. A column that is NULL is present as null.
 *   order         = every message, then every transaction, each in ascending order of `id` compared as UTF-8
 *                   bytes (SQLite's BINARY collation; ids are lowercase UUIDs, so plain string order).
 *
 * Left out is `flagged` alone: it changes after the import by design, and verify replays it from the case's
 * 'records.flagged' / 'records.unflagged' entries instead. `case_id`, `import_id` and `source_item` are in, so a
 * record moved to another case, import or source item no longer matches. An import that added no record has the
 * digest of the empty string (e3b0c442…b855).
 *
 * Version 1 (entries without `recordsDigestV`, written before this definition) hashed, in insertion order,
 * `${id} ${content_key as hex} ${source_locator}\n` per record added: it names the records and, through the
 * content key (records/record-repo.ts contentKey), part of what they say, but not every field. Verify recomputes it
 * and says what it cannot vouch for (a 'records-digest-legacy' warning).
 */
export const RECORDS_DIGEST_V = 2;

export type RecordTable = 'messages' | 'transactions';

/** The columns a version 2 line holds, per table: fixed here, so a column a later schema adds needs a version 3. */
export const RECORD_COLUMNS = {
  messages: [
    'id',
    'case_id',
    'import_id',
    'time_instant',
    'time_offset',
    'time_zone',
    'direction',
    'channel',
    'counterpart_address',
    'counterpart_name',
    'body',
    'thread',
    'attachments',
    'source_item',
    'source_locator',
    'content_key',
  ],
  transactions: [
    'id',
    'case_id',
    'import_id',
    'time_instant',
    'time_offset',
    'time_zone',
    'direction',
    'amount_minor',
    'currency',
    'counterparty_name',
    'counterparty_account',
    'platform',
    'platform_tx_id',
    'merchant_order_id',
    'method',
    'status',
    'category',
    'note',
    'source_item',
    'source_locator',
    'content_key',
  ],
} as const satisfies Record<RecordTable, readonly string[]>;

/**
 * A record row read with recordColumnsSql(table): the line's fields under their names ("table" included, content_key
 * already lowercase hex), and whatever else the query selected, which the line leaves out.
 */
export type StoredRecordRow = Readonly<Record<string, unknown>>;

// RFC 8785 orders an object's members by the UTF-16 code units of their names; every name here is ASCII.
const SORTED_KEYS: Record<RecordTable, readonly string[]> = {
  messages: [...RECORD_COLUMNS.messages, 'table'].sort(),
  transactions: [...RECORD_COLUMNS.transactions, 'table'].sort(),
};

/** The members of a table's line, in the line's order. */
export function recordKeys(table: RecordTable): readonly string[] {
  return SORTED_KEYS[table];
}

/** The SQL select list (or RETURNING list) that reads a row as LINE needs it. */
export function recordColumnsSql(table: RecordTable): string {
  return SORTED_KEYS[table].map((key) => (key === 'table' ? `'${table}' AS "table"` : key === 'content_key' ? 'lower(hex(content_key)) AS content_key' : key)).join(', ');
}

/**
 * LINE(record), without the newline, from a row read with recordColumnsSql. JSON.stringify with the sorted member
 * names as its property list writes exactly those members in that order, and serialises strings, integers and null
 * as RFC 8785 does (RFC 8785 defers to ECMAScript for both), so this is canonicalJson of the record's object
 * (tests/unit/records-digest.test.ts holds the two equal) at a fraction of the cost: verify builds one per record.
 */
export function recordLine(table: RecordTable, row: StoredRecordRow): string {
  if (row.table !== table) throw new TypeError(`records digest: a ${table} row was not read with recordColumnsSql`);
  return JSON.stringify(row, SORTED_KEYS[table] as string[]);
}

const TABLE_ORDER: Record<RecordTable, number> = { messages: 0, transactions: 1 };

/**
 * Builds a version 2 digest from rows fed in digest order (messages by id, then transactions by id): the importer
 * inserts them in that order (record-repo.ts), verify reads them so (ORDER BY id, which is UTF-8 byte order). Rows read in
 * another order only arise when ids were changed, and then the digest differs anyway.
 */
export class RecordsDigest {
  private readonly hash: Hash = createHash('sha256');
  /** lines not yet hashed: one hash update per record crossed into native code 100k times for a 100k import */
  private pending = '';

  add(table: RecordTable, row: StoredRecordRow): void {
    this.addLine(recordLine(table, row));
  }

  /**
   * A row that holds exactly the line's members, made in their order (recordKeys): JSON.stringify without the
   * property list writes the same line, and spares the set of names V8 builds from a property list on every call. The
   * importer makes its rows so (record-repo.ts storedRow); anything read from a database goes through add.
   */
  addOrdered(row: StoredRecordRow): void {
    this.addLine(JSON.stringify(row));
  }

  private addLine(line: string): void {
    this.pending += line + '\n';
    if (this.pending.length >= 1 << 16) this.flush();
  }

  digest(): string {
    this.flush();
    return this.hash.digest('hex');
  }

  private flush(): void {
    if (this.pending) this.hash.update(this.pending, 'utf8');
    this.pending = '';
  }
}

/**
 * A row as `SELECT *` (or an exchange bundle, after decoding) gives it, in the shape recordLine reads: the table
 * named, content_key as lowercase hex, `flagged` and any other column left as they are (the line ignores them).
 */
export function lineRow(table: RecordTable, row: Readonly<Record<string, unknown>>): StoredRecordRow {
  const key = row.content_key;
  return { ...row, table, content_key: Buffer.isBuffer(key) ? key.toString('hex') : key };
}

/** The version 2 digest of a set of rows in any order: what tests build expected digests with (the importer feeds RecordsDigest in order). */
export function recordsDigest(rows: Iterable<{ table: RecordTable; row: StoredRecordRow }>): string {
  const sorted = [...rows].sort((a, b) => TABLE_ORDER[a.table] - TABLE_ORDER[b.table] || compareUtf8(a.row.id as string, b.row.id as string));
  const d = new RecordsDigest();
  for (const r of sorted) d.add(r.table, r.row);
  return d.digest();
}

/** Version 1: `${id} ${content_key hex} ${source_locator}\n` per record, in the order given (insertion order). */
export function legacyRecordsDigest(rows: Iterable<StoredRecordRow>): string {
  const hash = createHash('sha256');
  for (const row of rows) hash.update(`${row.id as string} ${row.content_key as string} ${row.source_locator as string}\n`);
  return hash.digest('hex');
}

/**
 * Compares as UTF-8 bytes do (SQLite's BINARY collation), which differs from JavaScript's UTF-16 order only when
 * one side has a character at U+E000–U+FFFF and the other a surrogate pair at the same position.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // a surrogate (a character past U+FFFF) sorts after every BMP character in UTF-8
    if (isSurrogate(x) !== isSurrogate(y)) return isSurrogate(x) ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}

const isSurrogate = (c: number) => c >= 0xd800 && c <= 0xdfff;
