/**
 * Every cap on untrusted input that the importers apply, in one place, so that all formats agree.
 *
 * Imported files come from the victim's phone or bank, but they may be damaged, and anything a scammer typed
 * (names, message bodies, notes) is inside them. Nothing in a file may make Redress hold more than a bounded amount
 * of it in memory: a 400 MiB SMS body once imported with 2.2 GB peak memory and then made every packet of the case
 * abort with a V8 out-of-memory. Each cap is far above what any real export holds, and one of three things happens
 * beyond it, decided per kind:
 *
 *  - TEXT FIELDS (FIELD_CAPS: message bodies, names, addresses, notes, counterparty fields, ids) are cut, with a
 *    visible mark and a warning naming the record. One absurd field is one record's problem: refusing the import
 *    would lose every other message or transaction in the file, which are good evidence. Nothing is lost either:
 *    the original file is stored byte for byte and the record's locator points into it; the mark tells whoever
 *    reads the packet that the text goes on there. Streaming parsers never even hold the rest (xml-guard.ts).
 *  - ATTACHMENTS over LIMITS.attachmentBytes, or beyond LIMITS.attachmentsPerMessage in one message, are not
 *    stored as items of their own, with a warning: the message keeps its text, and the attachment stays inside the
 *    stored original.
 *  - STRUCTURE (LIMITS: record count, total text, line length, line count, XML depth and markup, JSON depth and
 *    strings, ZIP expansion; FILE_BYTES) refuses the whole import with IMPORT_LIMIT or IMPORT_TOO_LARGE (nothing
 *    stored). Real exports stay far below these; a file that goes past them is damaged or crafted (or, for the
 *    record count and total text, too much for one import: the message says to export a shorter period), and
 *    reading on would cost exactly the memory the caps protect. These checks run before or while reading, never
 *    after holding the input: every refused input stays under 300 MB of peak memory (tests/importers/limits.test.ts).
 */
import { RedressError } from '../errors.js';
import type { FormatId, MessageDraft, ParseOutput, RecordDraft, TransactionDraft } from './types.js';

export const KiB = 1024;
export const MiB = 1024 * KiB;

/** Per-field caps, in UTF-16 code units (a JS string's length). */
export const FIELD_CAPS = {
  /** 4× WhatsApp's own limit (65,536), 64× Telegram's (4,096); an SMS is at most ~40,000 */
  body: 256 * KiB,
  /** memos, remittance information, goods descriptions */
  note: 16 * KiB,
  /** contact and counterparty names */
  name: 1 * KiB,
  /** phone numbers, e-mail addresses, account numbers, handles */
  address: 1 * KiB,
  /** platform transaction ids, merchant order ids */
  id: 1 * KiB,
  /** method, status, category, platform, thread, facts */
  label: 1 * KiB,
  /** where in the file a record is: built by the parser, but from numbers the file gives */
  locator: 256,
  /** one warning shown to the user (they quote cells of the file) */
  warning: 500,
} as const;

export const LIMITS = {
  /** records (messages and transactions) in one import: ten years of a heavy user's SMS are about 100,000 */
  records: 150_000,
  /**
   * characters of text over all records of one import (bodies, names, notes...): 100,000 SMS hold about 7 million.
   * The records are all in memory until they are stored, and a parse leaves about three times their text in garbage
   * behind: measured, a file refused at 16 Mi characters of Chinese text peaked at 240–270 MB, at 24 Mi at 290–310.
   */
  textTotal: 16 * MiB,
  /** one physical line of a text export (CSV row, chat line, OFX element), in bytes */
  lineBytes: 1 * MiB,
  /** physical lines of a text export */
  lines: 2_000_000,
  /** elements nested in an XML file (camt.053 needs about 12, SMS backups 4) */
  xmlDepth: 64,
  /** one XML tag without its attribute values, one comment, processing instruction or DOCTYPE, in characters */
  xmlMarkup: 64 * KiB,
  /** an attribute value or text run the format does not read as a field of its own, in characters */
  xmlValue: 64 * KiB,
  /** arrays and objects nested in a JSON export (Telegram's is 5 deep) */
  jsonDepth: 64,
  /** one JSON string, in bytes as written (escapes included) */
  jsonStringBytes: 1 * MiB,
  /** attachments stored from one message (an MMS has a handful of parts) */
  attachmentsPerMessage: 64,
  /** the attachments of one message together, decoded (carriers cap a whole MMS at 300 KiB to a few MiB) */
  attachmentBytes: 16 * MiB,
  /** addresses read from one MMS (group messages list every member) */
  mmsAddresses: 1_000,
  /** distinct fields read from one statement entry (OFX STMTTRN, camt.053 Ntry) */
  entryFields: 512,
  /** what an XLSX unpacks to, over all its parts, and how many parts */
  unzippedBytes: 64 * MiB,
  zipEntries: 10_000,
  /** compression ratio beyond which one large part is a zip bomb */
  zipRatio: 200,
  /** warnings kept per import (the rest are counted) */
  warnings: 50,
} as const;

