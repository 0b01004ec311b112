// A packet worker: one connection to the vault its parent holds open, building one case's packet at a time.
import { lstat } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { RedressError, toErrorValue } from '../errors.js';
import { buildPacket, recordedPacketsIn } from '../packets/index.js';
import type { PacketLang } from '../packets/index.js';
import { Vault } from '../vault/vault.js';
import { createJobFolder, jobFolder, removeJobFolder, setAsideJobFolder } from './job-folder.js';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.js';

const init = workerData as WorkerInit;
const port = parentPort!;
const vault = Vault.attach(init.handle, { actor: init.actor });
let current: AbortController | null = null;
const send = (m: FromWorker) => port.postMessage(m);

/** Two connections appending to the custody table at once can meet SQLITE_BUSY; the build is simply redone. */
function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

async function run(job: Extract<ToWorker, { type: 'job' }>): Promise<void> {
  current = new AbortController();
  const { signal } = current;
  try {
    for (let attempt = 1; ; attempt++) {
      // The case's own folder, made afresh. What an earlier attempt left there is removed, unless it holds a packet the
      // chain records (a run that died after the export entry, or after the rename but before the batch's state file):
      // that is set aside instead. Only a folder the batch made itself is ever touched (job-folder.ts).
      await keepRecorded(job.packetsDir, job.caseId);
      const outDir = await createJobFolder(job.packetsDir, job.caseId);
      try {
        const result = await buildPacket(vault, {
          caseId: job.caseId,
          recipientId: job.recipientId,
          ...(job.lang ? { lang: job.lang as PacketLang } : {}),
          outDir,
          signal,
          onProgress: (p) => send({ type: 'progress', jobId: job.jobId, phase: p.phase, done: p.done, total: p.total }),
        });
        send({ type: 'done', jobId: job.jobId, packet: { dir: result.dir, zipPath: result.zipPath, pdfPath: result.pdfPath, packetSha256: result.packetSha256, pages: result.pages, volumes: result.volumes.length } });
        return;
      } catch (err) {
        if (isBusy(err) && attempt < 4 && !signal.aborted) continue;
        throw err;
      }
    }
  } catch (err) {
    if (!signal.aborted) {
      await keepRecorded(job.packetsDir, job.caseId)
        .then(async (kept) => void (kept || (await removeJobFolder(job.packetsDir, job.caseId))))
        .catch(() => undefined);
    }
    send({ type: 'failed', jobId: job.jobId, error: toErrorValue(signal.aborted ? new RedressError('CANCELLED') : err) });
  } finally {
    current = null;
  }
}

/**
 * Sets the case's job folder aside when it holds a recorded packet (put in place, or kept in its private folder by a
 * rename that failed after the export entry): removing it would leave an entry naming files that no longer exist.
 */
async function keepRecorded(packetsDir: string, caseId: string): Promise<boolean> {
  const dir = jobFolder(packetsDir, caseId);
  // Not a real folder (a link, a file): not the batch's, and createJobFolder refuses it; nothing is read through it.
  if (!(await lstat(dir).then((i) => i.isDirectory(), () => false))) return false;
  const recorded = await recordedPacketsIn(vault, dir, caseId);
  if (!recorded.length) return false;
  return (await setAsideJobFolder(packetsDir, caseId)) !== null;
}

let queue = Promise.resolve();
port.on('message', (m: ToWorker) => {
  if (m.type === 'cancel') current?.abort();
  else if (m.type === 'job') queue = queue.then(() => run(m));
  else if (m.type === 'close') {
    queue = queue.then(async () => {
      await vault.close();
      send({ type: 'closed' });
      port.close();
    });
  }
});
send({ type: 'ready' });
