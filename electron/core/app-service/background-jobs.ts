import { RedressError } from '../errors.js';

/**
 * What every kind of background work (verification, packet builds, batch exports, bundles) shares: jobs by id, a
 * status the UI polls (a copy, so the running job can keep changing its own), a cancel, and an abort of everything
 * when the vault locks, since jobs die with the vault.
 */
export abstract class BackgroundJobs<J, Extra extends object = object> {
  protected readonly jobs = new Map<string, { job: J; controller: AbortController } & Extra>();

  /** @param kind what the UI calls this work, for the error when a job id is unknown */
  protected constructor(private readonly kind: string) {}

  status(jobId: string): J {
    const entry = this.jobs.get(jobId);
    if (!entry) throw new RedressError('INVALID_INPUT', { field: 'jobId', reason: `no such ${this.kind}` });
    return structuredClone(entry.job);
  }

  cancel(jobId: string): void {
    this.jobs.get(jobId)?.controller.abort();
  }

  abortAll(): void {
    for (const { controller } of this.jobs.values()) controller.abort();
    this.jobs.clear();
  }
}
