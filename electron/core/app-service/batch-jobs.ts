import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { TFunction } from 'i18next';
import type { z } from 'zod';
import type { BatchJobSchema } from '../../../shared/ipc/channels-association.js';
import { batchExport, type BatchProgress } from '../batch/index.js';
import { BackgroundJobs } from './background-jobs.js';
import { RedressError, toErrorValue } from '../errors.js';
import { getRecipient } from '../packets/index.js';
import { selectCases, type CaseSelection } from '../stats/index.js';
import type { Vault } from '../vault/vault.js';

export type BatchJob = z.infer<typeof BatchJobSchema>;
type CaseRow = BatchJob['cases'][number];

export interface BatchStart {
  outDir: string;
  recipientId: string;
  selection: CaseSelection;
  t: TFunction;
}

/**
 * Batch exports run in the background (packets are built in worker threads); the UI polls the per-case status and
 * can cancel. Resuming is starting again on the same folder: the batch's state file there makes finished cases
 * skip. Jobs die with the vault: locking aborts them.
 */
export class BatchJobs extends BackgroundJobs<BatchJob, { outDir: string }> {
  constructor() {
    super('batch');
  }

  start(vault: Vault, o: BatchStart): string {
    getRecipient(o.recipientId);
    for (const { job, outDir } of this.jobs.values()) {
      // two batches writing one state file would each undo the other's record
      if (job.state === 'running' && outDir === o.outDir) throw new RedressError('INVALID_INPUT', { field: 'folder', reason: 'a batch is already running in this folder' });
    }
    const jobId = randomUUID();
    const controller = new AbortController();
    const cases: CaseRow[] = selectCases(vault, o.selection).map((c) => ({ caseId: c.id, title: c.title, state: 'queued', phase: null, packetSha256: null, error: null }));
    const rows = new Map(cases.map((c) => [c.caseId, c]));
    const job: BatchJob = { jobId, state: 'running', folder: o.outDir, total: cases.length, finished: 0, cases, result: null, error: null };
    this.jobs.set(jobId, { job, controller, outDir: o.outDir });

    const onProgress = (p: BatchProgress) => {
      const row = rows.get(p.caseId);
      if (!row) return;
      if (p.status === 'building' || p.status === 'packet') {
        row.state = 'building';
        row.phase = p.phase ?? null;
        return;
      }
      row.state = p.status;
      row.phase = null;
      row.packetSha256 = p.packetSha256 ?? null;
      row.error = p.error ?? null;
      job.finished = cases.filter((c) => c.state === 'done' || c.state === 'failed' || c.state === 'skipped').length;
    };
    batchExport(vault, { selection: o.selection, recipientId: o.recipientId, outDir: o.outDir, signal: controller.signal, t: o.t, onProgress })
      .then((r) => {
        // cases a cancel stopped mid-build go back to waiting: a resume builds them
        for (const row of cases) if (row.state === 'building') row.state = 'queued';
        job.result = { built: r.built, skipped: r.skipped, failed: r.failed.length, summaryCsv: basename(r.summaryCsv), summaryXlsx: basename(r.summaryXlsx) };
        job.state = r.cancelled ? 'cancelled' : 'done';
      })
      .catch((err) => {
        for (const row of cases) if (row.state === 'building') row.state = 'queued';
        job.state = err instanceof RedressError && err.code === 'CANCELLED' ? 'cancelled' : 'failed';
        job.error = toErrorValue(err);
      });
    return jobId;
  }
}
