import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RedressError } from '../errors.js';

/**
 * One process at a time opens a vault: recovery after a crash moves unreferenced files to quarantine and removes
 * partial writes, which would be unsafe while another process is between writing a file and committing its record.
 * A lock left by a dead process is taken over.
 */
const heldHere = new Set<string>();

export class ProcessLock {
  private constructor(private readonly path: string) {}

  static async acquire(dataDir: string): Promise<ProcessLock> {
    const path = join(dataDir, 'vault.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const handle = await open(path, 'wx', 0o600);
        await handle.writeFile(String(process.pid));
        await handle.close();
        heldHere.add(path);
        return new ProcessLock(path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
        // Our own pid is only ours if this process took the lock; otherwise it is a dead process's, reused.
        const ownedHere = pid === process.pid && heldHere.has(path);
        if (ownedHere || (pid && pid !== process.pid && isAlive(pid))) throw new RedressError('VAULT_BUSY', { dir: dataDir, pid });
        await rm(path, { force: true });
      }
    }
    throw new RedressError('VAULT_BUSY', { dir: dataDir, pid: '?' });
  }

  async release(): Promise<void> {
    heldHere.delete(this.path);
    await rm(this.path, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
