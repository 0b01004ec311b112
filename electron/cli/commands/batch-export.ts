import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import type { CaseStatus, IncidentType } from '../../../shared/case-model.js';
import { batchExport } from '../../core/batch/index.js';
import { RedressError } from '../../core/errors.js';
import { EXIT } from '../exit-codes.js';
import type { Output } from '../output.js';
import { withVault, type GlobalOptions } from '../session.js';
import { withSigint } from './transfer-passphrase.js';

export interface BatchExportCliOptions extends GlobalOptions {
  status?: CaseStatus;
  type?: IncidentType;
  since?: string;
  for: string;
  out: string;
  lang?: string;
  workers?: string;
}

/**
 * redress batch-export [--status S] [--type T] [--since DATE] --for RECIPIENT --out DIR
 * Exit 0 when every packet was built, 7 when some cases failed (listed), 130 when cancelled (run again to resume).
 */
export async function batchExportCommand(opts: BatchExportCliOptions, out: Output): Promise<number> {
  if (opts.since && Number.isNaN(Date.parse(opts.since))) throw new RedressError('INVALID_INPUT', { field: '--since', reason: 'not a date (use YYYY-MM-DD or ISO 8601)' });
  const workers = opts.workers ? Number(opts.workers) : undefined;
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= 16)) throw new RedressError('INVALID_INPUT', { field: '--workers', reason: 'a whole number from 1 to 16' });
  return withVault(opts, out, async (vault) => {
    const tty = process.stderr.isTTY && !opts.json;
    const bar = tty ? new cliProgress.SingleBar({ format: `${out.t('batch.progress')} [{bar}] {value}/{total} | {case}`, stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic) : null;
    let finished = 0;
    let started = false;
    const result = await withSigint((signal) =>
      batchExport(vault, {
        selection: { ...(opts.status ? { status: opts.status } : {}), ...(opts.type ? { incidentType: opts.type } : {}), ...(opts.since ? { since: new Date(opts.since).toISOString() } : {}) },
        recipientId: opts.for,
        ...(opts.lang ? { lang: opts.lang } : {}),
        outDir: resolve(opts.out),
        ...(workers ? { workers } : {}),
        signal,
        t: out.t,
        onProgress: (p) => {
          if (!started) {
            started = true;
            bar?.start(p.total, 0, { case: '' });
          }
          const id = p.caseId.slice(0, 8);
          if (p.status === 'building' || p.status === 'packet') {
            bar?.update(finished, { case: `${id} ${p.phase ?? ''}` });
            return;
          }
          finished++;
          const line =
            p.status === 'done'
              ? out.t('batch.caseDone', { id, sha256: p.packetSha256 })
              : p.status === 'skipped'
                ? out.t('batch.caseSkipped', { id })
                : out.t('batch.caseFailed', { id, message: p.error ? out.t(p.error.messageKey, p.error.params) : '' });
          if (bar) {
            bar.update(finished, { case: id });
            if (p.status === 'failed') process.stderr.write(`\n${line}\n`);
          } else out.line(line);
        },
      }),
    );
    bar?.stop();
    out.result(result);
    if (result.total === 0) out.line(out.t('batch.noCases'));
    out.line(out.t('batch.summary', { done: result.built, skipped: result.skipped, failed: result.failed.length, total: result.total, csv: result.summaryCsv, xlsx: result.summaryXlsx }));
    for (const f of result.failed) out.note(out.t('batch.caseFailed', { id: f.caseId.slice(0, 8), message: out.t(f.error.messageKey, f.error.params) }));
    if (result.cancelled) {
      out.note(out.t('errors.cancelled'));
      return EXIT.CANCELLED;
    }
    return result.failed.length ? EXIT.INPUT : EXIT.OK;
  });
}
