import { createHash, randomUUID } from 'node:crypto';
import type { MessageRecord, SourcePointer, TransactionRecord } from '../../../shared/records.js';
import { appendEntry } from '../custody/chain.js';
import { recordColumnsSql, RECORDS_DIGEST_V, RecordsDigest, type RecordTable, type StoredRecordRow } from '../custody/records-digest.js';
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
  return createHash('sha256').update(JSON.stringify(fields)).digest().subarray(0, 16);
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
      const msg = db.prepare(
        `INSERT OR IGNORE INTO messages (id, case_id, import_id, time_instant, time_offset, time_zone, direction, channel, counterpart_address,
           counterpart_name, body, thread, attachments, source_item, source_locator, content_key)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const tx = db.prepare(
        `INSERT OR IGNORE INTO transactions (id, case_id, import_id, time_instant, time_offset, time_zone, direction, amount_minor, currency,
           counterparty_name, counterparty_account, platform, platform_tx_id, merchant_order_id, method, status, category, note,
           source_item, source_locator, content_key)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const counts: InsertCounts = { messages: { read: 0, added: 0, duplicate: 0 }, transactions: { read: 0, added: 0, duplicate: 0 } };
      const { itemId } = input.source;
      // Where this import's rows start in each table: rowids grow within the transaction, so the digest reads that
      // range (NOT INDEXED: SQLite would rather walk the whole id index, every case's rows, to spare a sort).
      const firstRowid: Partial<Record<RecordTable, number | bigint>> = {};
      for (const r of input.records) {
        const id = randomUUID();
        const key = contentKey(r);
        const t = r.time;
        let added: boolean;
        if (r.kind === 'message') {
          const m = r as MessageDraft;
          const res = msg.run(id, input.caseId, importId, t.instant, t.offsetMinutes, t.zone ?? null, m.direction, m.channel, m.counterpartAddress ?? null, m.counterpartName ?? null, m.body, m.thread ?? null, JSON.stringify(m.attachments), itemId, m.locator, key);
          added = res.changes === 1;
          if (added) firstRowid.messages ??= res.lastInsertRowid;
          counts.messages.read++;
          counts.messages[added ? 'added' : 'duplicate']++;
        } else {
          const x = r as TransactionDraft;
          const res = tx.run(id, input.caseId, importId, t.instant, t.offsetMinutes, t.zone ?? null, x.direction, x.amount.minor, x.amount.currency, x.counterpartyName ?? null, x.counterpartyAccount ?? null, x.platform ?? null, x.platformTxId ?? null, x.merchantOrderId ?? null, x.method ?? null, x.status ?? null, x.category ?? null, x.note ?? null, itemId, x.locator, key);
          added = res.changes === 1;
          if (added) firstRowid.transactions ??= res.lastInsertRowid;
          counts.transactions.read++;
          counts.transactions[added ? 'added' : 'duplicate']++;
        }
      }
      // The import row's summary is the entry's payload but for the import id and the digest; verify compares them.
      const summary = { ...input.custody, format: input.format, sourceItemId: itemId, counts };
      const entry = appendEntry(db, clock, actor, input.caseId, 'records.imported', { importId, ...summary, recordsDigestV: RECORDS_DIGEST_V, recordsDigest: this.storedDigest(importId, firstRowid) });
      db.prepare('UPDATE imports SET summary = ?, seq = ? WHERE id = ?').run(JSON.stringify(summary), entry.seq, importId);
      return { importId, counts, seq: entry.seq };
    })();
  }

  /**
   * The records digest (custody/records-digest.ts, version 2) of every row an import added, read back as SQLite
   * stored it (a string that is not valid UTF-16 is stored with U+FFFD) in digest order, one row at a time: the rows
   * of a 100k-message import, kept as objects until the end, were 250 MB of the import's peak.
   */
  private storedDigest(importId: string, firstRowid: Partial<Record<RecordTable, number | bigint>>): string {
    const digest = new RecordsDigest();
    for (const table of ['messages', 'transactions'] as const) {
      const from = firstRowid[table];
      if (from === undefined) continue;
      const rows = this.ctx.db.prepare(`SELECT ${recordColumnsSql(table)} FROM ${table} NOT INDEXED WHERE rowid >= ? AND import_id = ? ORDER BY id`).iterate(from, importId) as Iterable<StoredRecordRow>;
      for (const row of rows) digest.add(table, row);
    }
    return digest.digest();
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
