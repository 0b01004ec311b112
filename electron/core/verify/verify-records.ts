import { canonicalJson } from '../custody/entry.js';
import { legacyRecordsDigest, recordColumnsSql, RecordsDigest, type RecordTable, type StoredRecordRow } from '../custody/records-digest.js';
import { rowContentKey } from '../records/record-repo.js';
import type { Db } from '../vault/database.js';
import type { Problem, Warning } from './problems.js';
import type { Replayed, ReplayedImport } from './replay.js';

interface ImportRow {
  id: string;
  item_id: string;
  format: string;
  summary: string;
  partial: number;
  seq: number;
}

/** What one import's stored records add up to, read in digest order. */
interface Tally {
  messages: number;
  transactions: number;
  digest: RecordsDigest | null;
  /** version 1: the rows, per table, with where each is in insertion order (the old digest's order) */
  legacy: Record<RecordTable, { rowid: number; row: StoredRecordRow }[]>;
  /** version 1: rows whose content key is not the one their fields give */
  keyMismatches: number;
  /** version 1: rows that do not point at the import's source item */
  sourceMismatches: number;
}

const TABLES: readonly RecordTable[] = ['messages', 'transactions'];
const SINGULAR: Record<RecordTable, string> = { messages: 'message', transactions: 'transaction' };
/** Payload fields that the import row's summary leaves out: the summary is the rest of the payload. */
const NOT_IN_SUMMARY = new Set(['importId', 'recordsDigest', 'recordsDigestV']);
/** Record ids named in a flag problem's detail; the count says how many more. */
const EXAMPLES = 3;

/**
 * Checks a case's imports, messages and transactions against its chain: every import row against its
 * 'records.imported' entry, every record the import added against the entry's records digest (recomputed from the
 * stored rows, streamed in digest order), and every record's flag against the flag entries. A row that no intact
 * entry accounts for is reported, as is an entry whose rows are gone.
 */
export function verifyRecords(db: Db, caseId: string, expected: Replayed, chainProblems: readonly Problem[]): { problems: Problem[]; warnings: Warning[] } {
  const problems: Problem[] = [];
  const warnings: Warning[] = [];
  const failedSeqs = new Set(chainProblems.map((p) => p.seq));
  const truncated = chainProblems.some((p) => p.kind === 'chain-truncated');
  const lost = (seq: number) => failedSeqs.has(seq) || truncated;
  const importRows = new Map((db.prepare('SELECT id, item_id, format, summary, partial, seq FROM imports WHERE case_id = ?').all(caseId) as ImportRow[]).map((r) => [r.id, r]));

  for (const row of importRows.values()) {
    const recorded = expected.imports.get(row.id);
    if (!recorded) {
      problems.push({
        kind: 'import-unrecorded',
        caseId,
        seq: row.seq,
        detail: lost(row.seq) ? `the import ${row.id} (${row.format}) is recorded in entry ${row.seq}, which failed verification` : `the import ${row.id} (${row.format}) has no custody entry`,
      });
      continue;
    }
    const diffs = importDiffs(row, recorded);
    if (diffs.length) problems.push({ kind: 'import-record-altered', caseId, seq: recorded.seq, detail: `the import recorded in entry ${recorded.seq}: ${diffs.join(', ')} differ from the custody chain` });
  }
  for (const [importId, recorded] of expected.imports) {
    if (!importRows.has(importId)) problems.push({ kind: 'import-record-missing', caseId, seq: recorded.seq, detail: `the import recorded in entry ${recorded.seq} (${recorded.payload.format}) is no longer in the vault` });
  }

  const tallies = new Map<string, Tally>();
  const unrecorded = new Map<string, Record<RecordTable, number>>();
  const flaggedWrongly: string[] = [];
  const unflaggedWrongly: string[] = [];
  for (const table of TABLES) {
    const stmt = db.prepare(`SELECT ${recordColumnsSql(table)}, flagged, rowid AS _rowid FROM ${table} WHERE case_id = ? ORDER BY id`);
    for (const row of stmt.iterate(caseId) as IterableIterator<StoredRecordRow & { flagged: number; _rowid: number }>) {
      const id = row.id as string;
      const shouldBeFlagged = expected.flags.get(id) === true;
      if (row.flagged !== (shouldBeFlagged ? 1 : 0)) (shouldBeFlagged ? unflaggedWrongly : flaggedWrongly).push(`${SINGULAR[table]} ${id}`);

      const importId = row.import_id as string;
      const recorded = expected.imports.get(importId);
      if (!recorded) {
        const n = unrecorded.get(importId) ?? { messages: 0, transactions: 0 };
        n[table]++;
        unrecorded.set(importId, n);
        continue;
      }
      let tally = tallies.get(importId);
      if (!tally) tallies.set(importId, (tally = newTally(recorded)));
      tally[table]++;
      if (tally.digest) {
        tally.digest.add(table, row);
      } else {
        tally.legacy[table].push({ rowid: row._rowid, row });
        if (rowContentKey(table, row).toString('hex') !== row.content_key) tally.keyMismatches++;
        if (row.source_item !== recorded.payload.sourceItemId) tally.sourceMismatches++;
      }
    }
  }

  for (const [importId, recorded] of expected.imports) {
    const tally = tallies.get(importId) ?? newTally(recorded);
    const p = recorded.payload;
    const { seq } = recorded;
    const what = `import entry ${seq} (${describeImport(p)})`;
    let digestOk: boolean;
    if (tally.digest) {
      digestOk = tally.digest.digest() === p.recordsDigest;
    } else {
      // Version 1 hashed in insertion order. No importer mixes messages and transactions in one import; were one to,
      // its messages are taken first.
      const inserted = TABLES.flatMap((t) => tally.legacy[t].sort((a, b) => a.rowid - b.rowid).map((r) => r.row));
      digestOk = legacyRecordsDigest(inserted) === p.recordsDigest && tally.keyMismatches === 0 && tally.sourceMismatches === 0;
      warnings.push({ kind: 'records-digest-legacy', caseId, seq, detail: legacyDetail(what, tally) });
    }
    const countsOk = tally.messages === p.counts.messages.added && tally.transactions === p.counts.transactions.added;
    if (digestOk && countsOk) continue;
    const now = `${tally.messages} message(s) and ${tally.transactions} transaction(s) are stored under it; it recorded ${p.counts.messages.added} and ${p.counts.transactions.added}`;
    const why = countsOk ? (tally.digest ? 'so at least one was edited, or removed and another put in its place' : legacyWhy(tally)) : 'records were removed or added';
    problems.push({ kind: 'records-altered', caseId, seq, detail: `the records of ${what} no longer match its records digest: ${now}, ${why}` });
  }

  for (const [importId, n] of unrecorded) {
    const row = importRows.get(importId);
    const where = row && lost(row.seq) ? `the import recorded in entry ${row.seq}, which failed verification` : `import ${importId}, which no custody entry records`;
    problems.push({ kind: 'record-unrecorded', caseId, ...(row ? { seq: row.seq } : {}), detail: `${n.messages} message(s) and ${n.transactions} transaction(s) belong to ${where}` });
  }

  if (flaggedWrongly.length) {
    problems.push({ kind: 'record-flag-altered', caseId, detail: `${flaggedWrongly.length} record(s) are flagged as evidence though no custody entry flags them: ${examples(flaggedWrongly)}` });
  }
  if (unflaggedWrongly.length) {
    problems.push({ kind: 'record-flag-altered', caseId, detail: `${unflaggedWrongly.length} record(s) that the custody chain flags as evidence are not flagged: ${examples(unflaggedWrongly)}` });
  }
  return { problems, warnings };
}

