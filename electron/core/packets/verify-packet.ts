import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import yauzl from 'yauzl';
import { RedressError } from '../errors.js';
import { PACKET_FORMAT } from './manifest.js';
import { hashFile, parseSha256Sums } from './sha256sums.js';
import { checkPacketCustody, type CustodyCheck } from './custody-excerpt.js';
import { checkPacketTimestamps, type TimestampCheck } from './timestamps-check.js';
import { checkSignature, SIGNATURE_FILE, SIGNATURE_FILE_CAPS, SIGNER_KEY_FILE, type SignatureCheck } from './signature.js';
import { normaliseFingerprint } from '../../../shared/key-fingerprint.js';

const FORMAT_UNKNOWN: CustodyCheck = { status: 'failed', entries: 0, recomputed: 0, problems: ['manifest.json is missing, unreadable, or of an unknown format'] };

/** SHA256SUMS and manifest.json are read whole: bigger than any packet's (100k items make a few tens of MB) is refused. */
const MAX_LISTING_BYTES = 256 * 1024 * 1024;

/** duplicate: a ZIP holding two entries of one name, of which a reader checks one and an unzip tool may extract the other */
export type FileStatus = 'intact' | 'altered' | 'missing' | 'mismatch' | 'extra' | 'ignored' | 'duplicate';

/**
 * What a file manager leaves in a folder it showed, or in a ZIP it made of it (Finder, Explorer): named in the
 * report, not counted against the packet. Anything else not in SHA256SUMS was put there and fails the check.
 */
export const FILE_MANAGER_LITTER = { names: ['.DS_Store', 'Thumbs.db', 'desktop.ini'], appleDouble: { folder: '__MACOSX/', prefix: '._' } } as const;

export function isFileManagerLitter(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  // Finder's ZIPs keep each file's metadata as "._name" under __MACOSX/: anything else there was put there
  const { folder, prefix } = FILE_MANAGER_LITTER.appleDouble;
  return (path.startsWith(folder) && name.startsWith(prefix)) || (FILE_MANAGER_LITTER.names as readonly string[]).includes(name);
}

/**
 * Who vouches for the packet beyond its own hashes:
 * - self-attested: nothing; whoever holds a copy can regenerate SHA256SUMS and the manifest, so the verdict says so
 * - signed: a vault key signed it, but the recipient has not said which key to expect: anyone can make a key, so
 *   the verdict shows its fingerprint to compare with the one the sender gave them another way
 * - signed-by-expected-key: signed by the key whose fingerprint the recipient was given
 */
export type Attestation = 'self-attested' | 'signed' | 'signed-by-expected-key';

export interface VerifyPacketOptions {
  /** the fingerprint of the sender's vault key, as the recipient was given it (any spacing or case) */
  expectKey?: string;
  /** root certificates (PEM or DER) the recipient trusts for time-stamp authorities, beside the catalog's */
  tsaRoots?: readonly Buffer[];
}

export interface PacketFileCheck {
  path: string;
  status: FileStatus;
  expected?: string;
  actual?: string;
}

/** The result of checking a packet folder or ZIP on its own, with no vault. */
export interface PacketReport {
  ok: boolean;
  kind: 'folder' | 'zip';
  path: string;
  format: string | null;
  caseTitle: string | null;
  recipient: string | null;
  /** SHA-256 of SHA256SUMS: compare with what the sender's custody chain recorded */
  packetSha256: string;
  checked: number;
  files: PacketFileCheck[];
  /** true for one volume of a split packet: files listed in SHA256SUMS but absent are expected elsewhere */
  partial: boolean;
  attestation: Attestation;
  signature: SignatureCheck;
  /** the custody chain in the manifest, recomputed (null for a packet of format 1, which carries only part of it) */
  custody: CustodyCheck | null;
  /** the trusted timestamps on the chain, each checked against the entry it stamps and the roots given */
  timestamps: TimestampCheck[];
}

interface Source {
  list(): Promise<string[]>;
  /** paths that more than one ZIP entry carries */
  duplicates(): string[];
  /** null when absent, or larger than `maxBytes` (then it is not the file it claims to be) */
  read(path: string, maxBytes: number): Promise<Buffer | null>;
  hash(path: string): Promise<string | null>;
  close(): void;
}

