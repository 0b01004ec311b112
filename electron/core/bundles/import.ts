import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { CaseFields } from '../../../shared/case-model.js';
import { appendEntry } from '../custody/chain.js';
import { canonicalJson, type CustodyEntryBody } from '../custody/entry.js';
import { RedressError } from '../errors.js';
import type { Vault } from '../vault/vault.js';
import { replay } from '../verify/replay.js';
import { verifyChain } from '../verify/verify-chain.js';
import { BundleReader } from './container.js';
import type { BundleProgress } from './export.js';
import { caseTables, CaseRow, decodeValue, ItemRow, Manifest, MANIFEST_MEMBER, MAX_MANIFEST_BYTES, MAX_MEMBERS, OBJECT_MEMBER, quoteIdent, type CustodyRow, type Row } from './format.js';

/** Tables older vaults had and bundles from them may carry; their rows are redundant and left out. */
const RETIRED_TABLES = new Set(['image_meta', 'thumbnails']);

export interface ImportBundleOptions {
  passphrase: string;
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
}

interface Checked {
  manifest: Manifest;
  caseRow: CaseRow;
  items: ItemRow[];
  custody: CustodyRow[];
  tables: { name: string; columns: string[]; rows: Row[] }[];
}

type Decision = { kind: 'unchanged' } | { kind: 'new' | 'append' | 'rebase'; from: number; superseded: CustodyRow[] };

