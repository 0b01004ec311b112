import Database from 'better-sqlite3-multiple-ciphers';
import { RedressError } from '../errors.js';
import { addRecord, CUT_MARK, FIELD_CAPS, LIMITS, limitExceeded, warn } from './limits.js';
import { checkAborted } from './source.js';
import { zonedFromInstant } from './time.js';
import { emptyOutput, type Importer, type ParseOutput } from './types.js';

/** Apple's epoch, 2001-01-01T00:00:00Z, in Unix milliseconds. */
export const APPLE_EPOCH_MS = 978_307_200_000;

/** iOS wrote seconds since 2001 until iOS 10, nanoseconds since. */
export function appleDateToMs(raw: string): number | null {
  if (!/^-?\d{1,20}$/.test(raw)) return null;
  const n = BigInt(raw);
  const abs = n < 0n ? -n : n;
  const ms = abs > 100_000_000_000n ? Number(n / 1_000_000n) : Number(n) * 1000;
  return APPLE_EPOCH_MS + ms;
}

/**
 * Newer iOS leaves `text` NULL and keeps the body in `attributedBody`, an NSArchiver typedstream of an
 * NSAttributedString: the string follows the "NSString" class name, a 5-byte preamble and a length (one byte, or
 * 0x81 + 2 bytes little-endian, or 0x82 + 4 bytes).
 */
export function textFromAttributedBody(blob: Buffer): string | null {
  const at = blob.indexOf('NSString');
  if (at < 0) return null;
  let p = at + 'NSString'.length + 5;
  if (p >= blob.length) return null;
  let len = blob[p]!;
  p++;
  if (len === 0x81) {
    if (p + 2 > blob.length) return null;
    len = blob.readUInt16LE(p);
    p += 2;
  } else if (len === 0x82) {
    if (p + 4 > blob.length) return null;
    len = blob.readUInt32LE(p);
    p += 4;
  }
  if (p + len > blob.length) return null;
  return blob.subarray(p, p + len).toString('utf8');
}

interface Row {
  rowid: number;
  text: string | null;
  text_bytes: number | null;
  body: Buffer | null;
  body_bytes: number | null;
  date: string | null;
  is_from_me: number | null;
  service: string | null;
  handle: string | null;
  chat: string | null;
}

/**
 * A database held in memory (a dropped sms.db). SQLite opens one from memory only if its header says "rollback
 * journal" (bytes 18-19; iOS writes WAL): the header is changed for the copy SQLite takes and put back at once, so the
 * bytes that are stored as evidence stay exactly as they were.
 */
function openInMemory(data: Buffer): Database.Database {
  const [write, read] = [data[18], data[19]];
  const wal = data.length >= 100 && write === 2 && read === 2;
  if (wal) data[18] = data[19] = 1;
  try {
    return new Database(data, { readonly: true });
  } finally {
    if (wal) [data[18], data[19]] = [write!, read!];
  }
}

/**
 * iOS Messages database (sms.db) from an unencrypted computer backup, opened read-only (no key: it is plain
 * SQLite). One record per row of `message`; the locator is its ROWID. Attachments live elsewhere in the backup and
 * are only counted.
 */
export const iosSmsDb: Importer = {
  format: 'ios-sms-db',
  async parse(ctx): Promise<ParseOutput> {
    let db: Database.Database;
    const fail = (err: unknown) => new RedressError('IMPORT_PARSE_FAILED', { file: ctx.path, format: 'ios-sms-db', detail: (err as Error).message.slice(0, 200), locator: 'database' }, { cause: err });
    try {
      db = ctx.data ? openInMemory(ctx.data) : new Database(ctx.path, { readonly: true, fileMustExist: true });
    } catch (err) {
      throw fail(err);
    }
    const out = emptyOutput();
    try {
      const columns = (table: string) => new Set((db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name));
      const msg = columns('message');
      if (!msg.has('ROWID') && !msg.has('date')) throw new RedressError('IMPORT_PARSE_FAILED', { file: ctx.path, format: 'ios-sms-db', detail: 'no "message" table: not an iOS sms.db', locator: 'schema' });
      const hasChat = columns('chat_message_join').size > 0 && columns('chat').has('chat_identifier');
      const rows = (db.prepare('SELECT COUNT(*) AS n FROM message').get() as { n: number }).n;
      if (rows > LIMITS.records) throw limitExceeded(ctx.path, 'records', `message row ${LIMITS.records + 1}`);
      // A value over its cap is never loaded: SQLite reads octet_length() from the record header without the value,
      // whereas selecting it (even through substr) would load all of it. Such a body comes back NULL with its size.
      const capped = (expr: string, bytes: number) => `CASE WHEN octet_length(${expr}) <= ${bytes} THEN ${expr} END`;
      const bodyBytes = FIELD_CAPS.body * 3;
      const sql = `SELECT m.ROWID AS rowid, ${capped('m.text', bodyBytes)} AS text, octet_length(m.text) AS text_bytes,
          ${msg.has('attributedBody') ? `${capped('m.attributedBody', bodyBytes * 2)} AS body, octet_length(m.attributedBody) AS body_bytes` : 'NULL AS body, NULL AS body_bytes'},
          CAST(${capped('m.date', 40)} AS TEXT) AS date, m.is_from_me AS is_from_me, ${msg.has('service') ? capped('m.service', 64) : 'NULL'} AS service,
          ${capped('h.id', FIELD_CAPS.address)} AS handle,
          ${hasChat ? `(SELECT ${capped('c.chat_identifier', FIELD_CAPS.label)} FROM chat_message_join j JOIN chat c ON c.ROWID = j.chat_id WHERE j.message_id = m.ROWID LIMIT 1)` : 'NULL'} AS chat
        FROM message m LEFT JOIN handle h ON h.ROWID = m.handle_id ORDER BY m.ROWID`;
      let n = 0;
      for (const row of db.prepare(sql).iterate() as IterableIterator<Row>) {
        if (++n % 5000 === 0) checkAborted(ctx.signal);
        const locator = `message ROWID ${row.rowid}`;
        const ms = row.date ? appleDateToMs(row.date) : null;
        const time = ms === null ? null : zonedFromInstant(ms, ctx.zone);
        if (!time) {
          warn(out, `${locator} skipped: unreadable date`);
          continue;
        }
        const tooLong = (row.text === null && (row.text_bytes ?? 0) > 0) || (row.body === null && (row.body_bytes ?? 0) > 0);
        const text = row.text ?? (row.body ? textFromAttributedBody(Buffer.from(row.body)) : null);
        // a body too long to load: the record says so (CUT_MARK) rather than being left out or silently empty
        const body = text === null && tooLong ? CUT_MARK : (text ?? '');
        const service = (row.service ?? '').toLowerCase();
        addRecord(out, {
          kind: 'message',
          locator,
          time,
          direction: row.is_from_me ? 'out' : 'in',
          channel: service === 'imessage' ? 'imessage' : 'sms',
          ...(row.handle ? { counterpartAddress: row.handle } : {}),
          ...(row.chat || row.handle ? { thread: row.chat ?? row.handle! } : {}),
          body,
          attachments: [],
        }, ctx.path);
      }
      const attachments = columns('message_attachment_join').size ? (db.prepare('SELECT COUNT(*) AS n FROM message_attachment_join').get() as { n: number }).n : 0;
      if (attachments) warn(out, `${attachments} attachment(s) are stored elsewhere in the backup and were not imported`);
      ctx.onBytes(ctx.size);
      return out;
    } catch (err) {
      if (err instanceof RedressError) throw err;
      throw fail(err);
    } finally {
      db.close();
    }
  },
};