/**
 * Checks every file listed in SHA256SUMS (and manifest.json's file list against it). A folder is read in place; a
 * ZIP is read entry by entry without extracting. A volume of a split packet (name *.partNofM.zip) reports files
 * held by other volumes as missing but is still ok when everything it holds is intact.
 */
export async function verifyPacket(path: string, options: VerifyPacketOptions = {}): Promise<PacketReport> {
  let expectKey: string | undefined;
  if (options.expectKey !== undefined) {
    expectKey = normaliseFingerprint(options.expectKey) ?? undefined;
    if (!expectKey) throw new RedressError('INVALID_INPUT', { field: 'key', reason: 'not a key fingerprint (32 or 64 hex digits)' });
  }
  const info = await stat(path).catch(() => null);
  if (!info) throw new RedressError('FILE_UNREADABLE', { file: path, reason: 'not found' });
  const isZip = info.isFile();
  const source = isZip ? await zipSource(path) : folderSource(path);
  try {
    return await check(path, source, isZip, expectKey, options.tsaRoots ?? []);
  } finally {
    source.close();
  }
}

async function check(path: string, source: Source, isZip: boolean, expectKey: string | undefined, tsaRoots: readonly Buffer[]): Promise<PacketReport> {
  const sumsBytes = await source.read('SHA256SUMS', MAX_LISTING_BYTES);
  if (!sumsBytes) throw new RedressError('PACKET_INVALID', { path, reason: 'SHA256SUMS' });
  const sumsText = sumsBytes.toString('utf8');
  const listed = parseSha256Sums(sumsText);
  let manifest: { format?: string; case?: { title?: string; chainHead?: unknown }; recipient?: { name?: string }; files?: { path: string; sha256: string }[]; signer?: unknown; custody?: unknown; items?: unknown } | null = null;
  const manifestBytes = await source.read('manifest.json', MAX_LISTING_BYTES);
  if (manifestBytes) {
    try {
      manifest = JSON.parse(manifestBytes.toString('utf8'));
    } catch {
      manifest = null;
    }
  }
  const files: PacketFileCheck[] = [];
  for (const entry of listed) {
    const actual = await source.hash(entry.path);
    if (actual === null) files.push({ path: entry.path, status: 'missing', expected: entry.sha256 });
    else files.push({ path: entry.path, status: actual === entry.sha256 ? 'intact' : 'altered', expected: entry.sha256, actual });
  }
  const bySums = new Map(listed.map((l) => [l.path, l.sha256]));
  for (const f of manifest?.files ?? []) {
    if (bySums.get(f.path) !== f.sha256) files.push({ path: f.path, status: 'mismatch', expected: f.sha256, ...(bySums.has(f.path) ? { actual: bySums.get(f.path)! } : {}) });
  }
  const known = new Set([...bySums.keys(), 'SHA256SUMS', SIGNATURE_FILE]);
  for (const p of await source.list()) if (!known.has(p)) files.push({ path: p, status: isFileManagerLitter(p) ? 'ignored' : 'extra' });
  for (const p of source.duplicates()) files.push({ path: p, status: 'duplicate' });
  const partial = isZip && /\.part\d+of\d+\.zip$/i.test(path);
  const bad = files.filter((f) => f.status === 'altered' || f.status === 'mismatch' || f.status === 'extra' || f.status === 'duplicate' || (f.status === 'missing' && !partial));
  const signature = checkSignature({
    sums: sumsBytes,
    signature: await source.read(SIGNATURE_FILE, SIGNATURE_FILE_CAPS.signature),
    keyPem: await source.read(SIGNER_KEY_FILE, SIGNATURE_FILE_CAPS.key),
    claimed: manifest?.signer,
    ...(expectKey ? { expectKey } : {}),
  });
  const signed = signature.status === 'valid';
  const custody = manifest?.format === PACKET_FORMAT ? checkPacketCustody(manifest) : manifest?.format === 'redress-packet/1' ? null : FORMAT_UNKNOWN;
  const timestamps = custody && custody.status !== 'failed' ? await checkPacketTimestamps(manifest?.custody, tsaRoots) : [];
  return {
    ok: bad.length === 0 && listed.length > 0 && (signed || signature.status === 'absent') && custody?.status !== 'failed' && timestamps.every((t) => t.status !== 'failed'),
    kind: isZip ? 'zip' : 'folder',
    path,
    format: manifest?.format ?? null,
    caseTitle: manifest?.case?.title ?? null,
    recipient: manifest?.recipient?.name ?? null,
    packetSha256: createHash('sha256').update(sumsBytes).digest('hex'),
    checked: listed.length,
    files,
    partial,
    attestation: signed ? (expectKey ? 'signed-by-expected-key' : 'signed') : 'self-attested',
    signature,
    custody,
    timestamps,
  };
}

