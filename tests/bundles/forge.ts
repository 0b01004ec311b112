// Forging hostile bundles the way a sender who wants to attack the recipient would: the custody chain is not signed,
// so whoever writes the bundle can rewrite any entry and recompute every hash (and any records digest) after it.
// The importer must refuse what the chain itself cannot rule out. See craft.ts for the envelope.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { Readable, type PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import yazl from 'yazl';
import { writeSealedBundle } from '../../electron/core/bundles/container.js';
import { canonicalJson, entryHash, GENESIS_HASH, newSalts, type CustodyEntryBody } from '../../electron/core/custody/entry.js';
import { recordColumnsSql, recordsDigest, type RecordTable, type StoredRecordRow } from '../../electron/core/custody/records-digest.js';
import type { RecordDraft } from '../../electron/core/importers/types.js';
import { RecordRepo } from '../../electron/core/records/record-repo.js';
import type { Vault } from '../../electron/core/vault/vault.js';
import { newVault, TEST_KDF } from '../helpers/vault.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type AnyManifest = any;

/**
 * A v2 body commits to each payload field by its salt: a field the edit added gets one, a field it removed loses its
 * own, as the writer would have done (entry.ts).
 */
export function resalt(body: CustodyEntryBody): void {
  if (body.v !== 2) return;
  const salts = { ...newSalts(body.payload), ...body.salts };
  body.salts = Object.fromEntries(Object.keys(body.payload).filter((k) => body.payload[k] !== undefined).map((k) => [k, salts[k]!]));
}

/** Rewrites custody bodies (edit may change anything) and recomputes every prev and hash, as an attacker can. */
export function rechain(manifest: AnyManifest, edit: (body: CustodyEntryBody & { payload: any }, index: number) => void = () => undefined): AnyManifest {
  let prev = GENESIS_HASH;
  for (const [i, row] of (manifest.custody as { seq: number; body: string; hash: string }[]).entries()) {
    const body = JSON.parse(row.body) as CustodyEntryBody & { payload: any };
    edit(body, i);
    resalt(body);
    body.prev = prev;
    row.body = canonicalJson(body);
    row.hash = entryHash(body);
    row.seq = body.seq;
    prev = row.hash;
  }
  const last = manifest.custody.at(-1);
  manifest.case.head_seq = last.seq;
  manifest.case.head_hash = last.hash;
  return manifest;
}

/** The same case under another id, everywhere the id appears, with records digests and the chain redone to match. */
export function renameCase(manifest: AnyManifest, id: string): AnyManifest {
  manifest.caseId = id;
  manifest.case.id = id;
  for (const item of manifest.items) item.case_id = id;
  for (const rows of Object.values(manifest.tables) as Record<string, unknown>[][]) for (const row of rows) if ('case_id' in row) row.case_id = id;
  for (const row of manifest.custody) row.body = JSON.stringify({ ...JSON.parse(row.body), caseId: id });
  return redigest(manifest);
}

/** A bundle row as the records digest reads it (content_key as lowercase hex, the "table" member). */
function digestRow(table: RecordTable, row: Record<string, any>): StoredRecordRow {
  const out: Record<string, unknown> = { table };
  for (const key of recordColumnsSql(table).split(', ').map((c) => c.split(' AS ').at(-1)!.replace(/"/g, ''))) {
    if (key === 'table') continue;
    out[key] = key === 'content_key' && row.content_key?.$base64 !== undefined ? Buffer.from(row.content_key.$base64, 'base64').toString('hex') : row[key];
  }
  return out;
}

/** Recomputes each records.imported entry's counts and digest from the bundle's rows (what a forger does), then rehashes. */
export function redigest(manifest: AnyManifest): AnyManifest {
  return rechain(manifest, (body) => {
    if (body.action !== 'records.imported') return;
    const importId = body.payload.importId as string;
    const rows: { table: RecordTable; row: StoredRecordRow }[] = [];
    for (const table of ['messages', 'transactions'] as const) for (const row of manifest.tables[table] ?? []) if (row.import_id === importId) rows.push({ table, row: digestRow(table, row) });
    body.payload.recordsDigest = recordsDigest(rows);
    body.payload.counts.messages.added = rows.filter((r) => r.table === 'messages').length;
    body.payload.counts.transactions.added = rows.filter((r) => r.table === 'transactions').length;
  });
}

/** Adds an item and imports `messages` messages and `transactions` transactions read from it, in one import. */
export async function addRecords(vault: Vault, caseId: string, messages: number, transactions: number, tag = ''): Promise<{ importId: string }> {
  const data = Buffer.from(`export ${tag} ${caseId} ${messages} ${transactions}\n`);
  const { item } = await vault.items.addBuffer(caseId, data, { name: `export${tag}.txt` });
  const time = (i: number) => ({ instant: new Date(Date.UTC(2026, 0, 1, 8, i)).toISOString(), offsetMinutes: 480, zone: 'Asia/Shanghai' });
  const records: RecordDraft[] = [];
  for (let i = 0; i < messages; i++) records.push({ kind: 'message', locator: `m${i}`, time: time(i), direction: i % 2 ? 'in' : 'out', channel: 'sms', counterpartAddress: '10690000', body: `${tag} 消息 ${i}: 请转账到安全账户`, attachments: [] });
  for (let i = 0; i < transactions; i++) records.push({ kind: 'transaction', locator: `t${i}`, time: time(i), direction: 'out', amount: { currency: 'CNY', minor: 10_000 + i }, counterpartyName: `收款人 ${tag}${i}`, platform: 'alipay', platformTxId: `2026${tag}${i}` });
  const sha256 = createHash('sha256').update(data).digest('hex');
  const r = new RecordRepo(vault.context).insertImport({ caseId, format: 'test', source: { itemId: item.id, sha256 }, records, partial: false, custody: { fileName: `export${tag}.txt` } });
  return { importId: r.importId };
}

export interface ChildImport {
  /** the RedressError code, or "ok", or "crash" */
  code: string;
  limit?: string;
  detail?: string;
  message?: string;
  /** peak resident set of the importing process, in MiB */
  rssMiB: number;
  /** its resident set once the vault is open, before the import */
  baseMiB: number;
  /** milliseconds from calling importBundle to its outcome */
  ms: number;
  /** CPU milliseconds (user and system) the import took */
  cpuMs: number;
  stderr: string;
}

const CHILD = fileURLToPath(new URL('./import-child.ts', import.meta.url));

/** Imports a bundle into a fresh vault in a child process and reports its peak RSS (the process's maxRSS) and time. */
export async function importInChild(bundle: string, passphrase: string, vaultDir: string): Promise<ChildImport> {
  await (await newVault(vaultDir)).vault.close();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, vaultDir, bundle], {
      env: { ...process.env, REDRESS_TEST_KDF: '1', TRANSFER: passphrase },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', () => {
      const line = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolve({ ...(JSON.parse(line) as Omit<ChildImport, 'stderr'>), stderr });
      } catch {
        resolve({ code: 'crash', rssMiB: NaN, baseMiB: NaN, ms: NaN, cpuMs: NaN, stderr: (stderr + stdout).slice(-2000) });
      }
    });
  });
}