function newTally(recorded: ReplayedImport): Tally {
  return { messages: 0, transactions: 0, digest: recorded.payload.recordsDigestV === 2 ? new RecordsDigest() : null, legacy: { messages: [], transactions: [] }, keyMismatches: 0, sourceMismatches: 0 };
}

function importDiffs(row: ImportRow, recorded: ReplayedImport): string[] {
  const p = recorded.payload;
  const diffs: string[] = [];
  if (row.item_id !== p.sourceItemId) diffs.push('source item');
  if (row.format !== p.format) diffs.push('format');
  if (row.partial !== (p.partial ? 1 : 0)) diffs.push('partial');
  if (row.seq !== recorded.seq) diffs.push('entry number');
  const summary = Object.fromEntries(Object.entries(p).filter(([key]) => !NOT_IN_SUMMARY.has(key)));
  if (canonicalOrNull(row.summary) !== canonicalJson(summary)) diffs.push('summary');
  return diffs;
}

function canonicalOrNull(json: string): string | null {
  try {
    return canonicalJson(JSON.parse(json));
  } catch {
    return null;
  }
}

function describeImport(p: ReplayedImport['payload']): string {
  return typeof p.fileName === 'string' ? `${p.format}, "${p.fileName}"` : p.format;
}

function legacyWhy(tally: Tally): string {
  const parts: string[] = [];
  if (tally.keyMismatches) parts.push(`${tally.keyMismatches} record(s) no longer say what their content key says they did`);
  if (tally.sourceMismatches) parts.push(`${tally.sourceMismatches} record(s) point at another source item`);
  return parts.length ? parts.join('; ') : 'so a record was renumbered, moved, or removed and another put in its place';
}

/** What a version 1 digest leaves uncovered, for the records this import holds. */
function legacyDetail(what: string, tally: Tally): string {
  const byTxId = tally.legacy.transactions.filter((r) => r.row.platform_tx_id !== null).length;
  const otherTx = tally.transactions - byTxId;
  const parts = [
    tally.messages ? `for its ${tally.messages} message(s), the time, direction, channel, counterpart, thread and text are covered, not the time zone and offset nor the attachments` : '',
    otherTx ? `for ${otherTx} transaction(s), the time, direction, amount, counterparty, platform, order number and note are covered, not the time zone and offset, method, status or category` : '',
    byTxId ? `for ${byTxId} transaction(s) with the platform's transaction number, only the platform, that number and the direction are covered: not the amount, time, counterparty or anything else` : '',
  ].filter(Boolean);
  return (
    `${what} was recorded by an older Redress, whose records digest (version 1) covers each record's id, source line and content key; ` +
    `verify checked those, re-derived each content key from the record's fields and checked the source item${parts.length ? `. Through the content key, ${parts.join('; ')}` : ''}.`
  );
}

function examples(ids: string[]): string {
  const shown = ids.slice(0, EXAMPLES).join(', ');
  return ids.length > EXAMPLES ? `${shown} and ${ids.length - EXAMPLES} more` : shown;
}
