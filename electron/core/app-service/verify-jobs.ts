import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { VerifyJobSchema } from '../../../shared/ipc/schemas.js';
import { BackgroundJobs } from './background-jobs.js';
import { RedressError, toErrorValue } from '../errors.js';
import type { Vault } from '../vault/vault.js';

export type VerifyJob = z.infer<typeof VerifyJobSchema>;

/**
 * Verification runs in the background; the UI polls its progress (a transport-independent way to stream it) and
 * can cancel it. Jobs die with the vault: locking aborts them.
 */
export class VerifyJobs extends BackgroundJobs<VerifyJob> {
  constructor() {
    super('verification');
  }

  start(vault: Vault, caseId?: string): string {
    const jobId = randomUUID();
    const controller = new AbortController();
    const caseIds = caseId ? [vault.cases.get(caseId).id] : vault.cases.ids();
    const itemsTotal = caseIds.reduce((n, id) => n + vault.cases.get(id).itemCount, 0);
    const job: VerifyJob = { jobId, state: 'running', itemsDone: 0, itemsTotal, report: null, error: null };
    this.jobs.set(jobId, { job, controller });
    const doneBefore = new Map<string, number>();
    vault.reader
      .verify(caseId, {
        signal: controller.signal,
        onProgress: (p) => {
          doneBefore.set(p.caseId, p.itemsDone);
          job.itemsDone = [...doneBefore.values()].reduce((a, b) => a + b, 0);
        },
      })
      .then((report) => {
        job.report = report;
        job.state = 'done';
        job.itemsDone = itemsTotal;
      })
      .catch((err) => {
        const cancelled = err instanceof RedressError && err.code === 'CANCELLED';
        job.state = cancelled ? 'cancelled' : 'failed';
        job.error = toErrorValue(err);
      });
    return jobId;
  }
}
