import type { CaseRecord, ItemRecord } from '../../../shared/case-model.js';
import { toFields } from '../cases/case-repo.js';
import { canonicalJson } from '../custody/entry.js';
import type { VaultContext } from '../context.js';
import { RedressError } from '../errors.js';
import type { ItemRow } from '../vault/rows.js';
import { SealedFileError } from '../vault/sealed-file.js';
import type { CaseReport, Problem, Warning } from './problems.js';
import { replay, type Replayed, type ReplayedItem } from './replay.js';
import { verifyChain, type ChainCheck, type StoredEntryRow } from './verify-chain.js';
import { isUnauthenticated } from './verify-database.js';
import { verifyRecords } from './verify-records.js';

export interface VerifyProgress {
  caseId: string;
  itemsDone: number;
  itemsTotal: number;
}

export interface VerifyOptions {
  onProgress?: (p: VerifyProgress) => void;
  signal?: AbortSignal;
  /** skip re-hashing stored files and checking the database file's pages (the chain and every row are still checked) */
  chainOnly?: boolean;
}

export async function verifyCase(ctx: VaultContext, kase: CaseRecord, items: ItemRecord[], objectNames: Map<string, string>, options: VerifyOptions = {}): Promise<CaseReport> {
  const rows = ctx.db.prepare('SELECT seq, body, hash FROM custody WHERE case_id = ? ORDER BY seq').all(kase.id) as StoredEntryRow[];
  const chain = verifyChain(kase.id, rows, kase.head);
  const problems: Problem[] = [...chain.problems];

  const expected = replay(chain.intact);
  for (const u of expected.unrecognised) problems.push({ kind: 'entry-unrecognised', caseId: kase.id, seq: u.seq, detail: u.reason });
  if (expected.fields) {
    const actual = toFields(kase);
    for (const [key, value] of Object.entries(expected.fields)) {
      // Canonical JSON on both sides: the chain stores bodies with sorted keys, the row keeps the schema's key order.
      if (canonicalJson(value ?? null) !== canonicalJson((actual as Record<string, unknown>)[key] ?? null)) {
        problems.push({ kind: 'case-record-altered', caseId: kase.id, detail: `the case's ${key} differs from what the custody chain records` });
      }
    }
  }

  const warnings: Warning[] = [...chain.warnings];
  try {
    problems.push(...verifyItems(ctx, kase.id, expected, chain));
    const records = verifyRecords(ctx.db, kase.id, expected, chain.problems);
    problems.push(...records.problems);
    warnings.push(...records.warnings);
  } catch (err) {
    // A page that fails its HMAC under the case's rows: the rest of the case cannot be read, which is the finding.
    if (!isUnauthenticated(err)) throw err;
    problems.push({ kind: 'database-page-altered', caseId: kase.id, detail: `the case's rows could not be read: a page of the vault database fails authentication (${(err as Error).message})` });
  }

  if (!options.chainOnly) {
    let done = 0;
    for (const item of items) {
      if (options.signal?.aborted) throw new RedressError('CANCELLED');
      const problem = await checkFile(ctx, kase.id, item, objectNames.get(item.id)!);
      if (problem) problems.push(problem);
      options.onProgress?.({ caseId: kase.id, itemsDone: ++done, itemsTotal: items.length });
    }
  }

  return { caseId: kase.id, title: kase.title, entries: rows.length, items: items.length, head: kase.head, problems, warnings, ok: problems.length === 0 };
}

/**
 * Each column of an item row against what the chain fixes for it: 'item.added' fixes all of them, 'item.annotated'
 * title, notes and tags, 'item.excluded' the exclusion and its time. Tags are compared as the JSON text that
 * ItemRepo writes (JSON.stringify of the array).
 */
