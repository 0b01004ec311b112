import { hash, randomBytes, randomUUID } from 'node:crypto';
import type { MessageRecord, SourcePointer, TransactionRecord } from '../../../shared/records.js';
import { appendEntry } from '../custody/chain.js';
import { recordKeys, RECORDS_DIGEST_V, RecordsDigest, type RecordTable, type StoredRecordRow } from '../custody/records-digest.js';
import type { VaultContext } from '../context.js';
import { RedressError } from '../errors.js';
// eslint-disable-next-line no-restricted-imports -- importers/index.ts re-exports RecordRepo, so importing it here would be a cycle; the draft types should move to records/ (docs/layout.md)
import type { MessageDraft, RecordDraft, TransactionDraft } from '../importers/types.js';

export interface ListOptions {
  flagged?: boolean;
  limit?: number;
  offset?: number;
}

// A type, not an interface: it goes into a custody payload, whose schema is open to more fields.
export type InsertCounts = {
  messages: { read: number; added: number; duplicate: number };
  transactions: { read: number; added: number; duplicate: number };
};

/**
 * A record already in the case is recognised by the platform's own id (transactions) and otherwise by a content
 * key over what the record says, so re-importing a file, or a later export that overlaps, adds nothing twice.
 */
export function contentKey(r: RecordDraft): Buffer {
  const fields =
    r.kind === 'transaction' && r.platformTxId
      ? ['tx', r.platform ?? '', r.platformTxId, r.direction]
      : r.kind === 'message'
        ? ['m', r.channel, r.time.instant, r.direction, r.counterpartAddress ?? '', r.counterpartName ?? '', r.thread ?? '', r.body]
        : ['t', r.platform ?? '', r.time.instant, r.direction, r.amount.currency, r.amount.minor, r.counterpartyName ?? '', r.counterpartyAccount ?? '', r.merchantOrderId ?? '', r.note ?? ''];
  // 128 bits of SHA-256 keep the unique index small; a collision among a case's records is out of reach (2^-64 at 10^10).
  return hash('sha256', JSON.stringify(fields), 'buffer').subarray(0, 16);
}

/**
 * n record ids in increasing byte order (ORDER BY id, which for these ASCII ids is the order sort() gives): version 4
 * UUIDs of random bytes whose first 48 bits are drawn as numbers and sorted. Not a random start counted up: records
 * are named by the first characters of their id (the CLI's `flag <case> 875893ec`), and ids of one import would all
 * have begun alike. Numbers sort in a typed array: sorting 100k UUID strings cost 130 ms of a 100k import.
 */
export function increasingIds(n: number, random: (size: number) => Buffer = randomBytes): string[] {
  const bytes = random(16 * n);
  const heads = new Float64Array(n);
  // at most 2^48 - 1 - n, so that making equal draws consecutive (below) never carries past 48 bits
  for (let i = 0; i < n; i++) heads[i] = Math.min(bytes.readUIntBE(16 * i, 6), 2 ** 48 - 1 - n);
  heads.sort();
  const ids = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    // equal draws (one in 2^48 for a pair) become consecutive, so the ids stay distinct and increasing
    if (i > 0 && heads[i]! <= heads[i - 1]!) heads[i] = heads[i - 1]! + 1;
    const o = 16 * i;
    bytes.writeUIntBE(heads[i]!, o, 6);
    bytes[o + 6] = (bytes[o + 6]! & 0x0f) | 0x40; // version 4
    bytes[o + 8] = (bytes[o + 8]! & 0x3f) | 0x80; // RFC 4122 variant
    const hex = bytes.toString('hex', o, o + 16);
    ids[i] = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  return ids;
}

/**
 * A record as its row will read back with recordColumnsSql (the digest's line), and the values its INSERT binds, in
 * the order of recordKeys(table) (tests/unit/records-digest.test.ts holds them so): every column, null for what the
 * record leaves out, and text as SQLite stores it, where a lone surrogate (which UTF-8 cannot hold) becomes U+FFFD,
 * as better-sqlite3 writes it. Built member by member, so that no field is looked up by a column name held in a
 * variable (a megamorphic read per field, per row).
 */
