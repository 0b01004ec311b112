import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { appendEntry } from '../custody/chain.js';
import type { CustodyEntryBody } from '../custody/entry.js';
import { RedressError } from '../errors.js';
import type { Db } from '../vault/database.js';
import type { Vault } from '../vault/vault.js';
import { verifyRecords } from '../verify/verify-records.js';
import { checkManifest, rowAt, TABLE_CHECKS, type Checked, type CheckedTable } from './check.js';
import { BundleReader } from './container.js';
import type { BundleProgress } from './export.js';
import { MANIFEST_MEMBER, OBJECT_MEMBER, quoteIdent, type CustodyRow, type ItemRow, type Row } from './format.js';
import { BUNDLE_LIMITS, limitExceeded, MAX_MEMBERS } from './limits.js';
import { scanManifest } from './manifest.js';
import { checkManifestSignature, MAX_SIGNATURE_BYTES, SIGNATURE_MEMBER } from './signature.js';
import type { BundleSigner } from '../../../shared/key-fingerprint.js';

export interface ImportBundleOptions {
  passphrase: string;
  /**
   * The user confirmed with the sender that an update to a stored case may come signed by another key than the one
   * it came with before, or unsigned (BUNDLE_SIGNER_CHANGED otherwise).
   */
  acceptSigner?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: BundleProgress) => void;
}

export interface ImportBundleResult {
  caseId: string;
  /** imported: the case is new here; updated: a newer bundle of a stored case; unchanged: nothing new */
  status: 'imported' | 'updated' | 'unchanged';
  entriesAdded: number;
  itemsAdded: number;
  /** SHA-256 of the .redress file, recorded in the transfer entry */
  bundleSha256: string;
  exportedBy: string;
  exportedAt: string;
  /** the 'case.transferred' entry appended here (null when nothing changed) */
  transferEntry: { seq: number; hash: string } | null;
  /** which vault signed the bundle, as this vault knows it */
  signer: BundleSigner;
}

type Decision = { kind: 'unchanged' } | { kind: 'new' | 'append' | 'rebase'; from: number; superseded: CustodyRow[] };

/** What storing a bundle's rows does to each of them, decided before anything is written. */
interface RowPlan {
  table: CheckedTable;
  /** rows to insert (new here) */
  insert: number[];
  /** rows already stored, identical but for the flag, whose flag the bundle changes: [row, flagged] */
  reflag: [number, number][];
}

/**
 * Imports a `.redress` bundle. The sender may be the attacker, so everything is checked before anything is stored,
 * each check as early as it can run: the header's key-derivation cost before deriving (container.ts), every chunk's
 * authentication, the number of members from the ZIP's end record, each member's name, encoding and size, the
 * manifest's size before and while inflating it, its structure and every cap while scanning it (manifest.ts,
 * limits.ts), every id a UUID, the whole custody chain (verify-chain), the case and item rows against what the chain
 * records, every other row against the entry that accounts for it with each import's records digest recomputed
 * (check.ts), and the SHA-256 of every original. Then, in one transaction, the case is stored with its chain
 * verbatim (same id, same entry hashes), rows are inserted with plain INSERTs that refuse any id already stored, the
 * stored records are verified as `redress verify` does (verify-records), and a 'case.transferred' entry records who
 * exported and who imported it. A refusal stores nothing.
 *
 * Against a case already stored here: a bundle whose chain this vault already holds changes nothing; one that
 * extends the stored chain appends only the new entries, and only the rows those entries add: every row of an
 * import, item or link already stored must be the stored one, byte for byte (the flag excepted, which the chain's
 * flag entries decide). This vault's own earlier 'case.transferred' entries at the end of the stored chain are the
 * one exception to "append only": the newer history is placed before a new transfer entry, which carries the
 * replaced transfer entries verbatim (body and hash) in its payload. Any other divergence is refused as
 * BUNDLE_CONFLICT.
 */
