import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { RedressError } from '../errors.js';

export interface ZipEntry {
  /** file on disk */
  source: string;
  /** name inside the ZIP (forward slashes) */
  name: string;
}

// Already-compressed formats are stored: deflating them costs time and gains nothing.
const STORED = /\.(jpe?g|png|gif|webp|heic|heif|avif|mp4|mov|m4a|mp3|aac|ogg|opus|zip|gz|pdf|docx|xlsx)$/i;

/** Writes a ZIP (UTF-8 names) next to its final path and renames it into place when complete. */
export async function writeZip(entries: ZipEntry[], path: string, mtime: Date, signal?: AbortSignal): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const e of entries) zip.addFile(e.source, e.name, { compress: !STORED.test(e.name), mtime, mode: 0o100644 });
  zip.end();
  const partial = `${path}.partial`;
  try {
    await pipeline(zip.outputStream, createWriteStream(partial), { signal });
    await rename(partial, path);
  } catch (err) {
    await rm(partial, { force: true });
    if (signal?.aborted) throw new RedressError('CANCELLED');
    throw err;
  }
}
