import { CaseFields } from '../../../shared/case-model.js';
import { parseAction } from '../custody/actions.js';
import { canonicalJson, type CustodyEntryBody } from '../custody/entry.js';
import { legacyRecordsDigest, RECORD_COLUMNS, RecordsDigest, type RecordTable, type StoredRecordRow } from '../custody/records-digest.js';
import { RedressError } from '../errors.js';
import type { Db } from '../vault/database.js';
import { replay, type Replayed } from '../verify/replay.js';
import { verifyChain } from '../verify/verify-chain.js';
import { itemDiffs } from '../verify/verify-case.js';
import { caseTables, CaseRow, type ColumnType, CustodyRow, decodeValue, isUuid, isWellFormed, ItemRow, ManifestHeader, type Row } from './format.js';
import { BUNDLE_LIMITS, limitExceeded } from './limits.js';
import type { Elements, ManifestLayout } from './manifest.js';

/** Tables older vaults had and bundles from them may carry; their rows are redundant and left out. */
const RETIRED_TABLES = new Set(['image_meta', 'thumbnails']);

/**
 * How each per-case table's rows are checked against the custody chain. A table this list does not know cannot be
 * vouched for, so its rows are refused rather than stored unchecked: a table a later schema adds needs its entry here
 * (tests/bundles/limits.test.ts holds every per-case table of the schema to this list). `ids`: the columns holding
 * ids, each of which must equal an id already found to be a UUID (the row's own, read from its bytes, the case's, an
 * item's, an import's); `primary`: the table's primary key.
 */
export const TABLE_CHECKS = {
  /** each row is the import a records.imported entry records (verify-records compares the rest after storing) */
  imports: { ids: ['id', 'case_id', 'item_id'], primary: ['id'] },
  /** each row is a record an import entry adds: its counts and records digest are recomputed per import */
  messages: { ids: ['id', 'case_id', 'import_id', 'source_item'], primary: ['id'] },
  transactions: { ids: ['id', 'case_id', 'import_id', 'source_item'], primary: ['id'] },
  /** each row is what an item.linked entry links */
  links: { ids: ['item_id'], primary: ['item_id', 'target_type', 'target_id'] },
} as const satisfies Record<string, { ids: readonly string[]; primary: readonly string[] }>;
export type CheckedTableName = keyof typeof TABLE_CHECKS;

export interface CheckedTable {
  name: CheckedTableName;
  columns: string[];
  types: Map<string, ColumnType>;
  key: 'case_id' | 'item_id';
  rows: Elements;
  /** per row with an id (not links): the id as four 32-bit words, in the id's own order (see RowIds) */
  ids: RowIds;
  /** per row: the seq of the custody entry that accounts for it (its import's records.imported, or its item.linked) */
  seqs: Uint32Array;
}

export interface Checked {
  header: ManifestHeader;
  caseRow: CaseRow;
  items: ItemRow[];
  custody: CustodyRow[];
  /** what the bundle's chain says the case, its items, imports and flags are */
  expected: Replayed;
  /** every link an item.linked entry records, with the entry's seq */
  links: Map<string, number>;
  tables: CheckedTable[];
}

export const linkKey = (row: Row) => `${String(row.item_id)}\u0000${String(row.target_type)}\u0000${String(row.target_id)}`;

/** Row i of a table as stored: parsed afresh from the manifest, BLOBs decoded. The checks have vouched for it. */
export function rowAt(table: CheckedTable, i: number): Row {
  const raw = table.rows.parse(i) as Row;
  const out: Row = {};
  for (const [k, v] of Object.entries(raw)) out[k] = decodeValue(v);
  return out;
}

/**
 * Every check that needs only the manifest: each id a UUID, each field within its cap, the chain intact, the case
 * and item rows equal to what it records, and every row of every other table accounted for by an entry of it (the
 * records of each import recounted and their digest recomputed). Nothing is stored; a refusal names what failed.
 */
