import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import { totalLosses } from '../../../shared/case-model.js';
import { localZone } from '../../../shared/format.js';
import { appendEntry, readEntries } from '../custody/chain.js';
import { RedressError } from '../errors.js';
import { ProfileRepo } from '../profile/profile-repo.js';
import type { Vault } from '../vault/vault.js';
import type { DisclosurePreview } from './disclosure.js';
import { packetFileName } from './file-names.js';
import { hasGps, imageInfo, locationFreeOriginal, pdfCopy, RASTER_TYPES, type ImageInfo } from './images.js';
import { LABELS, type PacketLang } from './labels.js';
import { manifestJson } from './manifest.js';
import { maskProfile } from './masking.js';
import type { PacketItem, PacketModel } from './model.js';
import { renderPacketPdf } from './pdf/render.js';
import { readmeText } from './readme-txt.js';
import { getRecipient } from './recipients.js';
import { loadPacketRecords } from './records.js';
import { selectItems } from './selection.js';
import { formatSha256Sums, hashFile, type HashedFile } from './sha256sums.js';
import { verifyHtml } from './verify-html.js';
import { planVolumes } from './volumes.js';
import { writeZip } from './zip.js';

export interface PacketProgress {
  phase: 'originals' | 'pdf' | 'checksums' | 'zip';
  done: number;
  total: number;
}

export interface BuildPacketOptions {
  caseId: string;
  recipientId: string;
  /** packet language; defaults to the recipient's */
  lang?: PacketLang;
  /** item ids (or unique prefixes); default: every item not excluded */
  itemIds?: string[];
  /** the packet folder and ZIP are created inside this folder */
  outDir: string;
  /** overrides the recipient's default request text */
  request?: string;
  signal?: AbortSignal;
  onProgress?: (p: PacketProgress) => void;
}

export interface PacketVolume {
  path: string;
  bytes: number;
  files: number;
}

export interface BuildPacketResult {
  dir: string;
  /** the ZIP of the whole folder, or its first volume when split */
  zipPath: string;
  pdfPath: string;
  /** SHA-256 of SHA256SUMS, which lists every file of the packet: the packet's own hash, recorded on the chain */
  packetSha256: string;
  volumes: PacketVolume[];
  /** files over the recipient's per-file or total limit even on their own */
  oversized: string[];
  /** images whose GPS location could not be removed (formats sharp cannot decode, e.g. HEIC): the user must decide */
  locationKept: string[];
  pages: number;
  files: HashedFile[];
  disclosure: DisclosurePreview;
}

const IMAGE_IN_MEMORY_MAX = 64 * 1024 * 1024;
const TEXT_REPRODUCED_MAX = 64 * 1024;
const TEXT_LINES_MAX = 400;

/**
 * Builds a complaint packet for one recipient: <outDir>/<name>/ with packet.pdf, originals/, manifest.json,
 * SHA256SUMS, README.txt and verify.html, plus <name>.zip (or numbered volumes under the recipient's attachment
 * limit). The folder is assembled under a temporary name and renamed when complete, so a cancelled or failed build
 * leaves nothing that looks like a packet. The export is recorded on the case's custody chain.
 */