export async function importBundle(vault: Vault, path: string, options: ImportBundleOptions): Promise<ImportBundleResult> {
  const file = basename(path);
  const { db, objects, clock, actor } = vault.context;
  const reader = await BundleReader.open(path, options.passphrase);
  const written: string[] = [];
  let zip: yauzl.ZipFile | undefined;
  try {
    const bundleSha256 = await reader.authenticateAll({ signal: options.signal, onBytes: (done, total) => options.onProgress?.({ phase: 'verify', done, total }) });
    zip = await openZip(reader, file);
    if (zip.entryCount > MAX_MEMBERS) throw limitExceeded(file, 'members', `the bundle holds ${zip.entryCount} members`);
    const members = await indexMembers(zip, reader.plaintextSize, file);
    const manifestBytes = await readManifest(zip, members.manifest, file);
    // before anything in the manifest is used: a signature that does not check refuses the bundle whole
    const signer = checkManifestSignature(vault.context, members.signature ? await readSignature(zip, members.signature, file) : null, manifestBytes, file);
    const layout = scanManifest(manifestBytes, file);
    const checked = checkManifest(db, layout, file);
    const zf = zip;
    const openObject = (sha256: string) => openStream(zf, members.objects.get(sha256)!, file);

    // The members must be exactly the originals of the manifest's items, each of its recorded size.
    const sizes = new Map(checked.items.map((i) => [i.sha256, i.size]));
    for (const sha of members.objects.keys()) if (!sizes.has(sha)) throw invalid(file, `unexpected member objects/${sha.slice(0, 12)}…`);
    let total = 0;
    for (const [sha, size] of sizes) {
      const entry = members.objects.get(sha);
      if (!entry) throw invalid(file, `the original ${sha.slice(0, 12)}… is missing`);
      if (entry.uncompressedSize > size) throw invalid(file, `member objects/${sha.slice(0, 12)}… is larger (${entry.uncompressedSize} bytes) than its item (${size} bytes)`);
      if (entry.uncompressedSize !== size) throw invalid(file, `member objects/${sha.slice(0, 12)}… has ${entry.uncompressedSize} bytes, its item ${size}`);
      total += size;
    }

    const caseId = checked.header.caseId;
    const decision = decide(db, checked, file);
    const base = { caseId, bundleSha256, exportedBy: checked.header.exportedBy, exportedAt: checked.header.exportedAt, signer };
    if (decision.kind === 'unchanged') return { ...base, status: 'unchanged', entriesAdded: 0, itemsAdded: 0, transferEntry: null };
    if (decision.kind !== 'new' && !options.acceptSigner) assertSameSigner(db, caseId, signer, file);
    // Planned now, to refuse before any original is stored; planned again inside the transaction that stores.
    const newItems = planItems(db, checked, decision, file);
    planRows(db, checked, decision, file);

    let done = 0;
    for (const [sha] of sizes) {
      if (options.signal?.aborted) throw new RedressError('CANCELLED');
      const hash = createHash('sha256');
      for await (const chunk of await openObject(sha)) {
        hash.update(chunk);
        done += chunk.length;
        options.onProgress?.({ phase: 'verify', done, total });
      }
      if (hash.digest('hex') !== sha) throw invalid(file, `the original objects/${sha.slice(0, 12)}… does not match its SHA-256`);
    }

    // Originals first, as the vault always does: a crash leaves at worst unreferenced objects, swept on next open.
    const storeTotal = newItems.reduce((a, i) => a + i.size, 0);
    let stored = 0;
    for (const item of newItems) {
      if (options.signal?.aborted) throw new RedressError('CANCELLED');
      if (await objects.has(item.object_name)) {
        const existing = await objects.hash(item.object_name).catch(() => null);
        if (existing !== item.sha256) throw invalid(file, `item ${item.id} names a stored file holding other content`);
        continue;
      }
      const result = await objects.ingestStream(await openObject(item.sha256), {
        storeAs: item.object_name,
        sizeHint: item.size,
        ...(options.signal ? { signal: options.signal } : {}),
        onBytes: (n) => options.onProgress?.({ phase: 'store', done: (stored += n), total: storeTotal }),
      });
      if (result.written) written.push(item.object_name);
      if (result.sha256 !== item.sha256) throw new RedressError('BUNDLE_DAMAGED', { file, detail: 'the file changed while it was imported' });
    }

    let entry;
    try {
      entry = db.transaction(() => store(checked, decision, newItems, { file, bundleSha256, signer }))();
    } catch (err) {
      throw asStoreError(err, file, caseId);
    }
    written.length = 0;
    return {
      ...base,
      status: decision.kind === 'new' ? 'imported' : 'updated',
      entriesAdded: checked.custody.length - decision.from,
      itemsAdded: newItems.length,
      transferEntry: { seq: entry.seq, hash: entry.hash },
    };
  } catch (err) {
    // Objects written for an import that did not commit are nobody's evidence.
    for (const name of written) await rm(objects.pathOf(name), { force: true });
    if (err instanceof RedressError) throw err;
    throw invalid(file, err instanceof Error ? err.message : String(err));
  } finally {
    zip?.close();
    await reader.close();
  }

  function store(c: Checked, d: Exclude<Decision, { kind: 'unchanged' }>, newItems: ItemRow[], info: { file: string; bundleSha256: string; signer: BundleSigner }) {
    const caseId = c.header.caseId;
    // The vault may have changed while the originals were stored (another import of the same case): decide again.
    const now = decide(db, c, info.file);
    const itemsNow = now.kind === 'unchanged' ? [] : planItems(db, c, now, info.file);
    if (now.kind !== d.kind || now.from !== d.from || itemsNow.map((i) => i.id).join() !== newItems.map((i) => i.id).join()) throw new RedressError('BUNDLE_CONFLICT', { file: info.file, caseId, seq: d.from + 1 });
    const plans = planRows(db, c, d, info.file);
    db.pragma('defer_foreign_keys = ON');
    if (d.kind === 'rebase') db.prepare('DELETE FROM custody WHERE case_id = ? AND seq > ?').run(caseId, d.from);
    const insertEntry = db.prepare('INSERT INTO custody (case_id, seq, body, hash) VALUES (?, ?, ?, ?)');
    for (const row of c.custody.slice(d.from)) insertEntry.run(caseId, row.seq, row.body, row.hash);
    const last = c.custody[c.custody.length - 1]!;
    const caseRow = { ...c.caseRow, head_seq: last.seq, head_hash: last.hash };
    if (d.kind === 'new') {
      insertRow('cases', caseRow, columnsOf('cases'));
    } else {
      const keep = ['title', 'incident_type', 'status', 'started_at', 'discovered_at', 'narrative', 'losses', 'parties', 'head_seq', 'head_hash'];
      db.prepare(`UPDATE cases SET ${keep.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`).run(...keep.map((k) => (caseRow as Row)[k] as string | number | null), caseId);
    }
    const itemColumns = columnsOf('items');
    const isNew = new Set(newItems.map((i) => i.id));
    for (const item of c.items) {
      if (isNew.has(item.id)) insertRow('items', item, itemColumns);
      else db.prepare('UPDATE items SET title = ?, notes = ?, tags = ?, excluded_reason = ?, excluded_at = ? WHERE id = ?').run(item.title, item.notes, item.tags, item.excluded_reason, item.excluded_at, item.id);
    }
    for (const plan of plans) {
      const { table } = plan;
      for (const i of plan.insert) insertRow(table.name, rowAt(table, i), table.columns);
      if (!plan.reflag.length) continue;
      const reflag = db.prepare(`UPDATE ${quoteIdent(table.name)} SET flagged = ? WHERE id = ?`);
      for (const [i, flagged] of plan.reflag) reflag.run(flagged, rowAt(table, i).id as string);
    }
    // The stored records, verified as `redress verify` verifies them: import rows against their entries, every
    // import's records digest recomputed from what SQLite now holds, every flag against the flag entries.
    const records = verifyRecords(db, caseId, c.expected, []);
    const problem = records.problems[0];
    if (problem) throw invalid(info.file, problem.detail);
    return appendEntry(db, clock, actor, caseId, 'case.transferred', {
      format: c.header.format,
      file: info.file,
      bundleSha256: info.bundleSha256,
      exportedBy: c.header.exportedBy,
      exportedAt: c.header.exportedAt,
      sourceVault: c.header.sourceVault,
      // the fingerprint and how this vault knew it, never the name it gave it: the chain travels in later bundles
      signer: info.signer.status === 'unsigned' ? { status: 'unsigned' } : { status: info.signer.status, fingerprint: info.signer.fingerprint },
      importedBy: actor,
      importedAt: clock.now().toISOString(),
      entries: { from: d.from + 1, to: last.seq },
      itemsAdded: newItems.length,
      ...(d.superseded.length ? { supersededTransfers: d.superseded.map((r) => ({ seq: r.seq, hash: r.hash, body: r.body })) } : {}),
    });
  }

  /** A plain INSERT: a row whose key is already stored fails it, and with it the transaction (asStoreError). */
  function insertRow(table: string, row: Row, columns: string[]) {
    const cols = columns.filter((c) => c in row);
    db.prepare(`INSERT INTO ${quoteIdent(table)} (${cols.map(quoteIdent).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => row[c] as string | number | null | Buffer));
  }

  function columnsOf(table: string): string[] {
    return (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((r) => r.name);
  }
}

/** Where the bundle's chain stands against the chain stored here for the same case. */
function decide(db: Db, c: Checked, file: string): Decision {
  const caseId = c.header.caseId;
  const stored = db.prepare('SELECT seq, body, hash FROM custody WHERE case_id = ? ORDER BY seq').all(caseId) as CustodyRow[];
  const exists = !!db.prepare('SELECT 1 FROM cases WHERE id = ?').get(caseId);
  if (!exists) {
    if (stored.length) throw new RedressError('BUNDLE_CONFLICT', { file, caseId, seq: 1 });
    return { kind: 'new', from: 0, superseded: [] };
  }
  const bundle = c.custody;
  let k = 0;
  while (k < stored.length && k < bundle.length && stored[k]!.hash === bundle[k]!.hash && stored[k]!.seq === bundle[k]!.seq) k++;
  if (k === bundle.length) return { kind: 'unchanged' };
  if (k === stored.length) return { kind: 'append', from: k, superseded: [] };
  const rest = stored.slice(k);
  if (k > 0 && rest.every((r) => actionOf(r) === 'case.transferred')) return { kind: 'rebase', from: k, superseded: rest };
  throw new RedressError('BUNDLE_CONFLICT', { file, caseId, seq: k + 1 });
}

function actionOf(row: CustodyRow): string | null {
  try {
    return (JSON.parse(row.body) as CustodyEntryBody).action;
  } catch {
    return null;
  }
}

/** The refusal of a row that would replace, move or change one stored here. */
function conflict(file: string, caseId: string, table: string, id: string, other: string): RedressError {
  return new RedressError('BUNDLE_CONFLICT', { file, caseId, seq: 0, context: 'record', table, id, other: other.slice(0, 8) });
}

/**
 * The bundle's items that are new here. An item id stored here must be the same item of the same case; a new one
 * must be added by the entries the bundle appends (an item the stored chain added is stored already).
 */
function planItems(db: Db, c: Checked, d: Exclude<Decision, { kind: 'unchanged' }>, file: string): ItemRow[] {
  const caseId = c.header.caseId;
  const local = new Map((db.prepare('SELECT id, case_id, sha256 FROM items WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(c.items.map((i) => i.id))) as { id: string; case_id: string; sha256: string }[]).map((r) => [r.id, r]));
  const fresh: ItemRow[] = [];
  for (const item of c.items) {
    const stored = local.get(item.id);
    if (stored) {
      // the same item of the same case, added by an entry stored here already
      if (stored.case_id !== caseId || stored.sha256 !== item.sha256 || item.added_seq > d.from) throw conflict(file, caseId, 'items', item.id, stored.case_id);
      continue;
    }
    if (item.added_seq <= d.from) throw invalid(file, `item ${item.id} was added in entry ${item.added_seq}, which is stored here, but the item is not`);
    fresh.push(item);
  }
  return fresh;
}

/**
 * Which rows of each table the store inserts. A new case: every row, and no id may be stored here already (in any
 * case). An append: a row accounted for by an entry the stored chain already holds (an import recorded, a link made)
 * must be stored here identically, the flag excepted, which the chain's flag entries decide; a row accounted for by an
 * appended entry must be new.
 */
function planRows(db: Db, c: Checked, d: Exclude<Decision, { kind: 'unchanged' }>, file: string): RowPlan[] {
  const caseId = c.header.caseId;
  const plans: RowPlan[] = [];
  for (const table of c.tables) {
    const plan: RowPlan = { table, insert: [], reflag: [] };
    const earlier: number[] = [];
    for (let i = 0; i < table.seqs.length; i++) (table.seqs[i]! > d.from ? plan.insert : earlier).push(i);
    const byId = TABLE_CHECKS[table.name].primary.length === 1;
    const get = byId ? db.prepare(`SELECT * FROM ${quoteIdent(table.name)} WHERE id = ?`) : db.prepare('SELECT * FROM links WHERE item_id = ? AND target_type = ? AND target_id = ?');
    // new rows: their keys must be stored nowhere (ids looked up in batches, links one by one)
    if (byId) {
      const lookup = db.prepare(`SELECT id, case_id FROM ${quoteIdent(table.name)} WHERE id IN (SELECT value FROM json_each(?))`);
      for (let at = 0; at < plan.insert.length; at += 5000) {
        const hit = lookup.get(JSON.stringify(plan.insert.slice(at, at + 5000).map((i) => table.ids.get(i)))) as { id: string; case_id: string } | undefined;
        if (hit) throw conflict(file, caseId, table.name, hit.id, hit.case_id);
      }
    } else {
      for (const i of plan.insert) {
        const row = rowAt(table, i);
        if (get.get(row.item_id, row.target_type, row.target_id)) throw conflict(file, caseId, table.name, String(row.item_id), caseId);
      }
    }
    // rows of what is stored already: stored here, byte for byte
    for (const i of earlier) {
      const row = rowAt(table, i);
      const key = byId ? String(row.id) : String(row.item_id);
      const stored = (byId ? get.get(row.id) : get.get(row.item_id, row.target_type, row.target_id)) as Row | undefined;
      if (!stored) throw invalid(file, `${table.name} ${key} belongs to custody entry ${table.seqs[i]}, which is stored here, but the record is not`);
      for (const [column, value] of Object.entries(row)) {
        if (column === 'flagged') continue;
        const was = stored[column];
        const same = Buffer.isBuffer(value) ? Buffer.isBuffer(was) && value.equals(was) : value === was;
        if (!same) throw conflict(file, caseId, table.name, key, String(stored.case_id ?? caseId));
      }
      if ('flagged' in row && row.flagged !== stored.flagged) plan.reflag.push([i, row.flagged as number]);
    }
    plans.push(plan);
  }
  return plans;
}

/**
 * A failure of the store's transaction, which rolled it back, in the terms of the bundle. The plans have refused
 * every id stored here already; a constraint that still fails is a bundle whose rows contradict each other or the
 * vault (two records with the same content, a row pointing at nothing).
 */
function asStoreError(err: unknown, file: string, caseId: string): unknown {
  if (err instanceof RedressError) return err;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) {
    return new RedressError('BUNDLE_INVALID', { file, detail: `the records of case ${caseId} do not fit with each other or with what is stored here (${code}: ${(err as Error).message.slice(0, 120)})` }, { cause: err });
  }
  return err;
}

class PlaintextReader extends yauzl.RandomAccessReader {
  constructor(private readonly bundle: BundleReader) {
    super();
  }
  override _readStreamForRange(start: number, end: number): Readable {
    return Readable.from(this.bundle.range(start, end));
  }
}

function openZip(reader: BundleReader, file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromRandomAccessReader(new PlaintextReader(reader), reader.plaintextSize, { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: true }, (err, zip) =>
      err ? reject(asBundleError(err, file)) : resolve(zip),
    );
  });
}

/**
 * The members, by name, from the ZIP's central directory: only manifest.json and objects/<sha256>, each once; the
 * originals stored as they are (the exporter never compresses them, so no member can inflate past its bytes), the
 * manifest within its cap, and every member within the plaintext that holds it.
 */
async function indexMembers(zip: yauzl.ZipFile, plaintextSize: number, file: string): Promise<{ manifest: yauzl.Entry; signature: yauzl.Entry | undefined; objects: Map<string, yauzl.Entry> }> {
  const objects = new Map<string, yauzl.Entry>();
  let manifest: yauzl.Entry | undefined;
  let signature: yauzl.Entry | undefined;
  let packed = 0;
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      try {
        const name = entry.fileName;
        if (objects.size >= MAX_MEMBERS) throw limitExceeded(file, 'members', 'too many members');
        if (entry.isEncrypted() || (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)) throw invalid(file, `member ${name} uses an unsupported encoding`);
        packed += entry.compressedSize;
        if (packed > plaintextSize) throw invalid(file, 'its members add up to more than the bundle holds');
        const m = OBJECT_MEMBER.exec(name);
        if (name === MANIFEST_MEMBER) {
          if (manifest) throw invalid(file, `member ${name} appears twice`);
          if (entry.uncompressedSize > BUNDLE_LIMITS.manifestBytes) throw limitExceeded(file, 'manifestBytes', `the manifest declares ${entry.uncompressedSize} bytes`);
          manifest = entry;
        } else if (name === SIGNATURE_MEMBER) {
          if (signature) throw invalid(file, `member ${name} appears twice`);
          if (entry.uncompressedSize > MAX_SIGNATURE_BYTES) throw invalid(file, `member ${name} declares ${entry.uncompressedSize} bytes, more than a signature's ${MAX_SIGNATURE_BYTES}`);
          signature = entry;
        } else if (m) {
          if (objects.has(m[1]!)) throw invalid(file, `member ${name} appears twice`);
          if (entry.compressionMethod !== 0 || entry.compressedSize !== entry.uncompressedSize) throw invalid(file, `member ${name} is compressed; originals travel as they are`);
          objects.set(m[1]!, entry);
        } else {
          throw invalid(file, `unexpected member ${JSON.stringify(name.slice(0, 100))}`);
        }
        zip.readEntry();
      } catch (err) {
        reject(err);
      }
    });
    zip.on('end', () => resolve());
    zip.on('error', (err: Error) => reject(asBundleError(err, file)));
    zip.readEntry();
  });
  if (!manifest) throw invalid(file, 'no manifest');
  return { manifest, signature, objects };
}