export function checkManifest(db: Db, layout: ManifestLayout, file: string): Checked {
  const invalid = (detail: string) => new RedressError('BUNDLE_INVALID', { file, detail });
  const headerParsed = ManifestHeader.safeParse(Object.fromEntries(layout.scalars));
  if (!headerParsed.success) {
    const v = layout.scalars.get('v');
    const issue = headerParsed.error.issues[0];
    if (typeof v === 'number' && v > 1) throw invalid(`made by a newer Redress (bundle format ${v})`);
    if (issue?.path[0] === 'caseId') throw invalid(`the case id is not a UUID (${JSON.stringify(String(layout.scalars.get('caseId')).slice(0, 60))})`);
    throw invalid(`the manifest is malformed (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''})`);
  }
  const header = headerParsed.data;
  const caseId = header.caseId;

  const caseParsed = CaseRow.safeParse(header.case);
  if (!caseParsed.success || caseParsed.data.id !== caseId) throw invalid('the case record is malformed');
  const caseRow = caseParsed.data;
  let fields: CaseFields;
  try {
    const parsed = CaseFields.safeParse({
      title: caseRow.title,
      incidentType: caseRow.incident_type,
      status: caseRow.status,
      ...(caseRow.started_at ? { startedAt: caseRow.started_at } : {}),
      ...(caseRow.discovered_at ? { discoveredAt: caseRow.discovered_at } : {}),
      narrative: caseRow.narrative,
      losses: JSON.parse(caseRow.losses),
      parties: JSON.parse(caseRow.parties),
    });
    if (!parsed.success) throw new Error(parsed.error.issues[0]?.message);
    fields = parsed.data;
  } catch {
    throw invalid('the case record is malformed');
  }

  // The chain: each entry within its cap, then verified as verify does, then replayed.
  const custody: CustodyRow[] = [];
  for (let i = 0; i < layout.custody.length; i++) {
    const parsed = CustodyRow.safeParse(layout.custody.parse(i));
    if (!parsed.success) throw invalid(`custody entry ${i + 1} is malformed`);
    if (Buffer.byteLength(parsed.data.body, 'utf8') > BUNDLE_LIMITS.entryBytes) throw limitExceeded(file, 'entryBytes', `custody entry ${parsed.data.seq} is longer than ${BUNDLE_LIMITS.entryBytes} bytes`);
    custody.push(parsed.data);
  }
  const last = custody[custody.length - 1];
  if (!last) throw invalid('the manifest is malformed (custody: no entries)');
  const chain = verifyChain(caseId, custody, { seq: last.seq, hash: last.hash });
  const problem = chain.problems[0];
  if (problem) throw invalid(`custody entry ${problem.seq ?? '?'}: ${problem.detail}`);
  const expected = replay(chain.intact);
  const unrecognised = expected.unrecognised[0];
  if (unrecognised) throw invalid(`custody entry ${unrecognised.seq}: ${unrecognised.reason}`);
  const links = new Map<string, number>();
  for (const [seq, body] of chain.intact) checkEntryIds(seq, body, links, invalid);
  if (!expected.fields) throw invalid('the custody chain does not create the case');
  for (const [key, value] of Object.entries(expected.fields)) {
    if (canonicalJson(value ?? null) !== canonicalJson((fields as Record<string, unknown>)[key] ?? null)) throw invalid(`the case's ${key} differs from its custody chain`);
  }

  const items: ItemRow[] = [];
  const ids = new Set<string>();
  for (let i = 0; i < layout.items.length; i++) {
    const raw = layout.items.parse(i) as Row;
    const parsed = ItemRow.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      if (issue?.message === 'not a UUID') throw invalid(`an item's ${issue.path.join('.')} is not a UUID (${JSON.stringify(String(raw?.[issue.path[0] as string]).slice(0, 60))})`);
      if (issue?.code === 'too_big') throw limitExceeded(file, 'fieldChars', `an item's ${issue.path.join('.')} is too long`);
      throw invalid('an item record is malformed');
    }
    const item = parsed.data;
    if (item.case_id !== caseId || ids.has(item.id)) throw invalid(`item ${item.id} does not belong to the case`);
    ids.add(item.id);
    const recorded = expected.items.get(item.id);
    if (!recorded) throw invalid(`item ${item.id} has no custody entry`);
    const diffs = itemDiffs(recorded, item); // the columns verify compares, as it compares them
    if (diffs.length) throw invalid(`item ${item.id}: ${diffs.join(', ')} ${diffs.length > 1 ? 'differ' : 'differs'} from its custody entry`);
    items.push(item);
  }
  for (const itemId of expected.items.keys()) if (!ids.has(itemId)) throw invalid(`item ${itemId} is in the custody chain but not in the bundle`);

  const known = new Map(caseTables(db).map((t) => [t.name, t]));
  const tables: CheckedTable[] = [];
  for (const [name, rows] of layout.tables) {
    if (RETIRED_TABLES.has(name)) continue;
    const table = known.get(name);
    if (!table) throw invalid(`records of an unknown kind (${name.slice(0, 40)}): made by a newer Redress?`);
    if (!Object.hasOwn(TABLE_CHECKS, name)) throw invalid(`records of ${name} cannot be checked against the custody chain`);
    tables.push({ name: name as CheckedTableName, columns: table.columns, types: table.types, key: table.key, rows, ids: new RowIds(name === 'links' ? 0 : rows.length), seqs: new Uint32Array(rows.length) });
  }
  // messages before transactions: each import's records digest takes them in that order
  const order: Record<CheckedTableName, number> = { imports: 0, links: 1, messages: 2, transactions: 3 };
  tables.sort((a, b) => order[a.name] - order[b.name]);
  const digests = new ImportDigests(expected);
  for (const table of tables) checkRows(table, { caseId, items: ids, expected, links, file, invalid, digests });
  digests.check(tables, invalid);
  return { header, caseRow, items, custody, expected, links, tables };
}

