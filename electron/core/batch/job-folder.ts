import { lstat, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { constants } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { RedressError } from '../errors.js';

/**
 * The folder a batch builds one case's packet in: <batch>/packets/<case id>/. A case id is data (a bundle's case id
 * once was an unchecked string, and `../../<folder>` made a batch delete that folder and everything in it), so:
 *
 *  - the path is built only from an id that is one plain name (letters, digits and hyphens, as the vault's UUIDs),
 *    and only if, resolved, it is a direct child of the packets folder;
 *  - a job creates its folder itself (never reusing one it finds) and writes a marker file in it at once;
 *  - a job deletes a folder only if it is a real folder (not a symlink), directly in the packets folder, holding
 *    the marker for the same case: a folder of that name that someone else made, or a link, is left alone and the
 *    case fails with OUTPUT_UNWRITABLE, saying why. fs.rm never follows symlinks inside the folder it removes.
 */
export const JOB_MARKER = '.redress-batch-job';

const SAFE_NAME = /^[A-Za-z0-9-]{1,100}$/;

/** The job folder of a case, or a refusal when its id cannot name a folder inside the packets folder. */
export function jobFolder(packetsDir: string, caseId: string): string {
  const base = resolve(packetsDir);
  const dir = resolve(base, caseId);
  if (!SAFE_NAME.test(caseId) || dirname(dir) !== base || relative(base, dir) !== caseId) {
    throw new RedressError('OUTPUT_UNWRITABLE', { path: join(base, '…'), reason: `the case id ${JSON.stringify(caseId.slice(0, 80))} cannot name a folder; it was not built` });
  }
  return dir;
}

function marker(caseId: string): string {
  return `${JSON.stringify({ createdBy: 'redress batch-export', caseId })}\n`;
}

type Ownership = { state: 'absent' } | { state: 'ours' } | { state: 'foreign'; reason: string };
const FOREIGN: Ownership = { state: 'foreign', reason: 'a folder of that name is already there and was not made by this batch; move it away and run again' };

/** Whether dir is a job folder this batch made for caseId: a real directory (lstat: a link is not followed) with the marker. */
async function ownership(dir: string, caseId: string): Promise<Ownership> {
  const info = await lstat(dir).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? null : Promise.reject(err)));
  if (!info) return { state: 'absent' };
  if (info.isSymbolicLink()) return { state: 'foreign', reason: 'it is a link, which a batch never follows' };
  if (!info.isDirectory()) return { state: 'foreign', reason: 'it is not a folder' };
  const markerPath = join(dir, JOB_MARKER);
  const mark = await lstat(markerPath).catch(() => null);
  if (!mark?.isFile()) return FOREIGN;
  const text = await readFile(markerPath, { encoding: 'utf8', flag: constants.O_RDONLY | constants.O_NOFOLLOW }).catch(() => '');
  return text === marker(caseId) ? { state: 'ours' } : FOREIGN;
}

/** Removes the case's job folder if (and only if) this batch made it; refuses to touch anything else. */
export async function removeJobFolder(packetsDir: string, caseId: string): Promise<void> {
  const dir = jobFolder(packetsDir, caseId);
  const owner = await ownership(dir, caseId);
  if (owner.state === 'absent') return;
  if (owner.state === 'foreign') throw new RedressError('OUTPUT_UNWRITABLE', { path: dir, reason: owner.reason });
  await rm(dir, { recursive: true, force: true });
}

/**
 * Moves the case's job folder (only one this batch made) aside, to <case id>.kept-<time> beside it, so that a new
 * attempt can start afresh without deleting what it holds; null when there is none.
 */
export async function setAsideJobFolder(packetsDir: string, caseId: string): Promise<string | null> {
  const dir = jobFolder(packetsDir, caseId);
  const owner = await ownership(dir, caseId);
  if (owner.state === 'absent') return null;
  if (owner.state === 'foreign') throw new RedressError('OUTPUT_UNWRITABLE', { path: dir, reason: owner.reason });
  const kept = `${dir}.kept-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  try {
    await mkdir(kept, { mode: 0o700 }); // claims the name: rename() would replace an empty folder of that name
    await rename(dir, join(kept, caseId));
  } catch (err) {
    throw new RedressError('OUTPUT_UNWRITABLE', { path: dir, reason: `it could not be moved aside: ${(err as NodeJS.ErrnoException).code ?? String(err)}` }, { cause: err });
  }
  return join(kept, caseId);
}

/**
 * A fresh job folder for the case, with its marker: whatever an interrupted earlier attempt of this batch left
 * there is removed first (it is not a finished packet); anything else under that name makes the case fail.
 */
export async function createJobFolder(packetsDir: string, caseId: string): Promise<string> {
  await removeJobFolder(packetsDir, caseId);
  const dir = jobFolder(packetsDir, caseId);
  try {
    await mkdir(dir, { mode: 0o700 }); // not recursive: the packets folder must be there, and dir must not
  } catch (err) {
    throw new RedressError('OUTPUT_UNWRITABLE', { path: dir, reason: (err as NodeJS.ErrnoException).code === 'EEXIST' ? 'a folder of that name appeared while the batch ran' : String((err as Error).message) }, { cause: err });
  }
  const handle = await open(join(dir, JOB_MARKER), constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
  try {
    await handle.writeFile(marker(caseId));
  } finally {
    await handle.close();
  }
  return dir;
}

/** The packets folder of a batch: made if missing, and never a link (the job folders' containment starts here). */
export async function packetsFolder(outDir: string): Promise<string> {
  const dir = join(resolve(outDir), 'packets');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info = await lstat(dir);
  if (!info.isDirectory() || info.isSymbolicLink()) throw new RedressError('OUTPUT_UNWRITABLE', { path: dir, reason: 'it is not a folder (a link?); a batch only writes into a real folder' });
  return dir;
}