/** Files the parser must read whole are refused above these sizes before a byte is read (streamed formats have none). */
export const FILE_BYTES: Partial<Record<FormatId, number>> = {
  // ~100,000 rows of a bill; a decoded CSV takes up to twice its bytes, and these caps keep it well under 300 MB
  'alipay-csv': 32 * MiB,
  'wechat-pay-csv': 32 * MiB,
  'bank-csv': 32 * MiB,
  // compressed: it unpacks to at most LIMITS.unzippedBytes
  'wechat-pay-xlsx': 16 * MiB,
  ofx: 32 * MiB,
  // WhatsApp exports at most 40,000 messages
  whatsapp: 32 * MiB,
  'telegram-json': 64 * MiB,
  image: 512 * MiB,
};

export function fileCap(format: FormatId): number {
  const cap = FILE_BYTES[format];
  if (cap === undefined) throw new Error(`no file size cap for ${format}`);
  return cap;
}

export type LimitName = 'records' | 'textTotal' | 'lineBytes' | 'lines' | 'xmlDepth' | 'xmlMarkup' | 'jsonDepth' | 'jsonStringBytes' | 'unzippedBytes' | 'zipEntries' | 'zipRatio';

const BYTE_LIMITS = new Set<LimitName>(['lineBytes', 'jsonStringBytes', 'unzippedBytes']);

/** The refusal for a structural limit: IMPORT_LIMIT, naming the limit (its message says what it means), its value and where. */
export function limitExceeded(file: string, limit: LimitName, locator: string): RedressError {
  const max = LIMITS[limit];
  return new RedressError('IMPORT_LIMIT', { file, limit, max: BYTE_LIMITS.has(limit) ? `${max / MiB} MiB` : max.toLocaleString('en-US'), locator: locator.slice(0, FIELD_CAPS.locator) });
}

/** Ends a text cut by Redress: in both packet languages, as packets show record text as it is. */
export const CUT_MARK = '…[已截断，全文见原始文件 / truncated, full text in the original file]';

/**
 * A fresh flat copy: V8 keeps a whole parent string alive behind a slice of it (a 400 MiB body behind its first KiB,
 * a 1 MiB chunk of XML behind each of 100k bodies). Slicing a concatenation first flattens it into new characters,
 * so the slice refers to those, not to the parent: one copy, where a JSON round trip (as before) escaped and parsed
 * every character (140 ms of a 100k SMS import). Shorter strings than 13 characters are never slices.
 */
export function ownString(s: string): string {
  return s.length > 12 ? (' ' + s).slice(1) : s;
}

/** True when Redress cut the value (here or while streaming it). */
export function wasCut(value: string): boolean {
  return value.endsWith(CUT_MARK);
}

/**
 * The value cut to at most `cap` code units plus CUT_MARK, never inside a surrogate pair, as its own string. A value
 * already cut to within the cap is left as it is, so that cutting twice changes nothing.
 */
export function capText(value: string, cap: number): string {
  if (value.length <= cap) return value;
  if (wasCut(value) && value.length <= cap + CUT_MARK.length) return value;
  let end = cap;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return ownString(value.slice(0, end) + CUT_MARK);
}

type Fields<T> = { [K in keyof T]?: T[K] extends string | undefined ? keyof typeof FIELD_CAPS : never };

const MESSAGE_FIELDS: Fields<MessageDraft> = { locator: 'locator', body: 'body', counterpartAddress: 'address', counterpartName: 'name', thread: 'label' };
const TRANSACTION_FIELDS: Fields<TransactionDraft> = {
  locator: 'locator',
  counterpartyName: 'name',
  counterpartyAccount: 'address',
  platform: 'label',
  platformTxId: 'id',
  merchantOrderId: 'id',
  method: 'label',
  status: 'label',
  category: 'label',
  note: 'note',
};

const MESSAGE_ENTRIES = Object.entries(MESSAGE_FIELDS) as [string, keyof typeof FIELD_CAPS][];
const TRANSACTION_ENTRIES = Object.entries(TRANSACTION_FIELDS) as [string, keyof typeof FIELD_CAPS][];
const NONE: readonly string[] = Object.freeze([]);

