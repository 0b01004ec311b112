import { createHash } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { totalLosses } from '../../../shared/case-model.js';
import { localZone } from '../../../shared/format.js';
import { appendEntry, readEntries } from '../custody/chain.js';
import { RedressError } from '../errors.js';
import { ProfileRepo } from '../profile/profile-repo.js';
import { SealedFileError } from '../vault/sealed-file.js';
import type { Vault } from '../vault/vault.js';
import type { DisclosurePreview } from './disclosure.js';
import { packetFileName } from './file-names.js';
import { embeddableAsIs, pdfCopy } from './images.js';
import { LABELS, type PacketLang } from './labels.js';
import { manifestJson } from './manifest.js';
import { writeOriginal } from './originals.js';
import { maskProfile } from './masking.js';
import type { PacketItem, PacketModel } from './model.js';
import { renderPacketPdf } from './pdf/render.js';
import { readItem } from './read-item.js';
import { readmeText } from './readme-txt.js';
import { getRecipient } from './recipients.js';
import { loadPacketRecords } from './records.js';
import { selectItems } from './selection.js';
import { formatSha256Sums, type HashedFile } from './sha256sums.js';
import { verifyHtml } from './verify-html.js';
import { planVolumes } from './volumes.js';
import { writeZip, ZipWriter } from './zip.js';
import { createLimiter } from '../async/limiter.js';
import { mapLimited } from '../async/map-limited.js';

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

// Items are read, decrypted and written two at a time: one waits on the disk or on sharp's threads while the other
// is decrypted and hashed. Measured on two cores: 4 at once was no faster and varied more.
const ORIGINALS_AT_ONCE = 2;
const PDF_COPIES_AT_ONCE = 2;

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
  const copyJobs: Promise<unknown>[] = [];
  const zipBase = join(options.outDir, name);
  // One volume (no total attachment limit): the ZIP is written while the packet is made, each entry as soon as its
  // file exists, and the PDF straight from its writer. Volumes need every size first, so they are zipped at the end.
  const streamed = recipient.attachmentLimit?.totalBytes ? null : new ZipWriter(`${zipBase}.zip`, generatedAt, signal);

  try {
    const locationKept: string[] = [];
    const width = String(selected.length).length;
    const entryName = (index: number) => `E${String(index + 1).padStart(Math.max(2, width), '0')}`;
    const pathOf = (index: number) => `originals/${packetFileName(entryName(index), selected[index]!.item)}`;
    const zipEntries = streamed ? selected.map((_, index) => streamed.addLater(`${name}/${pathOf(index)}`)) : [];
    // PDF copies (images that cannot go into the PDF as they are) are made by sharp on its own threads while the
    // originals are still being written and the PDF is laid out; the layout waits only for a copy not yet done.
    const copyLimit = createLimiter(PDF_COPIES_AT_ONCE);
    const picturesInPdf = recipient.sections.includes('appendices');
    let written = 0;
    onProgress?.({ phase: 'originals', done: 0, total: selected.length });
    const items = await mapLimited(selected, ORIGINALS_AT_ONCE, async ({ item, redactedFrom }, index): Promise<PacketItem> => {
      check();
      const n = entryName(index);
      const path = pathOf(index);
      const abs = join(work, path);
      // The ZIP takes an image from memory rather than reading the file back; the next item waits until it has.
      // A worker that fails stops the ZIP at once: the others may be waiting for it to take their bytes.
      const out = await writeOriginal(vault, item, abs, signal)
        .then(async ({ bytes, ...written }) => {
          if (!written.transform && written.sha256 !== item.sha256) throw new RedressError('VAULT_CORRUPT', { detail: `item ${item.id} does not match its recorded SHA-256; run "redress verify"` });
          const entry = zipEntries[index];
          if (entry && bytes) await entry.bytes(bytes);
          else entry?.file(abs);
          return written;
        })
        .catch((err: unknown) => {
          streamed?.stopNow();
          throw err;
        });
      if (out.locationKept) locationKept.push(path);
      onProgress?.({ phase: 'originals', done: ++written, total: selected.length });
      let pdfImage: PacketItem['pdfImage'];
      const info = out.info;
      if (info && info.width > 0 && picturesInPdf) {
        // A JPEG whose EXIF was removed has the stored pixels and no location: the PDF can carry it as it is. Any
        // other changed file is copied from the stored bytes (a stripped JPEG lost its orientation tag as well).
        const asWritten = { ...info, hasGps: info.hasGps && out.transform !== 'exif-removed' };
        const compact = !!recipient.attachmentLimit;
        const fromStored = out.transform !== null && (compact || !embeddableAsIs(asWritten, out.size));
        const job = copyLimit(async () => pdfCopy(fromStored ? { path: abs, data: await readItem(vault, item.id) } : { path: abs }, fromStored ? info : asWritten, join(copies, `${n}.jpg`), { compact }));
        job.catch(() => undefined); // awaited by the layout; a build that fails first must not leave it unhandled
        copyJobs.push(job);
        pdfImage = () => job;
      }
      return {
        n,
        item,
        path,
        fileSha256: out.sha256,
        fileSize: out.size,
        transform: out.transform,
        redactedFrom: redactedFrom ? { itemId: redactedFrom.id, sha256: redactedFrom.sha256 } : null,
        ...(pdfImage ? { pdfImage } : {}),
        ...(out.text !== undefined ? { text: out.text } : {}),
      };
    });
    locationKept.sort();

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
    const sink = streamed?.addStream(`${name}/packet.pdf`);
    const pdf = await renderPacketPdf(model, pdfPath, { ...(signal ? { signal } : {}), ...(sink ? { sink } : {}), onBlock: (done, total) => onProgress?.({ phase: 'pdf', done, total }) });
    const pages = pdf.pages;
    await Promise.allSettled(copyJobs);
    await rm(copies, { recursive: true, force: true });
    const html = verifyHtml({ lang, caseTitle: kase.title, recipientName: recipient.name[lang] });
    await writeFile(join(work, 'verify.html'), html);

    onProgress?.({ phase: 'checksums', done: 0, total: 1 });
    const coreHashed: HashedFile[] = [
      { path: 'packet.pdf', sha256: pdf.sha256, size: pdf.size },
      { path: 'verify.html', sha256: sha256(html), size: Buffer.byteLength(html) },
    ];
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

    const volumes: PacketVolume[] = [];
    if (streamed) {
      onProgress?.({ phase: 'zip', done: 0, total: 1 });
      streamed.addBuffer(`${name}/verify.html`, html);
      streamed.addBuffer(`${name}/manifest.json`, manifestText);
      streamed.addBuffer(`${name}/README.txt`, readme);
      streamed.addBuffer(`${name}/SHA256SUMS`, sums);
      await streamed.finish();
    }
    check();
    await rename(work, dir);
    if (streamed) {
      await streamed.commit();
      volumes.push({ path: streamed.path, bytes: (await stat(streamed.path)).size, files: all.length + 1 });
    }

    for (const [i, files] of (streamed ? [] : plan.volumes).entries()) {
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
    await Promise.allSettled(copyJobs); // sharp must not still be writing into the folder being removed
    await streamed?.abort();
    await rm(work, { recursive: true, force: true });
    // a stream stopped by the signal rejects with its own AbortError: the caller is told it was cancelled
    if (signal?.aborted) throw new RedressError('CANCELLED');
    if (err instanceof SealedFileError) throw new RedressError('VAULT_CORRUPT', { detail: 'a stored original is damaged; run "redress verify"' }, { cause: err });
    throw err;
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
