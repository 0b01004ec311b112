import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ItemKind } from '../../../shared/case-model.js';
import { localZone } from '../../../shared/format.js';
import { RedressError } from '../errors.js';
import { RecordRepo, type InsertCounts } from '../records/record-repo.js';
import type { ItemMeta, SealedOriginal } from '../items/item-repo.js';
import type { Vault } from '../vault/vault.js';
import { alipay } from './alipay.js';
import { bankCsv, parseProfile, type BankCsvProfile } from './bank-csv.js';
import { camt053 } from './camt053.js';
import { detectFormat } from './detect.js';
import { images } from './images.js';
import { iosSmsDb } from './ios-sms-db.js';
import { capOutput, LIMITS } from './limits.js';
import { ofx } from './ofx.js';
import { ProfileRepo } from './profiles.js';
import { smsBackupXml } from './sms-backup-xml.js';
import { actualTotals, checkTotals } from './table.js';
import { telegram } from './telegram.js';
import type { FormatId, ImageMeta, Importer, ParseContext, ParseOutput, Partial, RecordDraft, TotalLine, TotalsCheck } from './types.js';
import { wechatPayCsv, wechatPayXlsx } from './wechat-pay.js';
import { whatsapp } from './whatsapp.js';

export const IMPORTERS: Record<FormatId, Importer> = {
  'sms-backup-xml': smsBackupXml,
  'ios-sms-db': iosSmsDb,
  'alipay-csv': alipay,
  'wechat-pay-csv': wechatPayCsv,
  'wechat-pay-xlsx': wechatPayXlsx,
  'bank-csv': bankCsv,
  ofx,
  camt053,
  whatsapp,
  'telegram-json': telegram,
  image: images,
};

const ITEM_KIND: Record<FormatId, ItemKind | undefined> = {
  'sms-backup-xml': 'message-export',
  'ios-sms-db': 'message-export',
  'alipay-csv': 'payment-record',
  'wechat-pay-csv': 'payment-record',
  'wechat-pay-xlsx': 'payment-record',
  'bank-csv': 'bank-record',
  ofx: 'bank-record',
  camt053: 'bank-record',
  whatsapp: 'chat-export',
  'telegram-json': 'chat-export',
  image: undefined, // photo or screenshot, from the name
};

export interface ImportProgress {
  phase: 'reading' | 'storing' | 'recording';
  bytes: number;
  totalBytes: number;
}

export interface ImportOptions {
  /** skip detection */
  format?: FormatId;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  /** zone for times the file does not zone (SMS backups, WhatsApp, plain dates): default this machine's */
  zone?: string;
  /** bank CSV: a saved profile's name, or a mapping given inline */
  profile?: string | unknown;
  /** chats: the victim's own display name, whose messages are "out" */
  selfName?: string;
  /**
   * The file's bytes, held in memory (a file dropped on the app): they are parsed and stored from memory and never
   * written anywhere in the clear; `path` is then only the file's name.
   */
  data?: Buffer;
}

export interface Preview {
  file: string;
  format: FormatId;
  size: number;
  counts: { messages: number; transactions: number; attachments: number };
  dateRange: { first: string; last: string } | null;
  /** per direction and currency, in minor units, over every transaction row read */
  totals: TotalLine[];
  totalsCheck: TotalsCheck | null;
  partial: Partial | null;
  warnings: string[];
  facts: Record<string, string>;
  image: ImageMeta | null;
  /** the first records, for the confirm screen */
  sample: RecordDraft[];
}

export interface ImportResult extends Omit<Preview, 'sample' | 'counts'> {
  caseId: string;
  importId: string;
  /** the original file, stored as evidence; `duplicate` when the same bytes were already in the case */
  source: { itemId: string; sha256: string; duplicate: boolean };
  /** items created by this import: the original (unless duplicate) and attachments (MMS images) */
  newItemIds: string[];
  attachmentItemIds: string[];
  counts: InsertCounts & { attachments: number };
  custodySeq: number;
}

const MAX_WARNINGS = LIMITS.warnings;

function capWarnings(w: string[]): string[] {
  return w.length <= MAX_WARNINGS ? w : [...w.slice(0, MAX_WARNINGS), `… and ${w.length - MAX_WARNINGS} more`];
}

async function fileSize(path: string): Promise<{ size: number; mtimeMs: number }> {
  const s = await stat(path).catch((err: NodeJS.ErrnoException) => {
    throw new RedressError('FILE_UNREADABLE', { file: path, reason: err.code ?? err.message });
  });
  if (!s.isFile()) throw new RedressError('FILE_UNREADABLE', { file: path, reason: 'not a regular file' });
  return { size: s.size, mtimeMs: s.mtimeMs };
}