/**
 * Cuts every text field of a record to its cap, in place. `changed`: the fields cut just now; `marked`: every field
 * that ends cut (just now, or by a streaming parser that never read the rest).
 */
export function capRecord(draft: RecordDraft): { changed: readonly string[]; marked: readonly string[] } {
  // called twice for every record of every import (addRecord, then capOutput): nothing allocated unless a field is cut
  let changed: string[] | undefined;
  let marked: string[] | undefined;
  const record = draft as unknown as Record<string, unknown>;
  for (const [field, cap] of draft.kind === 'message' ? MESSAGE_ENTRIES : TRANSACTION_ENTRIES) {
    const v = record[field];
    if (typeof v !== 'string') continue;
    const capped = capText(v, FIELD_CAPS[cap]);
    if (capped !== v) {
      record[field] = capped;
      (changed ??= []).push(field);
    }
    if (wasCut(capped)) (marked ??= []).push(field);
  }
  if (draft.kind === 'message' && draft.attachments.length > LIMITS.attachmentsPerMessage) draft.attachments = draft.attachments.slice(0, LIMITS.attachmentsPerMessage);
  return { changed: changed ?? NONE, marked: marked ?? NONE };
}

/** The units of text a record holds, for LIMITS.textTotal. */
function textUnits(draft: RecordDraft): number {
  let n = draft.locator.length;
  if (draft.kind === 'message') n += draft.body.length + (draft.counterpartAddress?.length ?? 0) + (draft.counterpartName?.length ?? 0) + (draft.thread?.length ?? 0);
  else n += (draft.counterpartyName?.length ?? 0) + (draft.counterpartyAccount?.length ?? 0) + (draft.note?.length ?? 0) + (draft.platformTxId?.length ?? 0) + (draft.merchantOrderId?.length ?? 0);
  return n;
}

function cutWarning(locator: string, fields: readonly string[]): string {
  return `${locator}: ${fields.join(', ')} longer than Redress keeps: cut, and marked as cut in the record (the original file holds the whole text)`;
}

interface Tally {
  text: number;
  /** warnings not kept */
  dropped: number;
}
const tallies = new WeakMap<ParseOutput, Tally>();
const tally = (out: ParseOutput): Tally => {
  let t = tallies.get(out);
  if (!t) tallies.set(out, (t = { text: 0, dropped: 0 }));
  return t;
};

/** Adds a warning, cut to FIELD_CAPS.warning (warnings quote the file); beyond LIMITS.warnings they are only counted. */
export function warn(out: ParseOutput, message: string): void {
  if (out.warnings.length < LIMITS.warnings) out.warnings.push(capText(message, FIELD_CAPS.warning));
  else tally(out).dropped++;
}

/**
 * Adds a record to a parse's output: its fields capped (with a warning when one is cut), the record count and the
 * total text checked. Every parser adds its records through here, so that no format can hold more than the caps.
 */
export function addRecord(out: ParseOutput, draft: RecordDraft, file: string): void {
  if (out.records.length >= LIMITS.records) throw limitExceeded(file, 'records', draft.locator);
  const { marked } = capRecord(draft);
  if (marked.length) warn(out, cutWarning(draft.locator, marked));
  const t = tally(out);
  t.text += textUnits(draft);
  if (t.text > LIMITS.textTotal) throw limitExceeded(file, 'textTotal', draft.locator);
  out.records.push(draft);
}

/**
 * The safety net after a parse, in import-file: every record's fields capped again (a no-op for records added
 * through addRecord), the counts checked, the facts and warnings capped. A parser that forgot addRecord still
 * cannot hand on an oversized field.
 */
export function capOutput(out: ParseOutput, file: string): void {
  if (out.records.length > LIMITS.records) throw limitExceeded(file, 'records', `record ${LIMITS.records + 1}`);
  let text = 0;
  for (const r of out.records) {
    const { changed } = capRecord(r);
    if (changed.length) warn(out, cutWarning(r.locator, changed));
    text += textUnits(r);
  }
  if (text > LIMITS.textTotal) throw limitExceeded(file, 'textTotal', 'all records');
  for (const [k, v] of Object.entries(out.facts)) out.facts[k] = capText(v, FIELD_CAPS.label);
  out.warnings = out.warnings.map((w) => capText(w, FIELD_CAPS.warning));
  const dropped = tallies.get(out)?.dropped ?? 0;
  if (dropped) out.warnings.push(`… and ${dropped} more warning(s) of this kind`);
  if (out.partial) out.partial = { reason: capText(out.partial.reason, FIELD_CAPS.warning), locator: capText(out.partial.locator, FIELD_CAPS.locator) };
}
