import { readFile } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import { minorToDecimal } from '../../../shared/format.js';
import { RedressError } from '../../core/errors.js';
import { FORMATS, importFile, ProfileRepo, type FormatId, type ImportProgress, type TotalLine, type TotalsMismatch } from '../../core/importers/index.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import { withVault, type GlobalOptions } from '../session.js';

export interface ImportCliOptions extends GlobalOptions {
  format?: FormatId;
  profile?: string;
  mapping?: string;
  saveProfile?: boolean;
  zone?: string;
  self?: string;
}

export const IMPORT_FORMATS = FORMATS;

/** "out      3 × 1234.50 CNY": count and exact sum for one direction and currency */
export function totalLine(out: Output, t: TotalLine): string {
  return `  ${out.t(`cli.direction.${t.direction}`).padEnd(8)} ${String(t.count).padStart(6)} × ${minorToDecimal({ currency: t.currency, minor: t.minor })} ${t.currency}`;
}

function describeMismatch(out: Output, m: TotalsMismatch): string {
  if (m.kind === 'count') return out.t('cli.mismatchCount', { declared: m.declared, actual: m.actual });
  const money = (minor: number) => `${minorToDecimal({ currency: m.currency, minor })} ${m.currency}`;
  return out.t('cli.mismatchTotal', { direction: out.t(`cli.direction.${m.direction}`), declaredCount: m.declaredCount, declared: money(m.declaredMinor), actualCount: m.actualCount, actual: money(m.actualMinor) });
}

/**
 * Imports one file: the original becomes an evidence item, its rows/messages become records. A file that could
 * be read only up to some point is imported up to there, marked partial, and exits with 7.
 */
export async function importCommand(caseRef: string, file: string, opts: ImportCliOptions, out: Output): Promise<number> {
  let mapping: unknown;
  if (opts.mapping) {
    const text = await readFile(opts.mapping, 'utf8').catch((err: NodeJS.ErrnoException) => {
      throw new RedressError('FILE_UNREADABLE', { file: opts.mapping!, reason: err.code ?? err.message });
    });
    try {
      mapping = JSON.parse(text);
    } catch {
      throw new RedressError('IMPORT_PROFILE_REQUIRED', { detail: `${opts.mapping} is not valid JSON` });
    }
  }
  return withVault(opts, out, async (vault) => {
    const caseId = vault.cases.resolve(caseRef);
    let profile: unknown = opts.profile;
    if (mapping !== undefined) {
      profile = opts.saveProfile ? new ProfileRepo(vault.context.db).save(mapping as never) : mapping;
    }
    const bar =
      process.stderr.isTTY && !opts.json
        ? new cliProgress.SingleBar({ format: `${out.t('cli.progressImport')} [{bar}] {percentage}% | {phase}`, stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic)
        : null;
    let started = false;
    const onProgress = (p: ImportProgress) => {
      if (!bar) return;
      // reading, storing and recording each take a third of the bar
      const offset = p.phase === 'reading' ? 0 : p.phase === 'storing' ? 1 : 2;
      const value = Math.round(((offset + p.bytes / Math.max(p.totalBytes, 1)) / 3) * 1000);
      if (!started) bar.start(1000, value, { phase: p.phase });
      else bar.update(value, { phase: p.phase });
      started = true;
    };
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.once('SIGINT', onSigint);
    let result;
    try {
      result = await importFile(vault, caseId, file, {
        signal: controller.signal,
        onProgress,
        ...(opts.format ? { format: opts.format } : {}),
        ...(profile !== undefined ? { profile } : {}),
        ...(opts.zone ? { zone: opts.zone } : {}),
        ...(opts.self ? { selfName: opts.self } : {}),
      });
    } finally {
      process.off('SIGINT', onSigint);
      if (started) bar?.stop();
    }
    out.result({
      caseId,
      importId: result.importId,
      format: result.format,
      file: result.file,
      source: result.source,
      newItemIds: result.newItemIds,
      counts: result.counts,
      totals: result.totals,
      totalsCheck: result.totalsCheck,
      dateRange: result.dateRange,
      partial: result.partial,
      warnings: result.warnings,
      facts: result.facts,
    });
    const { messages, transactions } = result.counts;
    out.line(out.t('cli.imported', { format: result.format, newMessages: messages.added, newTransactions: transactions.added, duplicates: messages.duplicate + transactions.duplicate }));
    out.line(out.t('cli.importSourceItem', { id: result.source.itemId, sha256: result.source.sha256, duplicate: result.source.duplicate ? out.t('cli.importSourceDuplicate') : '' }));
    for (const t of result.totals) out.line(totalLine(out, t));
    if (result.totalsCheck) {
      if (result.totalsCheck.ok) out.line(out.t('cli.totalsMatch'));
      else out.note(out.t('cli.totalsMismatch', { detail: result.totalsCheck.mismatches.map((m) => describeMismatch(out, m)).join('; ') }));
    }
    if (result.warnings.length) {
      out.note(out.t('cli.importWarnings', { count: result.warnings.length }));
      for (const w of result.warnings) out.note(`  ${w}`);
    }
    if (result.partial) {
      out.note(out.t('cli.importPartial', result.partial as unknown as Record<string, string>));
      return EXIT.INPUT;
    }
    return EXIT.OK;
  });
}