const ITEM_COLUMNS: readonly { label: string; recorded: (r: ReplayedItem) => unknown; stored: (row: ItemRow) => unknown }[] = [
  { label: 'kind', recorded: (r) => r.kind, stored: (row) => row.kind },
  { label: 'title', recorded: (r) => r.title, stored: (row) => row.title },
  { label: 'notes', recorded: (r) => r.notes, stored: (row) => row.notes },
  { label: 'tags', recorded: (r) => JSON.stringify(r.tags), stored: (row) => row.tags },
  { label: 'source', recorded: (r) => r.source, stored: (row) => row.source },
  { label: 'original name', recorded: (r) => r.originalName, stored: (row) => row.original_name },
  { label: 'media type', recorded: (r) => r.mediaType, stored: (row) => row.media_type },
  { label: 'size', recorded: (r) => r.size, stored: (row) => row.size },
  { label: 'sha256', recorded: (r) => r.sha256, stored: (row) => row.sha256 },
  { label: 'stored file', recorded: (r) => r.objectName, stored: (row) => row.object_name },
  { label: 'capture time', recorded: (r) => r.captured.instant, stored: (row) => row.captured_at },
  { label: 'capture offset', recorded: (r) => r.captured.offsetMinutes, stored: (row) => row.captured_offset },
  { label: 'capture zone', recorded: (r) => r.captured.zone, stored: (row) => row.captured_zone },
  { label: 'derivation', recorded: (r) => r.derivedFrom, stored: (row) => row.derived_from },
  { label: 'exclusion', recorded: (r) => r.excludedReason, stored: (row) => row.excluded_reason },
  { label: 'exclusion time', recorded: (r) => r.excludedAt, stored: (row) => row.excluded_at },
  { label: 'entry number', recorded: (r) => r.seq, stored: (row) => row.added_seq },
];

/** The columns of an item row that differ from what the chain fixes for the item, by label ("capture time"…). */
export function itemDiffs(recorded: ReplayedItem, row: ItemRow): string[] {
  return ITEM_COLUMNS.filter((c) => c.recorded(recorded) !== c.stored(row)).map((c) => c.label);
}

/** Every item row of the case against the chain, and every item the chain added against the rows. */
function verifyItems(ctx: VaultContext, caseId: string, expected: Replayed, chain: ChainCheck): Problem[] {
  const problems: Problem[] = [];
  const rows = ctx.db.prepare('SELECT * FROM items WHERE case_id = ?').all(caseId) as ItemRow[];
  const rowIds = new Set<string>();
  for (const row of rows) {
    rowIds.add(row.id);
    const recorded = expected.items.get(row.id);
    if (!recorded) {
      // With a broken chain the entry may simply be unreadable; say which.
      const entryLost = chain.problems.some((p) => p.seq === row.added_seq || p.kind === 'chain-truncated');
      problems.push({ kind: 'item-unrecorded', caseId, itemId: row.id, detail: entryLost ? `item "${row.title}" is recorded in entry ${row.added_seq}, which failed verification` : `item "${row.title}" has no custody entry` });
      continue;
    }
    const diffs = itemDiffs(recorded, row);
    if (diffs.length) problems.push({ kind: 'item-record-altered', caseId, itemId: row.id, detail: `item "${row.title}": ${diffs.join(', ')} differ from the custody chain` });
  }
  for (const [itemId, recorded] of expected.items) {
    if (!rowIds.has(itemId)) problems.push({ kind: 'item-record-missing', caseId, itemId, seq: recorded.seq, detail: `item added in entry ${recorded.seq} (sha256 ${recorded.sha256.slice(0, 12)}…) is no longer in the vault` });
  }
  return problems;
}

async function checkFile(ctx: VaultContext, caseId: string, item: ItemRecord, objectName: string): Promise<Problem | null> {
  const at = { kind: 'item-file-altered' as const, caseId, itemId: item.id };
  if (!(await ctx.objects.has(objectName))) return { kind: 'item-file-missing', caseId, itemId: item.id, detail: `the stored original of "${item.title}" is missing` };
  try {
    const actual = await ctx.objects.hash(objectName);
    if (actual !== item.sha256) return { ...at, detail: `the stored original of "${item.title}" hashes to ${actual}, not ${item.sha256}` };
    return null;
  } catch (err) {
    if (err instanceof SealedFileError) return { ...at, detail: `the stored original of "${item.title}" was altered (${err.message})` };
    throw err;
  }
}