export { PACKET_FORMAT };

function folderSource(root: string): Source {
  const safe = (p: string) => {
    const abs = join(root, p);
    return relative(root, abs).startsWith('..') ? null : abs;
  };
  return {
    close() {},
    duplicates: () => [],
    async list() {
      const out: string[] = [];
      const walk = async (dir: string) => {
        for (const e of await readdir(dir, { withFileTypes: true })) {
          const abs = join(dir, e.name);
          if (e.isDirectory()) await walk(abs);
          else out.push(relative(root, abs).split(sep).join('/'));
        }
      };
      await walk(root);
      return out;
    },
    async read(p, maxBytes) {
      const abs = safe(p);
      const info = abs ? await stat(abs).catch(() => null) : null;
      return abs && info?.isFile() && info.size <= maxBytes ? readFile(abs).catch(() => null) : null;
    },
    async hash(p) {
      const abs = safe(p);
      if (!abs) return null;
      return hashFile(abs).then(
        (h) => h.sha256,
        () => null,
      );
    },
  };
}

/** Entries of a packet ZIP, with the single top folder (the packet's name) removed from their paths. */
async function zipSource(path: string): Promise<Source> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false, decodeStrings: true, strictFileNames: false }, (err, z) => (err ? reject(new RedressError('PACKET_INVALID', { path, reason: 'ZIP' }, { cause: err })) : resolve(z!))),
  );
  const entries = new Map<string, yauzl.Entry>();
  const repeated = new Set<string>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (e: yauzl.Entry) => {
      // the first entry of a name is the one checked; any other of that name fails the packet (see FileStatus)
      if (entries.has(e.fileName)) repeated.add(e.fileName);
      else if (!e.fileName.endsWith('/')) entries.set(e.fileName, e);
      zip.readEntry();
    });
    zip.on('end', resolve);
    zip.on('error', reject);
    zip.readEntry();
  });
  const names = [...entries.keys()];
  const tops = new Set(names.map((n) => (n.includes('/') ? n.slice(0, n.indexOf('/') + 1) : '')));
  const prefix = tops.size === 1 ? [...tops][0]! : '';
  const byPath = new Map([...entries].map(([n, e]) => [n.slice(prefix.length), e]));
  const stream = (p: string) =>
    new Promise<NodeJS.ReadableStream | null>((resolve, reject) => {
      const e = byPath.get(p);
      if (!e) return resolve(null);
      zip.openReadStream(e, (err, s) => (err ? reject(err) : resolve(s!)));
    });
  return {
    close: () => zip.close(),
    duplicates: () => [...repeated].map((n) => (n.startsWith(prefix) ? n.slice(prefix.length) : n)),
    async list() {
      return [...byPath.keys()];
    },
    async read(p, maxBytes) {
      // yauzl refuses an entry that inflates past the size it declares, so the declared size is a bound
      if ((byPath.get(p)?.uncompressedSize ?? 0) > maxBytes) return null;
      const s = await stream(p);
      if (!s) return null;
      const chunks: Buffer[] = [];
      for await (const c of s as AsyncIterable<Buffer>) chunks.push(c);
      return Buffer.concat(chunks);
    },
    async hash(p) {
      const s = await stream(p).catch(() => null);
      if (!s) return null;
      const h = createHash('sha256');
      try {
        for await (const c of s as AsyncIterable<Buffer>) h.update(c);
      } catch {
        return 'unreadable';
      }
      return h.digest('hex');
    },
  };
}
