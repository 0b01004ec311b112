import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { RedressError } from '../errors.js';
import { fsyncDir, type ObjectStore } from './object-store.js';
import { SealedFileError, sealedPlaintextSize } from './sealed-file.js';

/**
 * Nothing is deleted automatically. A sealed original in objects/ that no record refers to is either a file whose
 * commit never happened (a crash between the rename and the commit) or the only copy of evidence whose record was
 * lost (vault.db deleted, an older backup of it restored, its WAL lost or damaged): no open can tell which, so every
 * such file is moved here, inside the vault and still sealed, and reported. The user re-attaches it to a case (a new
 * item, on that case's custody chain) or discards it, explicitly. A quarantined file that a record refers to again
 * (a newer database was put back) returns to objects/ by itself.
 *
 * Layout: quarantine/NAME (the sealed file, moved as it was; NAME is its object name, with -2, -3... when the same
 * content is set aside twice) and quarantine/NAME.json (why and when it was set aside). The file's mtime still says
 * when it was stored.
 */
/**
 * Its boundary schemas are QuarantineEntry and QuarantineSummary in shared/custody.ts (vault/'s storage may import
 * nothing outside the core); vault.ts checks at compile time that they are these types.
 */
export type QuarantineReason = 'unreferenced' | 'unfinished-write';

export interface QuarantineEntry {
  /** the file's name in quarantine/; a unique prefix of it is enough to name it */
  id: string;
  /** plaintext bytes, from the sealed file's length (null if its header is unreadable) */
  size: number | null;
  sealedBytes: number;
  /** when the original was stored in this vault (the sealed file's mtime) */
  storedAt: string;
  quarantinedAt: string;
  reason: QuarantineReason;
}

export interface QuarantineSummary {
  count: number;
  /** plaintext bytes */
  bytes: number;
  /** the earliest and latest storedAt */
  oldest: string | null;
  newest: string | null;
}

const ENTRY = /^[0-9a-f]{64}(-[0-9]+)?$/;

export class Quarantine {
  readonly dir: string;

  constructor(
    dataDir: string,
    private readonly objects: ObjectStore,
  ) {
    this.dir = join(dataDir, 'quarantine');
  }

  pathOf(id: string): string {
    if (!ENTRY.test(id)) throw new RedressError('QUARANTINE_NOT_FOUND', { ref: id });
    return join(this.dir, id);
  }