/** The ids an entry names are UUIDs too (they become rows' ids and keys); links are collected on the way. */
function checkEntryIds(seq: number, body: CustodyEntryBody, links: Map<string, number>, invalid: (d: string) => RedressError): void {
  const parsed = parseAction(body.action, body.payload);
  if (!parsed.ok) return; // replay has reported it
  const e = parsed.entry;
  const named: unknown[] = [];
  switch (e.action) {
    case 'item.added':
      named.push(e.payload.itemId, ...(e.payload.derivedFrom === null ? [] : [e.payload.derivedFrom]));
      break;
    case 'item.annotated':
    case 'item.excluded':
      named.push(e.payload.itemId);
      break;
    case 'item.linked':
      named.push(e.payload.itemId);
      links.set(linkKey({ item_id: e.payload.itemId, target_type: e.payload.targetType, target_id: e.payload.targetId }), seq);
      break;
    case 'records.imported':
      named.push(e.payload.importId, e.payload.sourceItemId);
      break;
    case 'records.flagged':
    case 'records.unflagged':
      named.push(...e.payload.records.map((r) => r.id));
      break;
    default:
      break;
  }
  for (const id of named) if (!isUuid(id)) throw invalid(`custody entry ${seq} names an id that is not a UUID (${JSON.stringify(String(id).slice(0, 60))})`);
}

interface RowContext {
  caseId: string;
  items: Set<string>;
  expected: Replayed;
  links: Map<string, number>;
  file: string;
  invalid: (detail: string) => RedressError;
  digests: ImportDigests;
}

const ID_MEMBER = Buffer.from('"id":"');

/** What each storage class of a STRICT table holds, and how a refusal names it. */
const COLUMN_KINDS = {
  TEXT: { is: (v: unknown) => typeof v === 'string', what: 'text' },
  INTEGER: { is: (v: unknown) => typeof v === 'number', what: 'a whole number' },
  BLOB: { is: (v: unknown) => Buffer.isBuffer(v), what: 'bytes' },
} as const;

/**
 * Every row of one table: known columns, plain values within their caps, ids UUIDs, owned by the case, accounted for
 * by an entry of the chain. Each row is parsed once here; records (messages, transactions) are visited in id order,
 * so that each goes into its import's records digest as it is checked (ImportDigests).
 */