/** A member whose content is streamed (so a test can write a 250 MiB member without holding it), or a buffer. */
export type StreamedMember = [name: string, data: Buffer | (() => AsyncIterable<Buffer>), options?: { compress?: boolean }];

/** Like craft.ts pack, but streaming: zips and seals members of any size in bounded memory. */
export async function packStreamed(path: string, passphrase: string, members: StreamedMember[]): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, data, options] of members) {
    const compress = options?.compress ?? name.endsWith('.json');
    if (Buffer.isBuffer(data)) zip.addBuffer(data, name, { compress });
    else zip.addReadStream(Readable.from(data()), name, { compress });
  }
  zip.end();
  await writeSealedBundle(path, passphrase, TEST_KDF, zip.outputStream as PassThrough);
}

/** `total` bytes of one repeated character, in 1 MiB pieces. */
export async function* filler(total: number, char = 'A'): AsyncGenerator<Buffer> {
  const piece = Buffer.alloc(1024 * 1024, char);
  for (let left = total; left > 0; left -= piece.length) yield left >= piece.length ? piece : piece.subarray(0, left);
}

/**
 * Only the envelope's header, with whatever key-derivation cost it asks for, followed by random bytes: what is read
 * before a single key is derived.
 */
export async function headerOnly(path: string, kdf: { N: number; r: number; p: number }): Promise<void> {
  const header = canonicalJson({ format: 'redress-bundle', v: 1, kdf: { name: 'scrypt', ...kdf }, salt: randomBytes(16).toString('base64'), check: randomBytes(16).toString('base64') });
  const length = Buffer.alloc(4);
  length.writeUInt32BE(Buffer.byteLength(header));
  await writeFile(path, Buffer.concat([Buffer.from('RDXBNDL1', 'latin1'), length, Buffer.from(header), randomBytes(4096)]));
}

/** The plaintext ZIP that craft.ts pack would seal, to be patched byte by byte before sealZip. */
export async function zipOf(members: [string, Buffer][]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of members) zip.addBuffer(data, name, { compress: name.endsWith('.json') });
  zip.end();
  const parts: Buffer[] = [];
  for await (const part of zip.outputStream as PassThrough) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

export async function sealZip(path: string, passphrase: string, zip: Buffer): Promise<void> {
  await writeSealedBundle(path, passphrase, TEST_KDF, (async function* () {
    yield zip;
  })());
}

/**
 * A ZIP of stored members written by hand, fast for any number of members (yazl takes minutes for 200,000): with a
 * ZIP64 end record when there are more than 65,534, as yauzl expects.
 */
export function storedZip(members: [string, Buffer][]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of members) {
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    locals.push(local, nameBytes, data);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(0x0800, 8);
    cd.writeUInt32LE(crc, 16);
    cd.writeUInt32LE(data.length, 20);
    cd.writeUInt32LE(data.length, 24);
    cd.writeUInt16LE(nameBytes.length, 28);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const cdSize = central.reduce((a, b) => a + b.length, 0);
  const cdOffset = offset;
  const tail: Buffer[] = [];
  const zip64 = members.length > 0xfffe;
  if (zip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE(45, 12);
    record.writeUInt16LE(45, 14);
    record.writeBigUInt64LE(BigInt(members.length), 24);
    record.writeBigUInt64LE(BigInt(members.length), 32);
    record.writeBigUInt64LE(BigInt(cdSize), 40);
    record.writeBigUInt64LE(BigInt(cdOffset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    locator.writeBigUInt64LE(BigInt(cdOffset + cdSize), 8);
    locator.writeUInt32LE(1, 16);
    tail.push(record, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(zip64 ? 0xffff : members.length, 8);
  end.writeUInt16LE(zip64 ? 0xffff : members.length, 10);
  end.writeUInt32LE(cdSize, 12);
  end.writeUInt32LE(cdOffset, 16);
  return Buffer.concat([...locals, ...central, ...tail, end]);
}
