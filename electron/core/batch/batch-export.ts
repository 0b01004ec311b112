import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { i18n } from 'i18next';
import type { ErrorValue } from '../../../shared/errors.js';
import { errorValue } from '../../../shared/errors.js';
import { RedressError, toErrorValue } from '../errors.js';
import { getRecipient } from '../packets/index.js';
import { selectCases, transactionPlatforms, type CaseSelection } from '../stats/index.js';
import type { Vault } from '../vault/vault.js';
import type { FromWorker, PacketSummary, ToWorker, WorkerInit } from './protocol.js';
import { spawnModuleWorker } from '../async/spawn-worker.js';
import { jobFolder, packetsFolder } from './job-folder.js';
import { loadState, saveState, type CaseOutcome } from './state.js';
import { platformsOf, writeSummary } from './summary.js';

export interface BatchProgress {
  caseId: string;
  /** position of the case among the matching ones, from 1 */
  index: number;
  total: number;
  status: 'building' | 'packet' | 'done' | 'failed' | 'skipped';
  /** with status 'packet': the packet builder's own phase */
  phase?: string;
  done?: number;
  of?: number;
  packetSha256?: string;
  error?: ErrorValue;
}

export interface BatchExportOptions {
  selection?: CaseSelection;
  recipientId: string;
  lang?: string;
  /** the batch folder: packets/<case id>/..., summary.csv, summary.xlsx and batch-state.json (for resuming) */
  outDir: string;
  /** packet workers (worker threads); default: the machine's cores, at most 4 */
  workers?: number;
  signal?: AbortSignal;
  onProgress?: (p: BatchProgress) => void;
  /** language of the summary's column names and messages */
  t: i18n['t'];
}

export interface BatchExportResult {
  outDir: string;
  total: number;
  built: number;
  /** finished in an earlier run of the same batch (resumed) */
  skipped: number;
  failed: { caseId: string; error: ErrorValue }[];
  cancelled: boolean;
  summaryCsv: string;
  summaryXlsx: string;
  cases: { caseId: string; outcome: CaseOutcome | null }[];
}

/**
 * Builds one packet per matching case, in parallel worker threads (each with its own connection to the vault,
 * see Vault.attach), and writes a summary table. The state file makes the batch resumable: run it again with the
 * same folder and finished cases are skipped. A case that fails is recorded and the batch goes on. Cancelling
 * (signal) lets each worker stop its current packet (which leaves nothing behind), records the state, writes the
 * summary of what is done, and resolves with cancelled: true.
 */
export async function batchExport(vault: Vault, options: BatchExportOptions): Promise<BatchExportResult> {
  const recipient = getRecipient(options.recipientId);
  const outDir = options.outDir;
  const info = await stat(outDir).catch(() => null);
  if (info && !info.isDirectory()) throw new RedressError('OUTPUT_UNWRITABLE', { path: outDir, reason: 'not a folder' });
  const packetsDir = await packetsFolder(outDir);
  const state = await loadState(outDir, recipient.id, options.lang ?? null);
  const cases = selectCases(vault, options.selection ?? {});
  const total = cases.length;
  const indexOf = new Map(cases.map((c, i) => [c.id, i + 1]));
  const progress = (p: Omit<BatchProgress, 'index' | 'total'>) => options.onProgress?.({ ...p, index: indexOf.get(p.caseId) ?? 0, total });

  const todo: string[] = [];
  let skipped = 0;
  for (const c of cases) {
    if (state.cases[c.id]?.status === 'done') {
      skipped++;
      progress({ caseId: c.id, status: 'skipped', packetSha256: (state.cases[c.id] as { packet: PacketSummary }).packet.packetSha256 });
    } else todo.push(c.id);
  }

  let built = 0;
  const failed: BatchExportResult['failed'] = [];
  let cancelled = false;
  if (todo.length) {
    const size = Math.max(1, Math.min(options.workers ?? Math.min(4, availableParallelism()), todo.length));
    const outcome = await runWorkers(vault, todo, size, {
      recipientId: recipient.id,
      ...(options.lang ? { lang: options.lang } : {}),
      packetsDir,
      ...(options.signal ? { signal: options.signal } : {}),
      onStart: (caseId) => progress({ caseId, status: 'building' }),
      onPacketProgress: (caseId, phase, done, of) => progress({ caseId, status: 'packet', phase, done, of }),
      onFinished: async (caseId, result) => {
        const finishedAt = new Date().toISOString();
        if ('packet' in result) {
          state.cases[caseId] = { status: 'done', finishedAt, packet: result.packet };
          built++;
          progress({ caseId, status: 'done', packetSha256: result.packet.packetSha256 });
        } else {
          state.cases[caseId] = { status: 'failed', finishedAt, error: result.error };
          failed.push({ caseId, error: result.error });
          progress({ caseId, status: 'failed', error: result.error });
        }
        await saveState(outDir, state);
      },
    });
    cancelled = outcome.cancelled;
  } else {
    await saveState(outDir, state);
  }

  const summaryCsv = join(outDir, 'summary.csv');
  const summaryXlsx = join(outDir, 'summary.xlsx');
  const txPlatforms = transactionPlatforms(vault.context.db);
  await writeSummary(
    { csv: summaryCsv, xlsx: summaryXlsx },
    outDir,
    cases.map((kase) => ({ kase, platforms: platformsOf(kase, txPlatforms?.(kase.id) ?? []), outcome: state.cases[kase.id] as CaseOutcome | undefined })),
    options.t,
  );
  return { outDir, total, built, skipped, failed, cancelled, summaryCsv, summaryXlsx, cases: cases.map((c) => ({ caseId: c.id, outcome: (state.cases[c.id] as CaseOutcome | undefined) ?? null })) };
}

