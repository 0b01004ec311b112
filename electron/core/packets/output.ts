import { createHash, randomUUID } from 'node:crypto';
import { chmod, lstat, mkdir, open, readdir, readFile, rename, rm, rmdir, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readEntries } from '../custody/chain.js';
import { RedressError } from '../errors.js';
import { fsyncDir } from '../vault/object-store.js';
import type { Vault } from '../vault/vault.js';

/**
 * Where a packet is written, and how a build that dies (SIGKILL, power cut, crash) is settled.
 *
 * A packet holds decrypted originals, so it is assembled in one private folder beside the output, `.<name>.partial`
 * (0700; nobody else can read what is inside however its files were created), which carries a marker file naming
 * the build and this vault. The order is what makes a crash harmless:
 *
 *   1. a journal entry in the vault (`packet-builds/<build>.json`) names the private folder, so that any later run
 *      finds it whatever output folder the user picks next; then the folder and its marker (state "building");
 *   2. the packet and its ZIP(s) are written inside it; every folder becomes 0700, every file 0600;
 *   3. the marker says "complete", with the packet's SHA-256 (of its SHA256SUMS) and the names to publish;
 *   4. the `packet.exported` custody entry is committed;
 *   5. the folder and ZIP(s) are renamed into the output folder, then the marker, the private folder and the journal
 *      entry are removed.
 *
 * So a packet never appears in the output folder without its entry. A crash before 4 leaves no entry and a private
 * folder that the next run removes. A crash between 4 and 5 leaves an entry whose packet is complete but not in
 * place: the next run (the next packet build, or unlocking the app) FINISHES it, after checking that the files
 * are the packet the entry records (SHA256SUMS hashes to the entry's packetSha256), and says so in its result
 * (`leftovers.finished`). A recorded packet that cannot be put in place (its name is taken meanwhile, its files were
 * altered) is never deleted: it stays in its private folder and every run reports it (`leftovers.unfinished`).
 *
 * Only folders whose marker names this vault and a build that is not running are touched: a build is running when
 * its marker carries this process's id and a start time after this process began (batch export builds several at
 * once, in worker threads of one process). Any other process's build of this vault is dead: the vault's process
 * lock admits one process at a time. The journal is written before the folder, so that a folder left without its
 * marker (a crash between the two) is still known to be ours, and is removed only if empty.
 */

/** The marker file inside a build's private folder. */
export const PACKET_MARKER = '.redress-packet-build.json';
const JOURNAL_DIR = 'packet-builds';
const PARTIAL_NAME = /^\.redress-.+\.partial$/;
const BUILD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** when this process started, as every thread of it sees it */
const PROCESS_STARTED = Date.now() - process.uptime() * 1000;

interface Marker {
  kind: 'redress-packet-build';
  v: 1;
  buildId: string;
  vaultId: string;
  caseId: string;
  /** the packet folder's name (its ZIPs start with it) */
  name: string;
  pid: number;
  startedAt: string;
  state: 'building' | 'complete';
  /** with state complete */
  packetSha256?: string;
  /** with state complete: the names, inside the private folder, that go into the output folder */
  outputs?: string[];
}

interface JournalEntry {
  v: 1;
  buildId: string;
  /** the private folder */
  partial: string;
  caseId: string;
  pid: number;
  startedAt: string;
}

export interface PacketLeftovers {
  /** unfinished builds removed: their export was never recorded */
  removed: number;
  /** recorded exports whose packet was complete but not yet in place: put in place now */
  finished: { caseId: string; dir: string; packetSha256: string }[];
  /** recorded exports whose packet could not be put in place; left in their private folder */
  unfinished: { caseId: string; partial: string; packetSha256: string; reason: string }[];
}

const noLeftovers = (): PacketLeftovers => ({ removed: 0, finished: [], unfinished: [] });

/** One build's private folder. */
export class PacketOutput {
  private constructor(
    private readonly vault: Vault,
    readonly outDir: string,
    readonly name: string,
    private readonly marker: Marker,
    /** what the sweep before this build found */
    readonly leftovers: PacketLeftovers,
  ) {}

  /** the private folder */
  get partial(): string {
    return join(this.outDir, `.${this.name}.partial`);
  }

  /** the packet folder, inside the private folder while it is built */
  get work(): string {
    return join(this.partial, this.name);
  }

  /** where a published file or folder (the packet folder, a ZIP) is written while the packet is built */
  staged(fileName: string): string {
    return join(this.partial, fileName);
  }

  /** where it ends up */
  final(fileName: string): string {
    return join(this.outDir, fileName);
  }