function openStream(zip: yauzl.ZipFile, entry: yauzl.Entry, file: string): Promise<AsyncIterable<Buffer>> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err) return reject(asBundleError(err, file));
      resolve(
        (async function* () {
          try {
            for await (const chunk of stream) yield chunk as Buffer;
          } catch (e) {
            throw asBundleError(e, file);
          }
        })(),
      );
    });
  });
}

/** The manifest's bytes, into one buffer of the size its directory entry declares (capped): never more. */
async function readManifest(zip: yauzl.ZipFile, entry: yauzl.Entry, file: string): Promise<Buffer> {
  if (entry.uncompressedSize > BUNDLE_LIMITS.manifestBytes) throw limitExceeded(file, 'manifestBytes', `the manifest declares ${entry.uncompressedSize} bytes`);
  return readMember(zip, entry, file, 'the manifest');
}

async function readSignature(zip: yauzl.ZipFile, entry: yauzl.Entry, file: string): Promise<Buffer> {
  return readMember(zip, entry, file, SIGNATURE_MEMBER);
}

/** A member read whole, never past the size it declares (the caller has bounded that). */
async function readMember(zip: yauzl.ZipFile, entry: yauzl.Entry, file: string, what: string): Promise<Buffer> {
  const declared = entry.uncompressedSize;
  const bytes = Buffer.alloc(declared);
  let size = 0;
  for await (const chunk of await openStream(zip, entry, file)) {
    if (size + chunk.length > declared) throw invalid(file, `${what} inflates to more than the ${declared} bytes it declares`);
    chunk.copy(bytes, size);
    size += chunk.length;
  }
  if (size !== declared) throw invalid(file, `${what} inflates to ${size} bytes, not the ${declared} it declares`);
  return bytes;
}

