import type { ErrorValue } from '../../../shared/errors.js';
import type { AttachHandle } from '../vault/vault.js';

/** Messages between batch-export.ts and its packet workers (worker.ts). */
export interface WorkerInit {
  handle: AttachHandle;
  actor: string;
}

export type ToWorker =
  /** packetsDir: the batch's packets folder; the worker makes the case's own folder in it (job-folder.ts) */
  | { type: 'job'; jobId: number; caseId: string; recipientId: string; lang?: string; packetsDir: string }
  | { type: 'cancel' }
  | { type: 'close' };

export interface PacketSummary {
  dir: string;
  zipPath: string;
  pdfPath: string;
  packetSha256: string;
  pages: number;
  volumes: number;
}

export type FromWorker =
  | { type: 'ready' }
  | { type: 'progress'; jobId: number; phase: string; done: number; total: number }
  | { type: 'done'; jobId: number; packet: PacketSummary }
  | { type: 'failed'; jobId: number; error: ErrorValue }
  | { type: 'closed' };