  /**
   * Settles what earlier builds left (this output folder's and any the journal names), refuses a packet name that
   * is taken, and makes the private folder.
   */
  static async begin(vault: Vault, outDir: string, name: string, caseId: string): Promise<PacketOutput> {
    const leftovers = await sweepPacketLeftovers(vault, outDir);
    await mkdir(outDir, { recursive: true, mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
      throw new RedressError('OUTPUT_UNWRITABLE', { path: outDir, reason: err.code ?? err.message }, { cause: err });
    });
    for (const taken of [name, `${name}.zip`]) {
      if (await exists(join(outDir, taken))) throw new RedressError('INVALID_INPUT', { field: 'out', reason: `${join(outDir, taken)} already exists` });
    }
    const marker: Marker = { kind: 'redress-packet-build', v: 1, buildId: randomUUID(), vaultId: vault.keyFile.vaultId, caseId, name, pid: process.pid, startedAt: new Date().toISOString(), state: 'building' };
    const output = new PacketOutput(vault, outDir, name, marker, leftovers);
    const journal = journalDir(vault);
    await mkdir(journal, { recursive: true, mode: 0o700 });
    const entry: JournalEntry = { v: 1, buildId: marker.buildId, partial: output.partial, caseId, pid: marker.pid, startedAt: marker.startedAt };
    await writeAtomically(join(journal, `${marker.buildId}.json`), JSON.stringify(entry));
    try {
      await mkdir(output.partial, { mode: 0o700 });
    } catch (err) {
      await unlink(join(journal, `${marker.buildId}.json`)).catch(() => undefined);
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new RedressError('INVALID_INPUT', { field: 'out', reason: `${output.partial} already exists` });
      throw new RedressError('OUTPUT_UNWRITABLE', { path: outDir, reason: code ?? String(err) }, { cause: err });
    }
    try {
      await chmod(output.partial, 0o700); // whatever the umask
      await writeAtomically(join(output.partial, PACKET_MARKER), JSON.stringify(marker));
      await mkdir(output.work, { mode: 0o700 });
    } catch (err) {
      await output.discard();
      throw err;
    }
    return output;
  }

  /**
   * The packet is complete in the private folder: everything in it becomes private (0700/0600) and the marker
   * records what the export entry will say and what is to be published.
   */
  async seal(packetSha256: string, outputs: string[]): Promise<void> {
    await makePrivate(this.work);
    for (const o of outputs) if (o !== this.name) await chmod(this.staged(o), 0o600);
    this.marker.state = 'complete';
    this.marker.packetSha256 = packetSha256;
    this.marker.outputs = [this.name, ...outputs.filter((o) => o !== this.name)];
    await writeAtomically(join(this.partial, PACKET_MARKER), JSON.stringify(this.marker));
  }

  /** After the export entry: renames the packet into place and removes the private folder and the journal entry. */
  async publish(): Promise<void> {
    const problem = await publish(this.partial, this.outDir, this.marker);
    if (problem) throw new RedressError('OUTPUT_UNWRITABLE', { path: this.outDir, reason: `${problem}; the packet is kept in ${this.partial} and will be put in place by the next run` });
    await unlink(journalPath(this.vault, this.marker.buildId)).catch(() => undefined);
  }

  /** Before the export entry only: removes the private folder and the journal entry. */
  async discard(): Promise<void> {
    await removePrivateFolder(this.partial);
    await unlink(journalPath(this.vault, this.marker.buildId)).catch(() => undefined);
  }
}

/**
 * Settles what builds that died left: every private folder the journal names, and those in `outDir`. A build that
 * is still running is never touched, nor a folder without this vault's marker. See the top of this file.
 */
export async function sweepPacketLeftovers(vault: Vault, outDir?: string): Promise<PacketLeftovers> {
  const out = noLeftovers();
  const settled = new Set<string>();
  const journal = journalDir(vault);
  for (const file of (await readdir(journal).catch(() => [])).filter((f) => f.endsWith('.json'))) {
    const path = join(journal, file);
    const entry = parseJournal(await readFile(path, 'utf8').catch(() => ''));
    if (entry && isRunning(entry)) continue;
    if (!entry || `${entry.buildId}.json` !== file) {
      // Not an entry this code finished writing: one cut short before its rename names a build that never made its
      // folder. An unreadable temporary one may be another build's being written, unless it dates from before this
      // process began (the vault's lock admits one process, so its writer is dead).
      if (entry || !file.endsWith('.tmp.json') || (await writtenBeforeThisProcess(path))) await unlink(path).catch(() => undefined);
      continue;
    }
    settled.add(entry.partial);
    const outcome = await settleSafely(vault, entry.partial, entry.buildId, out);
    if (outcome !== 'unfinished' && outcome !== 'running' && outcome !== 'failed') await unlink(path).catch(() => undefined);
  }
  if (outDir) {
    for (const name of (await readdir(outDir).catch(() => [])).filter((n) => PARTIAL_NAME.test(n))) {
      const partial = join(outDir, name);
      if (settled.has(partial)) continue;
      await settleSafely(vault, partial, null, out);
    }
  }
  return out;
}

