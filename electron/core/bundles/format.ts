import { z } from 'zod';
import type { Db } from '../vault/database.js';
import { CaseRow as StoredCaseRow, ItemRow as StoredItemRow } from '../vault/rows.js';
import { BUNDLE_LIMITS } from './limits.js';

/**
 * The plaintext of a bundle is a ZIP (yazl/yauzl) with exactly these members:
 *
 *   manifest.json          RFC 8785 JSON (Manifest below): the case row, its item rows, every custody entry
 *                          (body and hash, verbatim) and the case's rows of every other per-case table
 *   objects/<sha256>       each original, once per distinct SHA-256
 *
 * Rows travel verbatim, column by column, so records added by later issues (messages, transactions...) travel
 * without this module knowing them: a table belongs to a case when it has a case_id column, or an item_id
 * column pointing at one of the case's items.
 */
export const BUNDLE_FORMAT = 'redress-case-bundle';
export const MANIFEST_MEMBER = 'manifest.json';
export const OBJECT_MEMBER = /^objects\/([0-9a-f]{64})$/;
export const objectMember = (sha256: string) => `objects/${sha256}`;
/** Every id a bundle carries is one this vault could have made: randomUUID, lowercase 8-4-4-4-12. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const Uuid = z.string().regex(UUID, 'not a UUID');
export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/);
/** A string field of a row: capped, and well-formed UTF-16 (SQLite would store a lone surrogate as U+FFFD). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const isWellFormed = (s: string) => !LONE_SURROGATE.test(s);
export const Text = z.string().max(BUNDLE_LIMITS.fieldChars).refine(isWellFormed, 'not well-formed text');
const Label = z.string().max(1024);

export type Row = Record<string, unknown>;

export const CustodyRow = z.strictObject({ seq: z.number().int().min(1), body: z.string(), hash: Sha256 });
export type CustodyRow = z.infer<typeof CustodyRow>;

/** The manifest's members but its arrays (items, custody) and tables, which manifest.ts reads element by element. */
export const ManifestHeader = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  v: z.literal(1),
  app: Label,
  schemaVersion: z.number().int(),
  exportedAt: z.iso.datetime(),
  exportedBy: Label,
  sourceVault: Uuid,
  caseId: Uuid,
  case: z.record(z.string(), z.unknown()),
});
export type ManifestHeader = z.infer<typeof ManifestHeader>;

/** What the exporter writes (canonicalJson of this); the importer reads it through manifest.ts, never whole. */
export interface Manifest extends ManifestHeader {
  items: Row[];
  custody: CustodyRow[];
  tables: Record<string, Row[]>;
}

/**
 * The two core tables' rows (vault/rows.ts, the one definition) as a bundle may carry them: capped and checked,
 * and open to columns a later schema adds.
 */
export const CaseRow = StoredCaseRow.extend({ id: Uuid, title: z.string().max(10_000), narrative: Text, losses: Text, parties: Text }).loose();
export type CaseRow = z.infer<typeof CaseRow>;

export const ItemRow = StoredItemRow.extend({
  id: Uuid,
  case_id: Uuid,
  kind: Label,
  title: Text,
  notes: Text,
  tags: Text,
  source: Label,
  original_name: Text.nullable(),
  media_type: Label,
  size: z.number().int().min(0),
  sha256: Sha256,
  object_name: Sha256,
  captured_zone: Label,
  derived_from: Uuid.nullable(),
  excluded_reason: Text.nullable(),
}).loose();
export type ItemRow = z.infer<typeof ItemRow>;

export interface CaseTable {
  name: string;
  /** how its rows belong to a case */
  key: 'case_id' | 'item_id';
  columns: string[];
  /** per column: what it stores (STRICT tables: TEXT, INTEGER, BLOB) and whether it may be null */
  types: Map<string, ColumnType>;
}

export interface ColumnType {
  type: string;
  notNull: boolean;
  /** not null and without a default: a row must give it */
  required: boolean;
}

const CORE_TABLES = new Set(['cases', 'items', 'custody']);

/** Every other table holding per-case rows, in this vault's schema. */
export function caseTables(db: Db): CaseTable[] {
  const names = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
  const out: CaseTable[] = [];
  for (const name of names) {
    if (CORE_TABLES.has(name)) continue;
    const info = db.prepare(`SELECT name, type, "notnull" AS not_null, dflt_value AS dflt, pk FROM pragma_table_info(?)`).all(name) as { name: string; type: string; not_null: number; dflt: string | null; pk: number }[];
    const columns = info.map((r) => r.name);
    const types = new Map(
      info.map((r) => {
        // a primary key is never null either, though a TEXT one is not declared NOT NULL
        const notNull = r.not_null === 1 || r.pk > 0;
        return [r.name, { type: r.type.toUpperCase(), notNull, required: notNull && r.dflt === null }];
      }),
    );
    if (columns.includes('case_id')) out.push({ name, key: 'case_id', columns, types });
    else if (columns.includes('item_id')) out.push({ name, key: 'item_id', columns, types });
  }
  return out;
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** BLOB columns (thumbnails) go through JSON as {"$base64": ...}. */
export function encodeRow(row: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) out[k] = Buffer.isBuffer(v) ? { $base64: v.toString('base64') } : v;
  return out;
}

export function decodeValue(v: unknown): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const b64 = (v as { $base64?: unknown }).$base64;
    if (typeof b64 === 'string' && Object.keys(v).length === 1) return Buffer.from(b64, 'base64');
    throw new TypeError('a column holds an object');
  }
  return v;
}

export interface CaseSnapshot {
  caseRow: CaseRow;
  items: ItemRow[];
  custody: CustodyRow[];
  tables: Record<string, Row[]>;
}

/** Reads everything a bundle carries for one case. Call inside a transaction for a consistent view. */
export function readSnapshot(db: Db, caseId: string): CaseSnapshot {
  const caseRow = db.prepare('SELECT * FROM cases WHERE id = ?').get(caseId) as CaseRow;
  const items = db.prepare('SELECT * FROM items WHERE case_id = ? ORDER BY added_seq').all(caseId) as ItemRow[];
  const custody = db.prepare('SELECT seq, body, hash FROM custody WHERE case_id = ? ORDER BY seq').all(caseId) as CustodyRow[];
  const tables: Record<string, Row[]> = {};
  for (const t of caseTables(db)) {
    const sql =
      t.key === 'case_id'
        ? `SELECT * FROM ${quoteIdent(t.name)} WHERE case_id = ? ORDER BY rowid`
        : `SELECT * FROM ${quoteIdent(t.name)} WHERE item_id IN (SELECT id FROM items WHERE case_id = ?)`;
    let rows: Row[];
    try {
      rows = db.prepare(sql).all(caseId) as Row[];
    } catch {
      // WITHOUT ROWID tables have no rowid to keep insertion order by
      rows = db.prepare(sql.replace(' ORDER BY rowid', '')).all(caseId) as Row[];
    }
    if (rows.length) tables[t.name] = rows.map(encodeRow);
  }
  return { caseRow, items, custody, tables };
}
