import type { CaseRecord, ItemRecord } from '../../../shared/case-model.js';
import { toFields } from '../cases/case-repo.js';
import { canonicalJson } from '../custody/entry.js';
import type { VaultContext } from '../context.js';
import { RedressError } from '../errors.js';
import { SealedFileError } from '../vault/sealed-file.js';
import type { CaseReport, Problem } from './problems.js';
import { replay } from './replay.js';
import { verifyChain, type StoredEntryRow } from './verify-chain.js';

export interface VerifyProgress {
  caseId: string;
  itemsDone: number;
  itemsTotal: number;
}

export interface VerifyOptions {
  onProgress?: (p: VerifyProgress) => void;
  signal?: AbortSignal;
  /** skip re-hashing stored files (the chain and records are still checked) */
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

  const rowIds = new Set(items.map((i) => i.id));
  for (const item of items) {
    const recorded = expected.items.get(item.id);
    if (!recorded) {
      // With a broken chain the entry may simply be unreadable; say which.
      const entryLost = chain.problems.some((p) => p.seq === item.addedSeq || p.kind === 'chain-truncated');
      problems.push({ kind: 'item-unrecorded', caseId: kase.id, itemId: item.id, detail: entryLost ? `item "${item.title}" is recorded in entry ${item.addedSeq}, which failed verification` : `item "${item.title}" has no custody entry` });
      continue;
    }
    const diffs: string[] = [];
    if (recorded.sha256 !== item.sha256) diffs.push('sha256');
    if (recorded.size !== item.size) diffs.push('size');
    if (recorded.objectName !== objectNames.get(item.id)) diffs.push('stored file');
    if (recorded.title !== item.title) diffs.push('title');
    if (recorded.notes !== item.notes) diffs.push('notes');
    if (JSON.stringify(recorded.tags) !== JSON.stringify(item.tags)) diffs.push('tags');
    if (recorded.excludedReason !== (item.excluded?.reason ?? null)) diffs.push('exclusion');
    if (diffs.length) problems.push({ kind: 'item-record-altered', caseId: kase.id, itemId: item.id, detail: `item "${item.title}": ${diffs.join(', ')} differ from the custody chain` });
  }
  for (const [itemId, recorded] of expected.items) {
    if (!rowIds.has(itemId)) problems.push({ kind: 'item-record-missing', caseId: kase.id, itemId, seq: recorded.seq, detail: `item added in entry ${recorded.seq} (sha256 ${recorded.sha256.slice(0, 12)}…) is no longer in the vault` });
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

  return { caseId: kase.id, title: kase.title, entries: rows.length, items: items.length, head: kase.head, problems, warnings: chain.warnings, ok: problems.length === 0 };
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
