// A packet worker: one connection to the vault its parent holds open, building one case's packet at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { RedressError, toErrorValue } from '../errors.js';
import { buildPacket } from '../packets/index.js';
import type { PacketLang } from '../packets/index.js';
import { Vault } from '../vault/vault.js';
import { createJobFolder, removeJobFolder } from './job-folder.js';
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
      // The case's own folder, made afresh: whatever an interrupted earlier attempt of the batch left there is not a
      // finished packet. Only a folder the batch made itself is ever removed (job-folder.ts).
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
    if (!signal.aborted) await removeJobFolder(job.packetsDir, job.caseId).catch(() => undefined);
    send({ type: 'failed', jobId: job.jobId, error: toErrorValue(signal.aborted ? new RedressError('CANCELLED') : err) });
  } finally {
    current = null;
  }
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