interface RunOptions {
  recipientId: string;
  lang?: string;
  packetsDir: string;
  signal?: AbortSignal;
  onStart: (caseId: string) => void;
  onPacketProgress: (caseId: string, phase: string, done: number, total: number) => void;
  onFinished: (caseId: string, result: { packet: PacketSummary } | { error: ErrorValue }) => Promise<void>;
}

function spawnWorker(workerData: WorkerInit): Worker {
  return spawnModuleWorker(import.meta.url, 'worker', { workerData });
}

/** A small pool: each worker takes the next case when it finishes one. A worker that dies is replaced. */
async function runWorkers(vault: Vault, todo: string[], size: number, o: RunOptions): Promise<{ cancelled: boolean }> {
  const queue = [...todo];
  let cancelled = false;
  let nextJob = 1;
  const init: WorkerInit = { handle: vault.attachHandle(), actor: vault.context.actor };
  const live = new Set<Worker>();
  let startFailure: Error | undefined;
  // Outcomes are recorded one at a time (each rewrites the state file).
  let recording = Promise.resolve();
  const record = (caseId: string, result: { packet: PacketSummary } | { error: ErrorValue }) => (recording = recording.then(() => o.onFinished(caseId, result)));

  const onAbort = () => {
    cancelled = true;
    queue.length = 0;
    for (const w of live) w.postMessage({ type: 'cancel' } satisfies ToWorker);
  };
  if (o.signal?.aborted) onAbort();
  o.signal?.addEventListener('abort', onAbort, { once: true });

  const runOne = () =>
    new Promise<void>((resolve) => {
      const worker = spawnWorker(init);
      let ready = false;
      live.add(worker);
      let current: { jobId: number; caseId: string } | null = null;
      let closing = false;
      const next = () => {
        const caseId = queue.shift();
        if (!caseId || cancelled) {
          closing = true;
          worker.postMessage({ type: 'close' } satisfies ToWorker);
          return;
        }
        o.onStart(caseId);
        // A case id that cannot name a folder inside the packets folder fails here, before any worker touches a path.
        try {
          jobFolder(o.packetsDir, caseId);
        } catch (err) {
          void record(caseId, { error: toErrorValue(err) });
          next();
          return;
        }
        current = { jobId: nextJob++, caseId };
        worker.postMessage({ type: 'job', jobId: current.jobId, caseId, recipientId: o.recipientId, ...(o.lang ? { lang: o.lang } : {}), packetsDir: o.packetsDir } satisfies ToWorker);
      };
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          ready = true;
          next();
        }
        else if (m.type === 'progress' && current) o.onPacketProgress(current.caseId, m.phase, m.done, m.total);
        else if ((m.type === 'done' || m.type === 'failed') && current) {
          const { caseId } = current;
          current = null;
          // A packet stopped by cancelling is neither done nor failed: it is simply still to do.
          if (m.type === 'failed' && m.error.code === 'CANCELLED') {
            next();
            return;
          }
          void record(caseId, m.type === 'done' ? { packet: m.packet } : { error: m.error });
          next();
        }
      });
      const finish = () => {
        live.delete(worker);
        resolve();
      };
      worker.on('error', (err) => {
        if (!ready) {
          // A worker that cannot even start would fail the same way again: stop the batch.
          live.delete(worker);
          startFailure ??= err;
          resolve();
          return;
        }
        // The worker died (a crash in a native module, out of memory): its case failed; carry on with a new worker.
        if (current) void record(current.caseId, { error: errorValue('INTERNAL', { detail: `packet worker stopped: ${err.message}`.slice(0, 300) }) });
        current = null;
        live.delete(worker);
        if (!closing && queue.length && !cancelled) runOne().then(resolve);
        else resolve();
      });
      worker.on('exit', () => {
        if (live.has(worker)) finish();
      });
    });

  try {
    await Promise.all(Array.from({ length: size }, () => runOne()));
    await recording;
    if (startFailure) throw new RedressError('INTERNAL', { detail: `packet workers could not start: ${(startFailure as Error).message}`.slice(0, 300) });
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    init.handle.database.fill(0);
  }
  return { cancelled };
}