export function storedRow(table: RecordTable, r: RecordDraft, at: { id: string; caseId: string; importId: string; itemId: string; contentKey: Buffer }): { row: Record<string, string | number | null>; params: unknown[] } {
  const t = r.time;
  const key = at.contentKey.toString('hex');
  if (table === 'messages') {
    const m = r as MessageDraft;
    const row = {
      attachments: stored(JSON.stringify(m.attachments)),
      body: stored(m.body),
      case_id: at.caseId,
      channel: m.channel,
      content_key: key,
      counterpart_address: stored(m.counterpartAddress),
      counterpart_name: stored(m.counterpartName),
      direction: m.direction,
      id: at.id,
      import_id: at.importId,
      source_item: at.itemId,
      source_locator: stored(r.locator),
      table,
      thread: stored(m.thread),
      time_instant: stored(t.instant),
      time_offset: t.offsetMinutes,
      time_zone: stored(t.zone),
    };
    const params = [row.attachments, row.body, row.case_id, row.channel, at.contentKey, row.counterpart_address, row.counterpart_name, row.direction, row.id, row.import_id, row.source_item, row.source_locator, row.thread, row.time_instant, row.time_offset, row.time_zone];
    return { row, params };
  }
  const x = r as TransactionDraft;
  const row = {
    amount_minor: x.amount.minor,
    case_id: at.caseId,
    category: stored(x.category),
    content_key: key,
    counterparty_account: stored(x.counterpartyAccount),
    counterparty_name: stored(x.counterpartyName),
    currency: stored(x.amount.currency),
    direction: x.direction,
    id: at.id,
    import_id: at.importId,
    merchant_order_id: stored(x.merchantOrderId),
    method: stored(x.method),
    note: stored(x.note),
    platform: stored(x.platform),
    platform_tx_id: stored(x.platformTxId),
    source_item: at.itemId,
    source_locator: stored(r.locator),
    status: stored(x.status),
    table,
    time_instant: stored(t.instant),
    time_offset: t.offsetMinutes,
    time_zone: stored(t.zone),
  };
  const params = [row.amount_minor, row.case_id, row.category, at.contentKey, row.counterparty_account, row.counterparty_name, row.currency, row.direction, row.id, row.import_id, row.merchant_order_id, row.method, row.note, row.platform, row.platform_tx_id, row.source_item, row.source_locator, row.status, row.time_instant, row.time_offset, row.time_zone];
  return { row, params };
}

function stored(s: string | undefined): string | null {
  if (s === undefined) return null;
  return s.isWellFormed() ? s : s.toWellFormed();
}

/**
 * The content key a stored row should carry, from its own columns. Verify recomputes it for imports whose records
 * digest is version 1, which names each record's key but not its fields (custody/records-digest.ts).
 */
export function rowContentKey(table: RecordTable, row: StoredRecordRow): Buffer {
  const text = (column: string) => (row[column] === null ? undefined : (row[column] as string));
  const base = { locator: '', time: { instant: row.time_instant as string, offsetMinutes: row.time_offset as number }, direction: row.direction as MessageRecord['direction'] };
  return contentKey(
    table === 'messages'
      ? { ...base, kind: 'message', channel: row.channel as MessageRecord['channel'], counterpartAddress: text('counterpart_address'), counterpartName: text('counterpart_name'), thread: text('thread'), body: row.body as string, attachments: [] }
      : {
          ...base,
          kind: 'transaction',
          amount: { currency: row.currency as string, minor: row.amount_minor as number },
          platform: text('platform'),
          platformTxId: text('platform_tx_id'),
          counterpartyName: text('counterparty_name'),
          counterpartyAccount: text('counterparty_account'),
          merchantOrderId: text('merchant_order_id'),
          note: text('note'),
        },
  );
}

interface MessageRow {
  id: string;
  case_id: string;
  time_instant: string;
  time_offset: number;
  time_zone: string | null;
  direction: string;
  channel: string;
  counterpart_address: string | null;
  counterpart_name: string | null;
  body: string;
  thread: string | null;
  attachments: string;
  source_item: string;
  source_sha256: string;
  source_locator: string;
  flagged: number;
}

interface TransactionRow {
  id: string;
  case_id: string;
  time_instant: string;
  time_offset: number;
  time_zone: string | null;
  direction: string;
  amount_minor: number;
  currency: string;
  counterparty_name: string | null;
  counterparty_account: string | null;
  platform: string | null;
  platform_tx_id: string | null;
  merchant_order_id: string | null;
  method: string | null;
  status: string | null;
  category: string | null;
  note: string | null;
  source_item: string;
  source_sha256: string;
  source_locator: string;
  flagged: number;
}

const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

/** Messages and transactions read by the importers, and the user's choice of which ones are evidence of the fraud. */
export class RecordRepo {
  constructor(private readonly ctx: VaultContext) {}

  /**
   * Inserts one import's records and its custody entry in a single transaction: all or nothing. Called by
   * importFile; `custody` is the entry's payload without the counts, which are known only after de-duplication, and
   * without what this adds itself: the format and source item (as the import row holds them) and the records digest.
   */
  insertImport(input: {
    caseId: string;
    format: string;
    source: { itemId: string; sha256: string };
    records: RecordDraft[];
    partial: boolean;
    custody: Record<string, unknown>;
  }): { importId: string; counts: InsertCounts; seq: number } {
    return this.insertAll(input, randomUUID());
  }