function resolveProfile(profile: unknown, repo: ProfileRepo | null): BankCsvProfile | undefined {
  if (profile === undefined) return undefined;
  if (typeof profile === 'string') {
    if (!repo) throw new RedressError('IMPORT_PROFILE_REQUIRED', { detail: `a saved profile ("${profile}") needs an open vault; pass the mapping itself to preview` });
    return repo.get(profile);
  }
  return parseProfile(profile);
}

async function parseWith(importer: Importer, path: string, size: number, options: ImportOptions, profile: BankCsvProfile | undefined, phase: ImportProgress['phase'], storeAttachment?: ParseContext['storeAttachment']): Promise<ParseOutput> {
  let bytes = 0;
  const ctx: ParseContext = {
    path,
    size,
    ...(options.data ? { data: options.data } : {}),
    zone: options.zone ?? localZone(),
    onBytes: (n) => {
      bytes += n;
      options.onProgress?.({ phase, bytes: Math.min(bytes, size), totalBytes: size });
    },
    ...(options.signal ? { signal: options.signal } : {}),
    ...(storeAttachment ? { storeAttachment } : {}),
    ...(profile ? { profile } : {}),
    ...(options.selfName ? { selfName: options.selfName } : {}),
  };
  try {
    const out = await importer.parse(ctx);
    capOutput(out, path); // every field of every record within its cap, whatever the parser did (limits.ts)
    return out;
  } catch (err) {
    if (err instanceof RedressError) throw err;
    // A parser bug or a library choking on hostile input: a clear error, never a crash.
    throw new RedressError('IMPORT_PARSE_FAILED', { file: path, format: importer.format, detail: String((err as Error)?.message ?? err).slice(0, 200), locator: 'unknown' }, { cause: err });
  }
}

function summarize(path: string, format: FormatId, size: number, parsed: ParseOutput): Preview {
  let first: string | null = null;
  let last: string | null = null;
  let messages = 0;
  for (const r of parsed.records) {
    if (r.kind === 'message') messages++;
    const t = r.time.instant;
    if (first === null || t < first) first = t;
    if (last === null || t > last) last = t;
  }
  const totals = actualTotals(parsed.records);
  const totalsCheck = parsed.declared && parsed.declared.totals.length + (parsed.declared.count !== undefined ? 1 : 0) > 0 && format !== 'sms-backup-xml' ? checkTotals(parsed.records, parsed.declared) : null;
  const warnings = [...parsed.warnings];
  if (format === 'sms-backup-xml' && parsed.declared?.count !== undefined && parsed.declared.count !== parsed.records.length && !parsed.partial) {
    warnings.push(`the backup says it holds ${parsed.declared.count} messages; ${parsed.records.length} were read`);
  }
  return {
    file: path,
    format,
    size,
    counts: { messages, transactions: parsed.records.length - messages, attachments: parsed.attachmentsFound },
    dateRange: first && last ? { first, last } : null,
    totals,
    totalsCheck,
    partial: parsed.partial ?? null,
    warnings: capWarnings(warnings),
    facts: parsed.facts,
    image: parsed.image ?? null,
    sample: parsed.records.slice(0, 20),
  };
}

/**
 * Reads a file the way importFile would and says what it found (format, counts, date range, totals, the file's
 * own stated totals checked, partial or not), storing nothing. The UI shows this before the user confirms.
 * A saved bank profile can be named only when `vault` is given.
 */
export async function previewFile(path: string, options: ImportOptions = {}, vault?: Vault): Promise<Preview> {
  const { size } = options.data ? { size: options.data.length } : await fileSize(path);
  const profile = resolveProfile(options.profile, vault ? new ProfileRepo(vault.context.db) : null);
  const format = options.format ?? (await detectFormat(path, { hasBankProfile: profile !== undefined, ...(options.data ? { data: options.data } : {}) }));
  const parsed = await parseWith(IMPORTERS[format], path, size, options, profile, 'reading');
  return summarize(path, format, size, parsed);
}

/**
 * Imports one file into a case:
 *  1. parses it completely without storing anything (a file that cannot be read leaves the vault unchanged);
 *  2. seals the original into the store (hashed, encrypted, never changed) and checks it did not change meanwhile;
 *  3. parses again only if it holds attachments, sealing each one;
 *  4. in ONE transaction: the original's item (unless the case holds these bytes already), the attachments' items
 *     (derived from it), every record, pointing back to the original (item id, SHA-256, locator), and their custody
 *     entries, the last one 'records.imported' with counts, totals and the source hash.
 * So an import is one unit: a crash or failure before the commit leaves no item without its records, only sealed
 * objects that nothing references (set aside in quarantine on the next open, never deleted). Duplicates (same
 * platform id, else same content) are counted and skipped. A file cut off midway is imported up to the break and
 * marked partial, in the result and on the custody chain.
 */
