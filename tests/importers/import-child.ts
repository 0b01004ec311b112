// Run as a child process by limits.test.ts, the way "redress import" runs: opens an existing vault, imports one file
// into a case, and prints what happened and the process's peak resident memory (maxRSS), so that a test can measure
// what a crafted input costs. Nothing else runs in the process (creating a vault loads the passphrase dictionaries).
//   node --import tsx tests/importers/import-child.ts DATA_DIR CASE_ID FILE [FORMAT]
import { RedressError } from '../../electron/core/errors.js';
import { importFile } from '../../electron/core/importers/import-file.js';
import type { FormatId } from '../../electron/core/importers/types.js';
import { RecordRepo } from '../../electron/core/records/record-repo.js';
import { openVault } from '../helpers/vault.js';

const [dataDir, caseId, file, format] = process.argv.slice(2) as [string, string, string, string | undefined];
const vault = await openVault(dataDir);
const before = vault.items.list(caseId).length;
let report: Record<string, unknown>;
try {
  const r = await importFile(vault, caseId, file, format ? { format: format as FormatId, zone: 'Asia/Shanghai' } : { zone: 'Asia/Shanghai' });
  const repo = new RecordRepo(vault.context);
  const messages = repo.listMessages(caseId, { limit: 5 });
  const transactions = repo.listTransactions(caseId, { limit: 5 });
  report = {
    ok: true,
    counts: r.counts,
    warnings: r.warnings,
    partial: r.partial,
    bodies: messages.map((m) => ({ length: m.body.length, tail: m.body.slice(-120), name: m.counterpartName?.length, address: m.counterpartAddress?.length })),
    notes: transactions.map((t) => ({ note: t.note?.length, name: t.counterpartyName?.length, tail: t.note?.slice(-120) })),
    items: vault.items.list(caseId).length - before,
  };
} catch (err) {
  report = err instanceof RedressError ? { ok: false, code: err.code, params: err.value.params } : { ok: false, code: 'CRASH', detail: String((err as Error)?.stack ?? err).slice(0, 2000) };
  report.items = vault.items.list(caseId).length - before;
}
await vault.close();
// maxRSS is in kilobytes
process.stdout.write(JSON.stringify({ ...report, maxRssMB: Math.round(process.resourceUsage().maxRSS / 1024) }) + '\n');