  private insertAll(input: Parameters<RecordRepo['insertImport']>[0], importId: string): { importId: string; counts: InsertCounts; seq: number } {
    const { db, clock, actor } = this.ctx;
    return db.transaction(() => {
      db.prepare('INSERT INTO imports (id, case_id, item_id, format, summary, partial, seq) VALUES (?, ?, ?, ?, ?, ?, 0)').run(importId, input.caseId, input.source.itemId, input.format, '{}', input.partial ? 1 : 0);
      const counts: InsertCounts = { messages: { read: 0, added: 0, duplicate: 0 }, transactions: { read: 0, added: 0, duplicate: 0 } };
      const { itemId } = input.source;
      // The entry's records digest (custody/records-digest.ts, version 2) covers every field of every row added, as
      // SQLite stores it, in digest order: messages by id, then transactions by id. So each kind is inserted on its
      // own, under ids that increase (increasingIds), and each row goes into the digest as it is added. Reading the
      // rows back sorted cost 1.0 s of a 100k import; holding them as objects until the end, 250 MB of its peak.
      const digest = new RecordsDigest();
      for (const table of ['messages', 'transactions'] as const) {
        const kind = table === 'messages' ? 'message' : 'transaction';
        const ofKind = input.records.filter((r) => r.kind === kind);
        if (!ofKind.length) continue;
        // the columns in the order storedRow binds them: the line's, without its "table"
        const columns = recordKeys(table).filter((k) => k !== 'table');
        const insert = db.prepare(`INSERT OR IGNORE INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
        const ids = increasingIds(ofKind.length);
        const tally = counts[table];
        ofKind.forEach((r, n) => {
          const { row, params } = storedRow(table, r, { id: ids[n]!, caseId: input.caseId, importId, itemId, contentKey: contentKey(r) });
          const added = insert.run(...params).changes === 1;
          tally.read++;
          tally[added ? 'added' : 'duplicate']++;
          if (added) digest.addOrdered(row);
        });
      }
      // The import row's summary is the entry's payload but for the import id and the digest; verify compares them.
      const summary = { ...input.custody, format: input.format, sourceItemId: itemId, counts };
      const entry = appendEntry(db, clock, actor, input.caseId, 'records.imported', { importId, ...summary, recordsDigestV: RECORDS_DIGEST_V, recordsDigest: digest.digest() });
      db.prepare('UPDATE imports SET summary = ?, seq = ? WHERE id = ?').run(JSON.stringify(summary), entry.seq, importId);
      return { importId, counts, seq: entry.seq };
    })();
  }

  listMessages(caseId: string, options: ListOptions = {}): MessageRecord[] {
    const rows = this.ctx.db
      .prepare(`SELECT m.*, i.sha256 AS source_sha256 FROM messages m JOIN items i ON i.id = m.source_item WHERE m.case_id = ? ${options.flagged === undefined ? '' : 'AND m.flagged = ' + (options.flagged ? 1 : 0)} ORDER BY m.time_instant, m.rowid LIMIT ? OFFSET ?`)
      .all(caseId, options.limit ?? -1, options.offset ?? 0) as MessageRow[];
    return rows.map(messageFromRow);
  }

  listTransactions(caseId: string, options: ListOptions = {}): TransactionRecord[] {
    const rows = this.ctx.db
      .prepare(`SELECT t.*, i.sha256 AS source_sha256 FROM transactions t JOIN items i ON i.id = t.source_item WHERE t.case_id = ? ${options.flagged === undefined ? '' : 'AND t.flagged = ' + (options.flagged ? 1 : 0)} ORDER BY t.time_instant, t.rowid LIMIT ? OFFSET ?`)
      .all(caseId, options.limit ?? -1, options.offset ?? 0) as TransactionRow[];
    return rows.map(transactionFromRow);
  }

  count(caseId: string): { messages: number; transactions: number; flaggedMessages: number; flaggedTransactions: number } {
    const q = (sql: string) => (this.ctx.db.prepare(sql).get(caseId) as { n: number }).n;
    return {
      messages: q('SELECT COUNT(*) AS n FROM messages WHERE case_id = ?'),
      transactions: q('SELECT COUNT(*) AS n FROM transactions WHERE case_id = ?'),
      flaggedMessages: q('SELECT COUNT(*) AS n FROM messages WHERE case_id = ? AND flagged = 1'),
      flaggedTransactions: q('SELECT COUNT(*) AS n FROM transactions WHERE case_id = ? AND flagged = 1'),
    };
  }

  get(recordId: string): { type: 'message'; record: MessageRecord } | { type: 'transaction'; record: TransactionRecord } {
    const m = this.ctx.db.prepare('SELECT m.*, i.sha256 AS source_sha256 FROM messages m JOIN items i ON i.id = m.source_item WHERE m.id = ?').get(recordId) as MessageRow | undefined;
    if (m) return { type: 'message', record: messageFromRow(m) };
    const t = this.ctx.db.prepare('SELECT t.*, i.sha256 AS source_sha256 FROM transactions t JOIN items i ON i.id = t.source_item WHERE t.id = ?').get(recordId) as TransactionRow | undefined;
    if (t) return { type: 'transaction', record: transactionFromRow(t) };
    throw new RedressError('RECORD_NOT_FOUND', { ref: recordId });
  }

  /** A record id or a unique prefix of it (at least 4 characters), within one case. */
  resolve(caseId: string, ref: string): string {
    const r = ref.trim().toLowerCase();
    if (!/^[0-9a-f-]{4,36}$/.test(r)) throw new RedressError('RECORD_NOT_FOUND', { ref });
    const rows = this.ctx.db
      .prepare('SELECT id FROM messages WHERE case_id = ? AND id >= ? AND id < ? UNION SELECT id FROM transactions WHERE case_id = ? AND id >= ? AND id < ? LIMIT 2')
      .all(caseId, r, r + '\uffff', caseId, r, r + '\uffff') as { id: string }[];
    if (rows.length !== 1) throw new RedressError('RECORD_NOT_FOUND', { ref });
    return rows[0]!.id;
  }

  /**
   * Marks records as evidence of the fraud (packets include these) or unmarks them. Each change that changes
   * something is one custody entry naming the records and where they came from.
   */
  setFlagged(caseId: string, recordIds: string[], flagged: boolean): number {
    const { db, clock, actor } = this.ctx;
    return db.transaction(() => {
      const changed: { type: 'message' | 'transaction'; id: string; source: SourcePointer }[] = [];
      for (const id of recordIds) {
        const found = this.get(id);
        if (found.record.caseId !== caseId) throw new RedressError('RECORD_NOT_FOUND', { ref: id });
        if (found.record.flagged === flagged) continue;
        db.prepare(`UPDATE ${found.type === 'message' ? 'messages' : 'transactions'} SET flagged = ? WHERE id = ?`).run(flagged ? 1 : 0, id);
        changed.push({ type: found.type, id, source: found.record.source });
      }
      if (changed.length) appendEntry(db, clock, actor, caseId, flagged ? 'records.flagged' : 'records.unflagged', { records: changed });
      return changed.length;
    })();
  }
}

function time(row: { time_instant: string; time_offset: number; time_zone: string | null }) {
  return { instant: row.time_instant, offsetMinutes: row.time_offset, ...(row.time_zone ? { zone: row.time_zone } : {}) };
}

function messageFromRow(r: MessageRow): MessageRecord {
  const m: MessageRecord = {
    id: r.id,
    caseId: r.case_id,
    time: time(r),
    direction: r.direction as MessageRecord['direction'],
    channel: r.channel as MessageRecord['channel'],
    body: r.body,
    attachments: JSON.parse(r.attachments) as string[],
    source: { itemId: r.source_item, sha256: r.source_sha256, locator: r.source_locator },
    flagged: r.flagged === 1,
  };
  if (r.counterpart_address !== null) m.counterpartAddress = r.counterpart_address;
  if (r.counterpart_name !== null) m.counterpartName = r.counterpart_name;
  if (r.thread !== null) m.thread = r.thread;
  return m;
}

function transactionFromRow(r: TransactionRow): TransactionRecord {
  const t: TransactionRecord = {
    id: r.id,
    caseId: r.case_id,
    time: time(r),
    direction: r.direction as TransactionRecord['direction'],
    amount: { currency: r.currency, minor: r.amount_minor },
    source: { itemId: r.source_item, sha256: r.source_sha256, locator: r.source_locator },
    flagged: r.flagged === 1,
  };
  const extra = {
    counterpartyName: opt(r.counterparty_name),
    counterpartyAccount: opt(r.counterparty_account),
    platform: opt(r.platform),
    platformTxId: opt(r.platform_tx_id),
    merchantOrderId: opt(r.merchant_order_id),
    method: opt(r.method),
    status: opt(r.status),
    category: opt(r.category),
    note: opt(r.note),
  };
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) (t as Record<string, unknown>)[k] = v;
  return t;
}