export async function importFile(vault: Vault, caseId: string, path: string, options: ImportOptions = {}): Promise<ImportResult> {
  vault.cases.get(caseId);
  const { data } = options;
  const before = data ? { size: data.length, mtimeMs: 0 } : await fileSize(path);
  const profile = resolveProfile(options.profile, new ProfileRepo(vault.context.db));
  const format = options.format ?? (await detectFormat(path, { hasBankProfile: profile !== undefined, ...(data ? { data } : {}) }));
  const importer = IMPORTERS[format];
  let parsed = await parseWith(importer, path, before.size, options, profile, 'reading');

  const kind = ITEM_KIND[format];
  const storing = {
    ...(options.signal ? { signal: options.signal } : {}),
    onBytes: (() => {
      let n = 0;
      return (b: number) => options.onProgress?.({ phase: 'storing', bytes: (n += b), totalBytes: before.size });
    })(),
  };
  const original = data ? await vault.items.sealBuffer(data, { name: basename(path) }, storing) : await vault.items.sealFile(path, storing);
  if (!data) {
    const after = await fileSize(path);
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || original.stored.size !== before.size) throw new RedressError('IMPORT_SOURCE_CHANGED', { file: path });
  }
  // Ids are chosen before anything is recorded: the attachments name their original, the records their attachments.
  const known = vault.items.findBySha256(caseId, original.stored.sha256);
  const source = { itemId: known ?? randomUUID(), sha256: original.stored.sha256, duplicate: known !== null };

  const attachments: { id: string; sealed: SealedOriginal; meta: ItemMeta }[] = [];
  if (parsed.attachmentsFound > 0) {
    parsed = await parseWith(importer, path, before.size, options, profile, 'recording', async (a) => {
      const sealed = await vault.items.sealBuffer(a.data, { name: a.name, mediaType: a.mediaType });
      const sha = sealed.stored.sha256;
      const same = sha === source.sha256 ? source.itemId : (vault.items.findBySha256(caseId, sha) ?? attachments.find((x) => x.sealed.stored.sha256 === sha)?.id);
      if (same) return same;
      const id = randomUUID();
      attachments.push({ id, sealed, meta: { derivedFrom: source.itemId, kind: a.mediaType.startsWith('image/') ? 'photo' : 'other', source: `attachment in ${basename(path)} (${a.locator})` } });
      return id;
    });
  }
  const attachmentItemIds = attachments.map((a) => a.id);

  const preview = summarize(path, format, before.size, parsed);
  const image = format === 'image' ? parsed.image : undefined;
  options.onProgress?.({ phase: 'recording', bytes: before.size, totalBytes: before.size });
  const repo = new RecordRepo(vault.context);
  const { importId, counts, seq } = vault.context.db.transaction(() => {
    if (!source.duplicate) vault.items.recordSealed(caseId, original, { ...(kind ? { kind } : {}), source: `import: ${format}` }, { id: source.itemId });
    for (const a of attachments) vault.items.recordSealed(caseId, a.sealed, a.meta, { id: a.id });
    return repo.insertImport({
      caseId,
      format,
      source: { itemId: source.itemId, sha256: source.sha256 },
      records: parsed.records,
      partial: !!parsed.partial,
      custody: {
        format,
        sourceItemId: source.itemId,
        sourceSha256: source.sha256,
        fileName: basename(path),
        totals: preview.totals,
        ...(preview.totalsCheck ? { totalsCheck: { ok: preview.totalsCheck.ok, mismatches: preview.totalsCheck.mismatches } } : {}),
        partial: preview.partial,
        attachmentItemIds,
        warnings: preview.warnings.length,
        ...(profile ? { profile } : {}),
        // The chain goes into packets, so it only says GPS coordinates exist; they stay in the original photo.
        ...(image ? { image: { ...image, ...(image.gps ? { gps: 'present (sensitive)' } : {}) } } : {}),
      },
    });
  })();
  const { sample: _sample, counts: previewCounts, ...rest } = preview;
  return {
    ...rest,
    caseId,
    importId,
    source,
    newItemIds: [...(source.duplicate ? [] : [source.itemId]), ...attachmentItemIds],
    attachmentItemIds,
    counts: { ...counts, attachments: previewCounts.attachments },
    custodySeq: seq,
  };
}