function invalid(file: string, detail: string): RedressError {
  return new RedressError('BUNDLE_INVALID', { file, detail });
}

function asBundleError(err: unknown, file: string): RedressError {
  if (err instanceof RedressError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return invalid(file, message.slice(0, 200));
}

/**
 * A case that came here signed by a vault is updated only by bundles that vault signed: someone else holding the
 * transfer passphrase could otherwise rewrite a case a known volunteer sent, by stripping the signature or signing
 * with a key of their own. The user may accept a new signer after confirming with the sender (acceptSigner).
 */
function assertSameSigner(db: Db, caseId: string, signer: BundleSigner, file: string): void {
  const rows = db.prepare("SELECT body FROM custody WHERE case_id = ? AND body LIKE '%\"case.transferred\"%' ORDER BY seq DESC").all(caseId) as { body: string }[];
  let before: string | undefined;
  for (const row of rows) {
    const body = JSON.parse(row.body) as CustodyEntryBody;
    const recorded = body.action === 'case.transferred' ? (body.payload.signer as { fingerprint?: unknown } | undefined)?.fingerprint : undefined;
    if (typeof recorded === 'string') {
      before = recorded;
      break;
    }
  }
  if (!before) return;
  if (signer.status === 'unsigned') throw new RedressError('BUNDLE_SIGNER_CHANGED', { file, caseId, before, context: 'unsigned' });
  if (signer.fingerprint !== before) throw new RedressError('BUNDLE_SIGNER_CHANGED', { file, caseId, before, now: signer.fingerprint });
}