function checkRows(table: CheckedTable, c: RowContext): void {
  const { name, types } = table;
  const isRecord = name === 'messages' || name === 'transactions';
  // The id of each row, read from its bytes (as a valid row holds it, once: any other row fails the comparison with
  // its parsed id below), to find duplicates and, for records, the digest's order before a row is parsed.
  if (name !== 'links') {
    for (let i = 0; i < table.rows.length; i++) {
      const id = table.rows.stringAfter(i, ID_MEMBER, 36);
      if (!isUuid(id)) throw c.invalid(`the id of a ${name} record is not a UUID (${JSON.stringify(String(id ?? '').slice(0, 60))})`);
      table.ids.set(i, id);
    }
  }
  const visit = table.ids.sorted(Uint32Array.from({ length: table.rows.length }, (_, i) => i));
  for (let k = 1; k < visit.length && name !== 'links'; k++) if (table.ids.compare(visit[k - 1]!, visit[k]!) === 0) throw c.invalid(`${name} ${table.ids.get(visit[k]!)} appears twice`);

  for (const i of visit) {
    const raw = table.rows.parse(i);
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw c.invalid(`a ${name} record is malformed`);
    const row: Row = {};
    for (const [column, value] of Object.entries(raw)) {
      const type = types.get(column);
      if (!type) throw c.invalid(`records of ${name} have an unknown field (${column.slice(0, 40)}): made by a newer Redress?`);
      let v: unknown;
      try {
        v = decodeValue(value);
      } catch {
        throw c.invalid(`a ${name} record is malformed`);
      }
      if (typeof v === 'string') {
        if (v.length > BUNDLE_LIMITS.fieldChars) throw limitExceeded(c.file, 'fieldChars', `the ${column} of a ${name} record is longer than ${BUNDLE_LIMITS.fieldChars} characters`);
        if (!isWellFormed(v)) throw c.invalid(`the ${column} of a ${name} record is not well-formed text`);
      } else if (Buffer.isBuffer(v)) {
        if (v.length > BUNDLE_LIMITS.fieldChars) throw limitExceeded(c.file, 'fieldChars', `the ${column} of a ${name} record is longer than ${BUNDLE_LIMITS.fieldChars} bytes`);
      } else if (!(v === null || (typeof v === 'number' && Number.isSafeInteger(v)))) {
        throw c.invalid(`a ${name} record is malformed`);
      }
      // The type the column stores: a {"$base64"} value decodes to bytes whatever the column, so only this tells a
      // BLOB given for text (the digest and the packet would read bytes where text belongs) from a content key.
      if (v === null) {
        if (type.notNull) throw c.invalid(`a ${name} record has no ${column}`);
      } else if (type.type in COLUMN_KINDS && !COLUMN_KINDS[type.type as keyof typeof COLUMN_KINDS].is(v)) {
        throw c.invalid(`the ${column} of a ${name} record is not ${COLUMN_KINDS[type.type as keyof typeof COLUMN_KINDS].what}`);
      }
      row[column] = v;
    }
    for (const [column, type] of types) if (type.required && !Object.hasOwn(row, column)) throw c.invalid(`a ${name} record has no ${column}`);
    // The id columns: the row's own id is the one read from its bytes, a UUID; every other one must equal an id the
    // checks above have found to be a UUID (the case's, an item's, an import's), or the row is refused below.
    if (name !== 'links' && row.id !== table.rows.stringAfter(i, ID_MEMBER, 36)) throw c.invalid(`a ${name} record is malformed (its id)`);
    const owner = row[table.key];
    if (table.key === 'case_id' ? owner !== c.caseId : !c.items.has(owner as string)) throw c.invalid(`a ${name} record belongs to another case`);

    for (const column of TABLE_CHECKS[name].ids) if (typeof row[column] !== 'string') throw c.invalid(`a ${name} record has no ${column}`);
    if (name === 'imports') {
      const recorded = c.expected.imports.get(row.id as string);
      if (!recorded) throw c.invalid(`the import ${String(row.id)} has no custody entry`);
      if (row.item_id !== recorded.payload.sourceItemId) throw c.invalid(`the import ${String(row.id)} differs from its custody entry (source item)`);
      table.seqs[i] = recorded.seq;
    } else if (isRecord) {
      const recorded = c.expected.imports.get(row.import_id as string);
      if (!recorded) throw c.invalid(`a ${name.slice(0, -1)} belongs to import ${String(row.import_id)}, which no custody entry records`);
      if (!c.items.has(row.source_item as string)) throw c.invalid(`a ${name.slice(0, -1)} points at an item that is not in the bundle`);
      const flagged = c.expected.flags.get(row.id as string) === true ? 1 : 0;
      if ((row.flagged ?? 0) !== flagged) throw c.invalid(`${name.slice(0, -1)} ${String(row.id)} is ${flagged ? 'not flagged, though the custody chain flags it' : 'flagged, though no custody entry flags it'}`);
      table.seqs[i] = recorded.seq;
      c.digests.add(recorded.seq, name, i, row);
    } else {
      const seq = c.links.get(linkKey(row));
      if (seq === undefined) throw c.invalid(`a link of item ${String(row.item_id)} has no custody entry`);
      table.seqs[i] = seq;
    }
  }
}