/**
 * Imports a `.redress` bundle. Everything is checked before anything is stored: every chunk's authentication,
 * the ZIP's member names and sizes, the whole custody chain (verify-chain), the case and item rows against what
 * the chain records, and the SHA-256 of every original. Then, in one transaction, the case is stored with its
 * chain verbatim (same id, same entry hashes) and a 'case.transferred' entry records who exported and who
 * imported it.
 *
 * Against a case already stored here: a bundle whose chain this vault already holds changes nothing; one that
 * extends the stored chain appends only the new entries. This vault's own earlier 'case.transferred' entries at
 * the end of the stored chain are the one exception to "append only": the newer history is placed before a new
 * transfer entry, which carries the replaced transfer entries verbatim (body and hash) in its payload. Any other
 * divergence is refused as BUNDLE_CONFLICT.
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
    const members = await indexMembers(zip, file);
    const manifest = await readManifest(zip, members.manifest, file);
    const checked = checkManifest(db, manifest, file);
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

    const decision = decide(db, checked, file);
    const base = { caseId: manifest.caseId, bundleSha256, exportedBy: manifest.exportedBy, exportedAt: manifest.exportedAt };
    if (decision.kind === 'unchanged') return { ...base, status: 'unchanged', entriesAdded: 0, itemsAdded: 0, transferEntry: null };

    const localItems = new Map((db.prepare('SELECT id, case_id, sha256 FROM items WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(checked.items.map((i) => i.id))) as { id: string; case_id: string; sha256: string }[]).map((r) => [r.id, r]));
    for (const item of checked.items) {
      const local = localItems.get(item.id);
      if (local && (local.case_id !== manifest.caseId || local.sha256 !== item.sha256)) throw new RedressError('BUNDLE_CONFLICT', { file, caseId: manifest.caseId, seq: item.added_seq });
    }
    const newItems = checked.items.filter((i) => !localItems.has(i.id));

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

    const entry = db.transaction(() => store(vault, checked, decision, newItems, { file, bundleSha256 }))();
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

  function store(v: Vault, c: Checked, d: Exclude<Decision, { kind: 'unchanged' }>, newItems: ItemRow[], info: { file: string; bundleSha256: string }) {
    void v;
    const caseId = c.manifest.caseId;
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
    for (const t of c.tables) for (const row of t.rows) insertRow(t.name, row, t.columns, 'OR REPLACE');
    return appendEntry(db, clock, actor, caseId, 'case.transferred', {
      format: c.manifest.format,
      file: info.file,
      bundleSha256: info.bundleSha256,
      exportedBy: c.manifest.exportedBy,
      exportedAt: c.manifest.exportedAt,
      sourceVault: c.manifest.sourceVault,
      importedBy: actor,
      importedAt: clock.now().toISOString(),
      entries: { from: d.from + 1, to: last.seq },
      itemsAdded: newItems.length,
      ...(d.superseded.length ? { supersededTransfers: d.superseded.map((r) => ({ seq: r.seq, hash: r.hash, body: r.body })) } : {}),
    });
  }

  function insertRow(table: string, row: Row, columns: string[], conflict = '') {
    const cols = columns.filter((c) => c in row);
    db.prepare(`INSERT ${conflict} INTO ${quoteIdent(table)} (${cols.map(quoteIdent).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => decodeValue(row[c]) as string | number | null | Buffer));
  }

  function columnsOf(table: string): string[] {
    return (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as { name: string }[]).map((r) => r.name);
  }
}

/** Where the bundle's chain stands against the chain stored here for the same case. */
function decide(db: Vault['context']['db'], c: Checked, file: string): Decision {
  const caseId = c.manifest.caseId;
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

/** Every check that needs only the manifest: rows well-formed, chain intact, rows equal to what the chain records. */
function checkManifest(db: Vault['context']['db'], manifest: Manifest, file: string): Checked {
  const caseId = manifest.caseId;
  const caseParsed = CaseRow.safeParse(manifest.case);
  if (!caseParsed.success || caseParsed.data.id !== caseId) throw invalid(file, 'the case record is malformed');
  const caseRow = caseParsed.data;
  let fields: CaseFields;
  try {
    const parsed = CaseFields.safeParse({
      title: caseRow.title,
      incidentType: caseRow.incident_type,
      status: caseRow.status,
      ...(caseRow.started_at ? { startedAt: caseRow.started_at } : {}),
      ...(caseRow.discovered_at ? { discoveredAt: caseRow.discovered_at } : {}),
      narrative: caseRow.narrative,
      losses: JSON.parse(caseRow.losses),
      parties: JSON.parse(caseRow.parties),
    });
    if (!parsed.success) throw new Error(parsed.error.issues[0]?.message);
    fields = parsed.data;
  } catch {
    throw invalid(file, 'the case record is malformed');
  }

  const custody = manifest.custody;
  const last = custody[custody.length - 1]!;
  const chain = verifyChain(caseId, custody, { seq: last.seq, hash: last.hash });
  const problem = chain.problems[0];
  if (problem) throw invalid(file, `custody entry ${problem.seq ?? '?'}: ${problem.detail}`);

  const expected = replay(chain.intact);
  const unrecognised = expected.unrecognised[0];
  if (unrecognised) throw invalid(file, `custody entry ${unrecognised.seq}: ${unrecognised.reason}`);
  if (!expected.fields) throw invalid(file, 'the custody chain does not create the case');
  for (const [key, value] of Object.entries(expected.fields)) {
    if (canonicalJson(value ?? null) !== canonicalJson((fields as Record<string, unknown>)[key] ?? null)) throw invalid(file, `the case's ${key} differs from its custody chain`);
  }

  const items: ItemRow[] = [];
  const ids = new Set<string>();
  for (const raw of manifest.items) {
    const parsed = ItemRow.safeParse(raw);
    if (!parsed.success) throw invalid(file, 'an item record is malformed');
    const item = parsed.data;
    if (item.case_id !== caseId || ids.has(item.id)) throw invalid(file, `item ${item.id} does not belong to the case`);
    ids.add(item.id);
    const recorded = expected.items.get(item.id);
    if (!recorded) throw invalid(file, `item ${item.id} has no custody entry`);
    let tags: unknown;
    try {
      tags = JSON.parse(item.tags);
    } catch {
      tags = null;
    }
    const same =
      recorded.sha256 === item.sha256 &&
      recorded.size === item.size &&
      recorded.objectName === item.object_name &&
      recorded.title === item.title &&
      recorded.notes === item.notes &&
      JSON.stringify(recorded.tags) === JSON.stringify(tags) &&
      recorded.excludedReason === item.excluded_reason;
    if (!same) throw invalid(file, `item ${item.id} differs from its custody entry`);
    items.push(item);
  }
  for (const itemId of expected.items.keys()) if (!ids.has(itemId)) throw invalid(file, `item ${itemId} is in the custody chain but not in the bundle`);

  const known = new Map(caseTables(db).map((t) => [t.name, t]));
  const tables: Checked['tables'] = [];
  for (const [name, rows] of Object.entries(manifest.tables)) {
    if (RETIRED_TABLES.has(name)) continue;
    const table = known.get(name);
    if (!table) throw invalid(file, `records of an unknown kind (${name}): made by a newer Redress?`);
    for (const row of rows) {
      for (const [column, value] of Object.entries(row)) {
        if (!table.columns.includes(column)) throw invalid(file, `records of ${name} have an unknown field (${column}): made by a newer Redress?`);
        let v: unknown;
        try {
          v = decodeValue(value);
        } catch {
          throw invalid(file, `a ${name} record is malformed`);
        }
        if (!(v === null || typeof v === 'string' || typeof v === 'number' || Buffer.isBuffer(v))) throw invalid(file, `a ${name} record is malformed`);
      }
      const owner = row[table.key];
      if (table.key === 'case_id' ? owner !== caseId : !ids.has(owner as string)) throw invalid(file, `a ${name} record belongs to another case`);
    }
    tables.push({ name, columns: table.columns, rows });
  }
  return { manifest, caseRow, items, custody, tables };
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

async function indexMembers(zip: yauzl.ZipFile, file: string): Promise<{ manifest: yauzl.Entry; objects: Map<string, yauzl.Entry> }> {
  const objects = new Map<string, yauzl.Entry>();
  let manifest: yauzl.Entry | undefined;
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      try {
        const name = entry.fileName;
        if (objects.size > MAX_MEMBERS) throw invalid(file, 'too many members');
        if (entry.isEncrypted() || (entry.compressionMethod !== 0 && entry.compressionMethod !== 8)) throw invalid(file, `member ${name} uses an unsupported encoding`);
        const m = OBJECT_MEMBER.exec(name);
        if (name === MANIFEST_MEMBER) {
          if (manifest) throw invalid(file, `member ${name} appears twice`);
          if (entry.uncompressedSize > MAX_MANIFEST_BYTES) throw invalid(file, `member ${name} is oversized (${entry.uncompressedSize} bytes)`);
          manifest = entry;
        } else if (m) {
          if (objects.has(m[1]!)) throw invalid(file, `member ${name} appears twice`);
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
  return { manifest, objects };
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

async function readManifest(zip: yauzl.ZipFile, entry: yauzl.Entry, file: string): Promise<Manifest> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of await openStream(zip, entry, file)) {
    size += chunk.length;
    if (size > MAX_MANIFEST_BYTES) throw invalid(file, 'the manifest is oversized');
    parts.push(chunk);
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(parts).toString('utf8'));
  } catch {
    throw invalid(file, 'the manifest is not JSON');
  }
  const parsed = Manifest.safeParse(json);
  if (!parsed.success) {
    const v = (json as { v?: unknown } | null)?.v;
    throw invalid(file, typeof v === 'number' && v > 1 ? `made by a newer Redress (bundle format ${v})` : `the manifest is malformed (${parsed.error.issues[0]?.path.join('.') ?? ''})`);
  }
  return parsed.data;
}

function invalid(file: string, detail: string): RedressError {
  return new RedressError('BUNDLE_INVALID', { file, detail });
}

function asBundleError(err: unknown, file: string): RedressError {
  if (err instanceof RedressError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return invalid(file, message.slice(0, 200));
}