export async function buildPacket(vault: Vault, options: BuildPacketOptions): Promise<BuildPacketResult> {
  const { signal, onProgress } = options;
  const check = () => {
    if (signal?.aborted) throw new RedressError('CANCELLED');
  };
  const recipient = getRecipient(options.recipientId);
  const lang = options.lang ?? recipient.defaultLang;
  const kase = vault.cases.get(vault.cases.resolve(options.caseId));
  const selected = selectItems(vault, kase.id, options.itemIds);
  const profile = new ProfileRepo(vault.context).get();
  const generatedAt = vault.context.clock.now();
  const name = `redress-${recipient.id}-${kase.id.slice(0, 8)}-${generatedAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '')}`;
  const dir = join(options.outDir, name);
  const work = join(options.outDir, `.${name}.partial`);
  if (await exists(dir)) throw new RedressError('INVALID_INPUT', { field: 'out', reason: `${dir} already exists` });
  await mkdir(join(work, 'originals'), { recursive: true });
  // page-sized JPEG copies for the PDF: inside the partial folder so a failed build removes them too
  const copies = join(work, '.pdf-images');
  await mkdir(copies);

  try {
    const items: PacketItem[] = [];
    const locationKept: string[] = [];
    const width = String(selected.length).length;
    for (const [index, { item, redactedFrom }] of selected.entries()) {
      check();
      onProgress?.({ phase: 'originals', done: index, total: selected.length });
      const n = `E${String(index + 1).padStart(Math.max(2, width), '0')}`;
      const path = `originals/${packetFileName(n, item)}`;
      const abs = join(work, path);
      let info: ImageInfo | null = null;
      let transform: PacketItem['transform'] = null;
      let text: string | undefined;
      // The packet's hashes are of the bytes actually written, never copied from the database.
      const hash = createHash('sha256');
      let size = 0;
      if (RASTER_TYPES.has(item.mediaType) && item.size <= IMAGE_IN_MEMORY_MAX) {
        const data = await readAll(vault, item.id);
        info = await imageInfo(data).catch(() => null);
        // sharp cannot decode some formats (HEIC): their location cannot be removed, so the user is told
        if (!info && (await hasGps(data))) locationKept.push(path);
        const out = info ? await locationFreeOriginal(data, info) : { bytes: data, transform: null };
        transform = out.transform;
        hash.update(out.bytes);
        size = out.bytes.length;
        await writeFile(abs, out.bytes);
      } else {
        const source = vault.items.read(item.id);
        const counted = async function* () {
          for await (const chunk of source) {
            hash.update(chunk);
            size += chunk.length;
            yield chunk;
          }
        };
        await pipeline(Readable.from(counted()), createWriteStream(abs), { signal });
        if (isText(item.mediaType) && item.size <= TEXT_REPRODUCED_MAX) text = decodeText(await readFile(abs));
      }
      const hashed = { sha256: hash.digest('hex'), size };
      if (!transform && hashed.sha256 !== item.sha256) throw new RedressError('VAULT_CORRUPT', { detail: `item ${item.id} does not match its recorded SHA-256; run "redress verify"` });
      const imageInfoFixed = info;
      items.push({
        n,
        item,
        path,
        fileSha256: hashed.sha256,
        fileSize: hashed.size,
        transform,
        redactedFrom: redactedFrom ? { itemId: redactedFrom.id, sha256: redactedFrom.sha256 } : null,
        ...(imageInfoFixed && imageInfoFixed.width > 0
          ? { pdfImage: async () => pdfCopy(transform ? { path: abs, data: await readAll(vault, item.id) } : { path: abs }, imageInfoFixed, join(copies, `${n}.jpg`), { compact: !!recipient.attachmentLimit }) }
          : {}),
        ...(text !== undefined ? { text } : {}),
      });
    }

    const model: PacketModel = {
      lang,
      labels: LABELS[lang],
      recipient,
      kase,
      profile,
      masked: maskProfile(profile, recipient),
      items,
      records: loadPacketRecords(vault, kase.id),
      totals: totalLosses(kase.losses),
      generatedAt,
      zone: localZone(),
      request: options.request?.trim() || recipient.request[lang],
    };

    check();
    const pdfPath = join(work, 'packet.pdf');
    const { pages } = await renderPacketPdf(model, pdfPath, { ...(signal ? { signal } : {}), onBlock: (done, total) => onProgress?.({ phase: 'pdf', done, total }) });
    await rm(copies, { recursive: true, force: true });
    await writeFile(join(work, 'verify.html'), verifyHtml({ lang, caseTitle: kase.title, recipientName: recipient.name[lang] }));

    onProgress?.({ phase: 'checksums', done: 0, total: 1 });
    const coreHashed: HashedFile[] = [];
    for (const p of ['packet.pdf', 'verify.html']) coreHashed.push({ path: p, ...(await hashFile(join(work, p), signal)) });
    const evidence: HashedFile[] = items.map((i) => ({ path: i.path, sha256: i.fileSha256, size: i.fileSize }));
    const entries = readEntries(vault.context.db, kase.id);
    const manifestText = manifestJson(model, [...coreHashed, ...evidence], entries);
    await writeFile(join(work, 'manifest.json'), manifestText);

    const estimateReadme = 4096;
    const estimateSums = (items.length + 5) * 200;
    const pdfFile = coreHashed.find((f) => f.path === 'packet.pdf')!;
    const htmlFile = coreHashed.find((f) => f.path === 'verify.html')!;
    const plan = planVolumes([pdfFile], evidence, recipient.attachmentLimit, [
      htmlFile,
      { path: 'manifest.json', size: Buffer.byteLength(manifestText) },
      { path: 'README.txt', size: estimateReadme },
      { path: 'SHA256SUMS', size: estimateSums },
    ]);
    const readme = readmeText({ lang, recipientName: recipient.name[lang], caseTitle: kase.title, fileCount: items.length + 5, volumes: plan.volumes.length, generatedAt: generatedAt.toISOString() });
    await writeFile(join(work, 'README.txt'), readme);
    const all: HashedFile[] = [
      ...coreHashed,
      { path: 'manifest.json', sha256: sha256(manifestText), size: Buffer.byteLength(manifestText) },
      { path: 'README.txt', sha256: sha256(readme), size: Buffer.byteLength(readme) },
      ...evidence,
    ];
    const sums = formatSha256Sums(all);
    await writeFile(join(work, 'SHA256SUMS'), sums);
    const packetSha256 = sha256(sums);

    check();
    await rename(work, dir);

    const volumes: PacketVolume[] = [];
    const zipBase = join(options.outDir, name);
    for (const [i, files] of plan.volumes.entries()) {
      check();
      onProgress?.({ phase: 'zip', done: i, total: plan.volumes.length });
      const zipPath = plan.volumes.length === 1 ? `${zipBase}.zip` : `${zipBase}.part${i + 1}of${plan.volumes.length}.zip`;
      await writeZip(files.map((f) => ({ source: join(dir, f.path), name: `${name}/${f.path}` })), zipPath, generatedAt, signal);
      volumes.push({ path: zipPath, bytes: (await stat(zipPath)).size, files: files.length });
    }
    onProgress?.({ phase: 'zip', done: plan.volumes.length, total: plan.volumes.length });

    const { db, clock, actor } = vault.context;
    db.transaction(() => {
      appendEntry(db, clock, actor, kase.id, 'packet.exported', {
        recipientId: recipient.id,
        lang,
        items: items.map((i) => ({ itemId: i.item.id, sha256: i.item.sha256, fileSha256: i.fileSha256 })),
        packetSha256,
        files: all.length + 1,
        volumes: volumes.length,
      });
    })();

    return {
      dir,
      zipPath: volumes[0]!.path,
      pdfPath: join(dir, 'packet.pdf'),
      packetSha256,
      volumes,
      oversized: plan.oversized,
      locationKept,
      pages,
      files: [...all, { path: 'SHA256SUMS', sha256: packetSha256, size: Buffer.byteLength(sums) }],
      disclosure: {
        recipient: { id: recipient.id, name: recipient.name, kind: recipient.kind, jurisdiction: recipient.jurisdiction },
        fields: model.masked.fields,
        items: items.map((i) => ({ itemId: i.item.id, title: i.item.title, sha256: i.item.sha256, mediaType: i.item.mediaType, redactedFrom: i.redactedFrom, locationStripped: i.transform !== null })),
        messages: recipient.sections.includes('messages') ? model.records.messages.length : 0,
        transactions: recipient.sections.includes('transactions') ? model.records.transactions.length : 0,
        counterparties: recipient.sections.includes('counterparties') ? kase.parties.length : 0,
        narrativeIncluded: recipient.sections.includes('narrative') && kase.narrative.trim().length > 0,
      },
    };
  } catch (err) {
    await rm(work, { recursive: true, force: true });
    throw err;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

async function readAll(vault: Vault, itemId: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of vault.items.read(itemId)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function isText(mediaType: string): boolean {
  return mediaType.startsWith('text/') || mediaType === 'application/json';
}

/** UTF-8 first; Chinese exports that are not valid UTF-8 are almost always GB18030/GBK. */
function decodeText(data: Buffer): string {
  let text = data.toString('utf8');
  if (text.includes('\uFFFD')) text = iconv.decode(data, 'gb18030');
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  return lines.length > TEXT_LINES_MAX ? lines.slice(0, TEXT_LINES_MAX).join('\n') + `\n… (${lines.length - TEXT_LINES_MAX} more lines in the original file)` : lines.join('\n');
}
