import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { PacketJobSchema } from '../../../shared/ipc/channels-packets.js';
import { BackgroundJobs } from './background-jobs.js';
import { RedressError, toErrorValue } from '../errors.js';
import { buildPacket, type BuildPacketOptions } from '../packets/index.js';
import type { Vault } from '../vault/vault.js';

export type PacketJob = z.infer<typeof PacketJobSchema>;

/**
 * Packet builds run in the background like verification: the UI polls progress and may cancel. A cancelled or
 * failed build leaves no packet folder behind (buildPacket assembles under a temporary name). Locking aborts them.
 */
export class PacketJobs extends BackgroundJobs<PacketJob> {
  constructor() {
    super('packet build');
  }

  start(vault: Vault, options: Omit<BuildPacketOptions, 'signal' | 'onProgress'>): string {
    const jobId = randomUUID();
    const controller = new AbortController();
    const job: PacketJob = { jobId, state: 'running', phase: 'originals', done: 0, total: 0, result: null, error: null };
    this.jobs.set(jobId, { job, controller });
    buildPacket(vault, {
      ...options,
      signal: controller.signal,
      onProgress: (p) => Object.assign(job, { phase: p.phase, done: p.done, total: p.total }),
    })
      .then((r) => {
        job.state = 'done';
        job.result = {
          dir: r.dir,
          zipPath: r.zipPath,
          pdfPath: r.pdfPath,
          packetSha256: r.packetSha256,
          keyFingerprint: r.keyFingerprint,
          pages: r.pages,
          files: r.files.length,
          volumes: r.volumes,
          oversized: r.oversized,
          locationKept: r.locationKept,
        };
      })
      .catch((err) => {
        // an abort can surface from a stream as AbortError rather than our own CANCELLED
        const cancelled = controller.signal.aborted || (err instanceof RedressError && err.code === 'CANCELLED');
        job.state = cancelled ? 'cancelled' : 'failed';
        job.error = toErrorValue(cancelled ? new RedressError('CANCELLED') : err);
      });
    return jobId;
  }
}