/**
 * The packets in `dir` whose export the case's chain records: put in place (a folder whose SHA256SUMS hashes to a
 * recorded packetSha256), or recorded but still in their private folder after the sweep. A caller about to clear `dir`
 * must keep these: an export entry must go on naming files that exist.
 */
export async function recordedPacketsIn(vault: Vault, dir: string, caseId: string): Promise<string[]> {
  const left = await sweepPacketLeftovers(vault, dir);
  const found = left.unfinished.filter((u) => u.caseId === caseId).map((u) => u.partial);
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (!entry.isDirectory() || PARTIAL_NAME.test(entry.name)) continue;
    const sums = await readFile(join(dir, entry.name, 'SHA256SUMS')).catch(() => null);
    if (sums && exportRecorded(vault, caseId, createHash('sha256').update(sums).digest('hex'))) found.push(join(dir, entry.name));
  }
  return found;
}

type Outcome = 'gone' | 'not ours' | 'running' | 'removed' | 'finished' | 'unfinished' | 'failed';

/** A leftover that cannot be settled now (a disk error, the vault closing) is left as it is for the next run. */
async function settleSafely(vault: Vault, partial: string, buildId: string | null, out: PacketLeftovers): Promise<Outcome> {
  try {
    return await settle(vault, partial, buildId, out);
  } catch {
    return 'failed';
  }
}

async function settle(vault: Vault, partial: string, buildId: string | null, out: PacketLeftovers): Promise<Outcome> {
  if (!PARTIAL_NAME.test(basename(partial))) return 'not ours';
  const info = await lstat(partial).catch(() => null);
  if (!info) return 'gone';
  if (!info.isDirectory()) return 'not ours';
  const marker = parseMarker(await readFile(join(partial, PACKET_MARKER), 'utf8').catch(() => ''));
  if (!marker) {
    // The journal says this build made it, but it died before its marker was in place: it can hold nothing yet but
    // the marker's temporary file (a kill between writing it and renaming it), and is removed only if that is all.
    if (!buildId) return 'not ours';
    const held = await readdir(partial).catch(() => null);
    if (held?.length === 1 && held[0] === tempName(PACKET_MARKER)) await unlink(join(partial, held[0])).catch(() => undefined);
    const removed = await rmdir(partial).then(
      () => true,
      () => false,
    );
    if (removed) out.removed++;
    return removed ? 'removed' : 'not ours';
  }
  if (marker.vaultId !== vault.keyFile.vaultId || (buildId && marker.buildId !== buildId) || basename(partial) !== `.${marker.name}.partial`) return 'not ours';
  if (isRunning(marker)) return 'running';
  const recorded = marker.state === 'complete' && marker.packetSha256 !== undefined && exportRecorded(vault, marker.caseId, marker.packetSha256);
  if (!recorded) {
    await removePrivateFolder(partial);
    await unlink(journalPath(vault, marker.buildId)).catch(() => undefined);
    out.removed++;
    return 'removed';
  }
  const packetSha256 = marker.packetSha256!;
  const problem = (await checkSums(partial, marker)) ?? (await publish(partial, dirname(partial), marker));
  if (problem) {
    out.unfinished.push({ caseId: marker.caseId, partial, packetSha256, reason: problem });
    return 'unfinished';
  }
  await unlink(journalPath(vault, marker.buildId)).catch(() => undefined);
  out.finished.push({ caseId: marker.caseId, dir: join(dirname(partial), marker.name), packetSha256 });
  return 'finished';
}

/** Renames every output not yet in place; null when all are, or the reason one cannot be. */
async function publish(partial: string, outDir: string, marker: Marker): Promise<string | null> {
  for (const name of marker.outputs ?? []) {
    const from = join(partial, name);
    const to = join(outDir, name);
    if (!(await exists(from))) {
      if (await exists(to)) continue; // renamed before a crash
      return `${name} is missing from the finished packet`;
    }
    // rename() would replace a file silently: a name taken meanwhile is the user's, and stays.
    if (await exists(to)) return `${to} already exists`;
    await rename(from, to);
  }
  await fsyncDir(outDir).catch(() => undefined);
  await unlink(join(partial, PACKET_MARKER)).catch(() => undefined);
  await rmdir(partial).catch(() => undefined);
  return null;
}

