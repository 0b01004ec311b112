import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { z } from 'zod';
import type { BundleJobSchema } from '../../../shared/ipc/channels-association.js';
import { exportBundle, importBundle, type BundleProgress } from '../bundles/index.js';
import { BackgroundJobs } from './background-jobs.js';
import { RedressError, toErrorValue } from '../errors.js';
import type { KdfParams } from '../vault/keys.js';
import type { Vault } from '../vault/vault.js';

export type BundleJob = z.infer<typeof BundleJobSchema>;

/**
 * Exporting and importing a case bundle can take minutes for a large case (scrypt, then every original encrypted
 * or hashed): both run in the background, with progress the UI polls and a cancel. An import that fails or is
 * cancelled stores nothing (importBundle checks everything first, then writes in one transaction).
 */
export class BundleJobs extends BackgroundJobs<BundleJob> {
  constructor() {
    super('bundle job');
  }

  startExport(vault: Vault, caseId: string, out: string, passphrase: string, kdf?: KdfParams): string {
    const { job, controller } = this.create('export');
    exportBundle(vault, caseId, { out, passphrase, signal: controller.signal, onProgress: this.progress(job), ...(kdf ? { kdf } : {}) })
      .then((r) => {
        job.exported = { caseId: r.caseId, file: basename(r.file), bytes: r.bytes, sha256: r.sha256, items: r.items, entries: r.entries };
        job.state = 'done';
      })
      .catch((err) => this.fail(job, err));
    return job.jobId;
  }

  startImport(vault: Vault, path: string, passphrase: string, acceptSigner = false): string {
    const { job, controller } = this.create('import');
    importBundle(vault, path, { passphrase, acceptSigner, signal: controller.signal, onProgress: this.progress(job) })
      .then((r) => {
        job.imported = {
          caseId: r.caseId,
          title: vault.cases.get(r.caseId).title,
          status: r.status,
          entriesAdded: r.entriesAdded,
          itemsAdded: r.itemsAdded,
          exportedBy: r.exportedBy,
          exportedAt: r.exportedAt,
          bundleSha256: r.bundleSha256,
          signer: r.signer,
        };
        job.state = 'done';
      })
      .catch((err) => this.fail(job, err));
    return job.jobId;
  }


  private create(kind: BundleJob['kind']) {
    const job: BundleJob = { jobId: randomUUID(), kind, state: 'running', phase: null, done: 0, total: 0, exported: null, imported: null, error: null };
    const controller = new AbortController();
    this.jobs.set(job.jobId, { job, controller });
    return { job, controller };
  }

  private progress(job: BundleJob) {
    return (p: BundleProgress) => {
      job.phase = p.phase;
      job.done = p.done;
      job.total = p.total;
    };
  }

  private fail(job: BundleJob, err: unknown) {
    job.state = err instanceof RedressError && err.code === 'CANCELLED' ? 'cancelled' : 'failed';
    job.error = toErrorValue(err);
  }
}