/**
 * The ids of a table's rows, compactly: a UUID (checked) as four 32-bit words of its hex digits, so that comparing
 * words compares ids in their string order (which is their UTF-8 byte order, the records digest's). 16 bytes a row,
 * where an array of strings would take about 60 and keep the heap busy.
 */
export class RowIds {
  private readonly words: Uint32Array;
  constructor(readonly length: number) {
    this.words = new Uint32Array(4 * length);
  }
  set(i: number, uuid: string): void {
    const hex = uuid.replaceAll('-', '');
    for (let k = 0; k < 4; k++) this.words[4 * i + k] = Number.parseInt(hex.slice(8 * k, 8 * k + 8), 16);
  }
  get(i: number): string {
    let hex = '';
    for (let k = 0; k < 4; k++) hex += this.words[4 * i + k]!.toString(16).padStart(8, '0');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
  compare(a: number, b: number): number {
    for (let k = 0; k < 4; k++) {
      const x = this.words[4 * a + k]!;
      const y = this.words[4 * b + k]!;
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  }
  /** The row numbers given, in id order (unchanged when there are no ids: links). */
  sorted(rows: Uint32Array): Uint32Array {
    return this.length ? rows.sort((a, b) => this.compare(a, b)) : rows;
  }
}

/**
 * A records row as the records digest reads it (recordColumnsSql): the line's columns, null when absent, content_key
 * as lowercase hex, and the "table" member. Rewrites the row given (a fresh copy: rowAt, checkRows).
 */
export function digestRow(table: RecordTable, row: Row): StoredRecordRow {
  for (const column of RECORD_COLUMNS[table]) {
    const v = row[column];
    if (v === undefined) row[column] = null;
    else if (column === 'content_key' && Buffer.isBuffer(v)) row[column] = v.toString('hex');
  }
  row.table = table;
  return row;
}

/**
 * Each import's records recounted and its records digest recomputed from the bundle's rows (custody/records-digest.ts):
 * version 2 over every field of every record, messages then transactions, each in id order, fed as checkRows visits
 * them; version 1 (older vaults) over id, content key and source line in the order they were inserted (the order the
 * exporter reads them in), from the rows parsed again at the end. Verify recomputes the same digests from the stored
 * rows once they are in (import.ts), with the checks version 1 needs on top.
 */
class ImportDigests {
  private readonly v2 = new Map<number, RecordsDigest>();
  private readonly v1 = new Map<number, { table: RecordTable; i: number }[]>();
  private readonly counts = new Map<number, Record<RecordTable, number>>();

  constructor(private readonly expected: Replayed) {
    for (const { seq, payload } of expected.imports.values()) {
      this.counts.set(seq, { messages: 0, transactions: 0 });
      if (payload.recordsDigestV === 2) this.v2.set(seq, new RecordsDigest());
      else this.v1.set(seq, []);
    }
  }

  add(seq: number, table: RecordTable, i: number, row: Row): void {
    this.counts.get(seq)![table]++;
    const digest = this.v2.get(seq); // the row is not used after this
    if (digest) digest.add(table, digestRow(table, row));
    else this.v1.get(seq)!.push({ table, i });
  }

  check(tables: CheckedTable[], invalid: (detail: string) => RedressError): void {
    const byName = new Map(tables.map((t) => [t.name, t]));
    for (const { seq, payload: p } of this.expected.imports.values()) {
      const what = `the records of import entry ${seq}`;
      const n = this.counts.get(seq)!;
      if (n.messages !== p.counts.messages.added || n.transactions !== p.counts.transactions.added) {
        throw invalid(`${what} do not match its records digest: the bundle holds ${n.messages} message(s) and ${n.transactions} transaction(s), the entry recorded ${p.counts.messages.added} and ${p.counts.transactions.added}`);
      }
      const v2 = this.v2.get(seq);
      let digest: string;
      if (v2) {
        digest = v2.digest();
      } else {
        const rows = this.v1.get(seq)!.sort((a, b) => (a.table === b.table ? a.i - b.i : a.table === 'messages' ? -1 : 1));
        digest = legacyRecordsDigest(rows.map((r) => digestRow(r.table, rowAt(byName.get(r.table)!, r.i))));
      }
      if (digest !== p.recordsDigest) throw invalid(`${what} do not match its records digest: at least one was edited, or removed and another put in its place`);
    }
  }
}