/** The packet folder's SHA256SUMS must hash to what the marker (and so the entry) records, if it is still there. */
async function checkSums(partial: string, marker: Marker): Promise<string | null> {
  const sums = join(partial, marker.name, 'SHA256SUMS');
  if (!(await exists(sums))) return (await exists(join(dirname(partial), marker.name))) ? null : `${marker.name}/SHA256SUMS is missing`;
  const hash = createHash('sha256').update(await readFile(sums)).digest('hex');
  return hash === marker.packetSha256 ? null : `${marker.name}/SHA256SUMS does not match the recorded packet`;
}

/** Throws when the chain cannot be read: not knowing is never taken as "not recorded". */
function exportRecorded(vault: Vault, caseId: string, packetSha256: string): boolean {
  return readEntries(vault.context.db, caseId).some((e) => e.action === 'packet.exported' && e.payload.packetSha256 === packetSha256);
}

function isRunning(b: { pid: number; startedAt: string }): boolean {
  return b.pid === process.pid && Date.parse(b.startedAt) >= PROCESS_STARTED - 1000;
}

/**
 * The marker goes last: a kill halfway through leaves a folder that is still known to be ours, and the next run
 * finishes removing it, rather than a folder of decrypted files without a marker, which no run may touch.
 */
async function removePrivateFolder(partial: string): Promise<void> {
  for (const name of await readdir(partial).catch(() => [] as string[])) {
    if (name !== PACKET_MARKER) await rm(join(partial, name), { recursive: true, force: true });
  }
  await rm(partial, { recursive: true, force: true });
}

/** Folders 0700, files 0600, all the way down (links are left as they are: the build makes none). */
async function makePrivate(path: string): Promise<void> {
  const info = await lstat(path);
  if (info.isSymbolicLink()) return;
  if (info.isDirectory()) {
    await chmod(path, 0o700);
    for (const name of await readdir(path)) await makePrivate(join(path, name));
  } else {
    await chmod(path, 0o600);
  }
}

function journalDir(vault: Vault): string {
  return join(vault.dataDir, JOURNAL_DIR);
}

function journalPath(vault: Vault, buildId: string): string {
  return join(journalDir(vault), `${buildId}.json`);
}

/** Written under a temporary name and renamed, so that a crash never leaves half of it. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = join(dirname(path), tempName(basename(path)));
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(text);
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
}

function tempName(fileName: string): string {
  return fileName.replace(/\.json$/, '.tmp.json');
}

async function writtenBeforeThisProcess(path: string): Promise<boolean> {
  const info = await lstat(path).catch(() => null);
  return info !== null && info.mtimeMs < PROCESS_STARTED - 1000;
}

function parseMarker(text: string): Marker | null {
  const v = safeJson(text);
  if (!v || v.kind !== 'redress-packet-build' || v.v !== 1) return null;
  const ok =
    typeof v.buildId === 'string' &&
    BUILD_ID.test(v.buildId) &&
    typeof v.vaultId === 'string' &&
    typeof v.caseId === 'string' &&
    typeof v.name === 'string' &&
    /^[^/\\]+$/.test(v.name) &&
    v.name !== '.' &&
    v.name !== '..' &&
    typeof v.pid === 'number' &&
    typeof v.startedAt === 'string' &&
    (v.state === 'building' || v.state === 'complete') &&
    (v.packetSha256 === undefined || (typeof v.packetSha256 === 'string' && /^[0-9a-f]{64}$/.test(v.packetSha256))) &&
    (v.outputs === undefined || (Array.isArray(v.outputs) && v.outputs.every((o) => typeof o === 'string' && /^[^/\\]+$/.test(o) && o.startsWith(v.name as string))));
  return ok ? (v as unknown as Marker) : null;
}

function parseJournal(text: string): JournalEntry | null {
  const v = safeJson(text);
  if (!v || v.v !== 1 || typeof v.buildId !== 'string' || !BUILD_ID.test(v.buildId) || typeof v.partial !== 'string' || typeof v.caseId !== 'string' || typeof v.pid !== 'number' || typeof v.startedAt !== 'string') return null;
  return v as unknown as JournalEntry;
}

function safeJson(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Whether anything is at `path`, a link included (even one pointing nowhere). */
async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
