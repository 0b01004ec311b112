import { randomBytes } from 'node:crypto';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import yazl from '../zip/yazl.js';
import { appendEntry } from '../custody/chain.js';
import { canonicalJson } from '../custody/entry.js';
import { APP_VERSION } from '../data-dir.js';
import { RedressError } from '../errors.js';
import { DEFAULT_KDF, type KdfParams } from '../vault/keys.js';
import { SealedFileError } from '../vault/sealed-file.js';
import type { Vault } from '../vault/vault.js';
import { assertStrongPassphrase } from '../passphrase-policy.js';
import { assertCaseVerified } from '../verify/gate.js';
import { writeSealedBundle } from './container.js';
import { BUNDLE_FORMAT, MANIFEST_MEMBER, objectMember, readSnapshot, type Manifest } from './format.js';
import { SIGNATURE_MEMBER, signManifest } from './signature.js';

export interface BundleProgress {
  phase: 'export' | 'verify' | 'store';
  done: number;
  total: number;
}

export interface ExportBundleOptions {
  /** the .redress file to write; it must not exist yet */
  out: string;
  /** the transfer passphrase the recipient will need (at least 8 characters) */
  passphrase: string;
  /** tests lower the scrypt cost; real bundles keep the vault default */
  kdf?: KdfParams;
  signal?: AbortSignal;
  onProgress?: (p: BundleProgress) => void;
}

export interface ExportBundleResult {
  caseId: string;
  file: string;
  bytes: number;
  /** SHA-256 of the .redress file itself, to be quoted to the recipient */
  sha256: string;
  items: number;
  entries: number;
  /** the 'case.exported' custody entry, which travels inside the bundle as its last entry */
  exportEntry: { seq: number; hash: string };
}

/**
 * Writes one case (record, items, whole custody chain, per-case records, originals) to an encrypted `.redress`
 * file. The export itself is recorded first, as a 'case.exported' entry, so the bundle's chain says who exported
 * it and when. If writing then fails, a 'case.export-failed' entry says so and no partial file is left.
 */
export async function exportBundle(vault: Vault, caseId: string, options: ExportBundleOptions): Promise<ExportBundleResult> {
  await assertStrongPassphrase(options.passphrase);
  const kase = vault.cases.get(caseId);
  await checkOutput(options.out);
  await assertCaseVerified(vault, kase.id, options.signal);
  const { db, clock, actor } = vault.context;
  const schemaVersion = db.pragma('user_version', { simple: true }) as number;

  const { entry, snapshot } = db.transaction(() => {
    const items = db.prepare('SELECT COUNT(*) AS n, COALESCE(SUM(size), 0) AS bytes FROM items WHERE case_id = ?').get(kase.id) as { n: number; bytes: number };
    const entry = appendEntry(db, clock, actor, kase.id, 'case.exported', { format: BUNDLE_FORMAT, v: 1, file: basename(options.out), items: items.n, bytes: items.bytes });
    return { entry, snapshot: readSnapshot(db, kase.id) };
  })();

  const manifest: Manifest = {
    format: BUNDLE_FORMAT,
    v: 1,
    app: APP_VERSION,
    schemaVersion,
    exportedAt: entry.time,
    exportedBy: actor,
    sourceVault: vault.keyFile.vaultId,
    caseId: kase.id,
    case: snapshot.caseRow,
    items: snapshot.items,
    custody: snapshot.custody,
    tables: snapshot.tables,
  };

  const mtime = new Date(entry.time);
  const zip = new yazl.ZipFile();
  // A source that fails mid-stream is reported on the ZipFile; end the output with it so the writer stops.
  zip.on('error', (err: Error) => (zip.outputStream as Readable).destroy(err));
  // yazl starts pumping before the writer (after scrypt) reads: an early error must not go unhandled meanwhile. The
  // writer's iteration then throws it, since the stream stays errored.
  (zip.outputStream as Readable).on('error', () => undefined);
  const manifestBytes = Buffer.from(canonicalJson(manifest), 'utf8');
  zip.addBuffer(manifestBytes, MANIFEST_MEMBER, { mtime, compress: true });
  zip.addBuffer(signManifest(vault.context.signer, manifestBytes), SIGNATURE_MEMBER, { mtime, compress: false });
  const seen = new Set<string>();
  const total = snapshot.items.reduce((a, i) => a + (seen.has(i.sha256) ? 0 : (seen.add(i.sha256), i.size)), 0);
  seen.clear();
  let done = 0;
  for (const item of snapshot.items) {
    if (seen.has(item.sha256)) continue;
    seen.add(item.sha256);
    // Lazily: a case of thousands of items must not open thousands of streams at once.
    // Originals are mostly compressed media already: stored, not deflated.
    zip.addReadStreamLazy(objectMember(item.sha256), { mtime, compress: false, size: item.size }, (cb) => {
      const source = vault.context.objects.read(item.object_name);
      const stream = Readable.from(
          (async function* () {
            try {
              for await (const chunk of source) {
                done += chunk.length;
                options.onProgress?.({ phase: 'export', done, total });
                yield chunk;
              }
            } catch (err) {
              // yazl does not listen for errors on the streams it is given: report to the ZipFile's handler instead.
              zip.emit('error', err);
            }
          })(),
      );
      cb(null, stream);
    });
  }
  zip.end();

  const tmp = join(dirname(options.out), `.${basename(options.out)}.${randomBytes(6).toString('hex')}.part`);
  try {
    const plaintext = zip.outputStream as AsyncIterable<Buffer>;
    const written = await writeSealedBundle(tmp, options.passphrase, options.kdf ?? DEFAULT_KDF, plaintext, options.signal);
    await rename(tmp, options.out);
    return { caseId: kase.id, file: options.out, bytes: written.bytes, sha256: written.sha256, items: snapshot.items.length, entries: snapshot.custody.length, exportEntry: { seq: entry.seq, hash: entry.hash } };
  } catch (err) {
    await rm(tmp, { force: true });
    const reason = err instanceof RedressError ? err.code : err instanceof Error ? err.message.slice(0, 200) : String(err);
    db.transaction(() => appendEntry(db, clock, actor, kase.id, 'case.export-failed', { exportSeq: entry.seq, reason }))();
    if (err instanceof RedressError) throw err;
    // A stored original that cannot be read is the vault's damage, not the output's.
    const path = (err as NodeJS.ErrnoException | undefined)?.path;
    if (err instanceof SealedFileError || (typeof path === 'string' && path.startsWith(vault.context.objects.objectsDir))) {
      throw new RedressError('VAULT_CORRUPT', { detail: 'a stored original is missing or damaged; run "redress verify"' }, { cause: err });
    }
    throw new RedressError('OUTPUT_UNWRITABLE', { path: options.out, reason }, { cause: err });
  }
}

async function checkOutput(path: string): Promise<void> {
  const existing = await stat(path).catch(() => null);
  if (existing) throw new RedressError('OUTPUT_UNWRITABLE', { path, reason: 'the file already exists' });
  const dir = await stat(dirname(path)).catch(() => null);
  if (!dir?.isDirectory()) throw new RedressError('OUTPUT_UNWRITABLE', { path, reason: 'its folder does not exist' });
}