  async list(): Promise<QuarantineEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: QuarantineEntry[] = [];
    for (const id of names.filter((n) => ENTRY.test(n))) {
      const entry = await this.describe(id);
      if (entry) out.push(entry);
    }
    return out.sort((a, b) => a.storedAt.localeCompare(b.storedAt) || a.id.localeCompare(b.id));
  }

  /** The entry a unique prefix of its id names. */
  async resolve(ref: string): Promise<QuarantineEntry> {
    const needle = ref.trim().toLowerCase();
    const entries = await this.list();
    const exact = entries.find((e) => e.id === needle);
    if (exact) return exact;
    const matches = needle.length >= 4 ? entries.filter((e) => e.id.startsWith(needle)) : [];
    if (matches.length === 0) throw new RedressError('QUARANTINE_NOT_FOUND', { ref });
    if (matches.length > 1) throw new RedressError('QUARANTINE_AMBIGUOUS', { ref, matches: matches.map((e) => e.id.slice(0, 12)).join(', ') });
    return matches[0]!;
  }

  /** Moves a sealed file of this vault into quarantine, durably; never over another quarantined file. */
  async setAside(path: string, objectName: string, reason: QuarantineReason): Promise<QuarantineEntry> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    let id = objectName;
    for (let n = 2; await exists(join(this.dir, id)); n++) id = `${objectName}-${n}`;
    const target = join(this.dir, id);
    await rename(path, target);
    const quarantinedAt = new Date().toISOString();
    await writeDurably(`${target}.json`, JSON.stringify({ v: 1, reason, quarantinedAt }) + '\n');
    await fsyncDir(this.dir);
    await fsyncDir(dirname(path));
    return (await this.describe(id)) ?? { id, size: null, sealedBytes: 0, storedAt: quarantinedAt, quarantinedAt, reason };
  }

  /** Puts back into objects/ every quarantined original that a record refers to again; how many. */
  async restoreReferenced(referenced: ReadonlySet<string>): Promise<number> {
    let restored = 0;
    for (const entry of await this.list()) {
      const name = entry.id.slice(0, 64);
      if (!referenced.has(name) || (await this.objects.has(name))) continue;
      if (await this.objects.adopt(join(this.dir, entry.id), name)) {
        await rm(join(this.dir, `${entry.id}.json`), { force: true });
        restored++;
      }
    }
    return restored;
  }

  /** Deletes one quarantined file for good: only on the user's explicit request, or once its content is an item. */
  async remove(id: string): Promise<void> {
    const path = this.pathOf(id);
    await rm(path);
    await rm(`${path}.json`, { force: true });
    await fsyncDir(this.dir);
  }

  private async describe(id: string): Promise<QuarantineEntry | null> {
    const path = join(this.dir, id);
    let info;
    try {
      info = await stat(path);
    } catch {
      return null;
    }
    if (!info.isFile()) return null;
    const meta = safeJson(await readFile(`${path}.json`, 'utf8').catch(() => ''));
    const reason: QuarantineReason = meta?.reason === 'unfinished-write' ? 'unfinished-write' : 'unreferenced';
    const quarantinedAt = typeof meta?.quarantinedAt === 'string' && !Number.isNaN(Date.parse(meta.quarantinedAt)) ? meta.quarantinedAt : info.ctime.toISOString();
    const size = await sealedPlaintextSize(path).catch(() => null);
    return { id, size, sealedBytes: info.size, storedAt: info.mtime.toISOString(), quarantinedAt, reason };
  }
}

export function summarize(entries: readonly QuarantineEntry[]): QuarantineSummary {
  const dates = entries.map((e) => e.storedAt).sort();
  return { count: entries.length, bytes: entries.reduce((a, e) => a + (e.size ?? 0), 0), oldest: dates[0] ?? null, newest: dates.at(-1) ?? null };
}

/**
 * Sets aside every object in objects/ that no record refers to. Safe only under the process lock: nobody else is then
 * between writing an object and committing its record.
 */
export async function setAsideUnreferenced(objects: ObjectStore, quarantine: Quarantine, referenced: ReadonlySet<string>): Promise<QuarantineEntry[]> {
  const out: QuarantineEntry[] = [];
  for (const name of await objects.listObjectNames()) {
    if (!referenced.has(name)) out.push(await quarantine.setAside(objects.pathOf(name), name, 'unreferenced'));
  }
  return out;
}

/**
 * What a crash left in tmp/. A .part file is never referenced by a record (only a renamed object is), so removing one
 * loses nothing committed; but one that authenticates completely (every chunk, the last one flagged final) holds a
 * whole original: a paste or capture killed between its fsync and its rename may exist nowhere else, so it is
 * quarantined unless the same content is stored already. Only partial writes, and complete copies of stored content,
 * are removed. Files in tmp/ that are not this store's partial writes are left alone.
 */
export async function settleTempParts(objects: ObjectStore, quarantine: Quarantine): Promise<{ removed: number; setAside: QuarantineEntry[] }> {
  let removed = 0;
  const setAside: QuarantineEntry[] = [];
  for (const path of await objects.tempParts()) {
    let content: { sha256: string } | null;
    try {
      content = await objects.hashPath(path);
    } catch (err) {
      // an unreadable file (permissions, a disk error) is left for a later open to judge
      if (!(err instanceof SealedFileError)) continue;
      content = null;
    }
    const name = content ? objects.nameFor(content.sha256) : null;
    if (name && !(await objects.has(name))) {
      setAside.push(await quarantine.setAside(path, name, 'unfinished-write'));
    } else {
      await rm(path, { force: true });
      removed++;
    }
  }
  return { removed, setAside };
}

async function writeDurably(path: string, text: string): Promise<void> {
  const handle = await open(path, 'w', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

function safeJson(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
