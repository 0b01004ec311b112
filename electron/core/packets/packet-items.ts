import { join } from 'node:path';
import type { ItemRecord } from '../../../shared/case-model.js';
import type { Recipient } from '../../../shared/recipient.js';
import { createLimiter } from '../async/limiter.js';
import { mapLimited } from '../async/map-limited.js';
import { RedressError } from '../errors.js';
import type { Vault } from '../vault/vault.js';
import { packetFileName } from './file-names.js';
import { embeddableAsIs, pdfCopy, type ImageInfo } from './images.js';
import type { PacketItem } from './model.js';
import { writeOriginal, type WrittenOriginal } from './originals.js';
import { readItem } from './read-item.js';
import type { SelectedItem } from './selection.js';
import type { LaterEntry, ZipWriter } from './zip.js';

// Items are read, decrypted and written two at a time: one waits on the disk or on sharp's threads while the other
// is decrypted and hashed. Measured on two cores: 4 at once was no faster and varied more.
const ORIGINALS_AT_ONCE = 2;
const PDF_COPIES_AT_ONCE = 2;

export interface PacketItemsTarget {
  recipient: Recipient;
  /** masks the victim's numbers as this recipient's profile says (masking.ts maskText) */
  mask: (text: string) => string;
  /** the partial packet folder: originals/ goes in it */
  work: string;
  /** the packet folder's name, as its entries are named in the ZIP */
  name: string;
  /** where the page-sized JPEG copies for the PDF are written */
  copies: string;
  /** the single-volume ZIP written during the build, if any */
  streamed: ZipWriter | null;
  /** every PDF copy started lands here, so that a failed build can wait for sharp before removing the folder */
  copyJobs: Promise<unknown>[];
  signal?: AbortSignal;
  onProgress: (done: number, total: number) => void;
  check: () => void;
}

/**
 * Writes every selected item into originals/ (E01, E02... in selection order), hands each to the streamed ZIP, and
 * starts its PDF copy when the PDF shows it. The paths of images that kept a location come back sorted.
 */
export async function writePacketItems(vault: Vault, selected: SelectedItem[], target: PacketItemsTarget): Promise<{ items: PacketItem[]; locationKept: string[] }> {
  const { work, name, streamed, check, onProgress } = target;
  const locationKept: string[] = [];
  const width = String(selected.length).length;
  const entryName = (index: number) => `E${String(index + 1).padStart(Math.max(2, width), '0')}`;
  const pathOf = (index: number) => `originals/${packetFileName(entryName(index), selected[index]!.item, target.mask)}`;
  const zipEntries = streamed ? selected.map((_, index) => streamed.addLater(`${name}/${pathOf(index)}`)) : [];
  // PDF copies (images that cannot go into the PDF as they are) are made by sharp on its own threads while the
  // originals are still being written and the PDF is laid out; the layout waits only for a copy not yet done.
  const startPdfCopy = pdfCopies(vault, target);
  const picturesInPdf = target.recipient.sections.includes('appendices');
  let written = 0;
  onProgress(0, selected.length);
  const items = await mapLimited(selected, ORIGINALS_AT_ONCE, async ({ item, redactedFrom }, index): Promise<PacketItem> => {
    check();
    const n = entryName(index);
    const path = pathOf(index);
    const abs = join(work, path);
    const out = await writeIntoZip(vault, item, abs, zipEntries[index], target);
    if (out.locationKept) locationKept.push(path);
    onProgress(++written, selected.length);
    let pdfImage: PacketItem['pdfImage'];
    const info = out.info;
    if (info && info.width > 0 && picturesInPdf) pdfImage = startPdfCopy(item, n, abs, out, info);
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
      ...(out.unrendered ? { unrendered: out.unrendered } : {}),
    };
  });
  locationKept.sort();
  return { items, locationKept };
}

/**
 * The ZIP takes an image from memory rather than reading the file back; the next item waits until it has.
 * A worker that fails stops the ZIP at once: the others may be waiting for it to take their bytes.
 */
function writeIntoZip(vault: Vault, item: ItemRecord, abs: string, entry: LaterEntry | undefined, { streamed, signal, recipient }: PacketItemsTarget): Promise<Omit<WrittenOriginal, 'bytes'>> {
  return writeOriginal(vault, item, abs, { photoMetadata: recipient.photoMetadata, ...(signal ? { signal } : {}) })
    .then(async ({ bytes, ...written }) => {
      if (!written.transform && written.sha256 !== item.sha256) throw new RedressError('VAULT_CORRUPT', { detail: `item ${item.id} does not match its recorded SHA-256; run "redress verify"` });
      if (entry && bytes) await entry.bytes(bytes);
      else entry?.file(abs);
      return written;
    })
    .catch((err: unknown) => {
      streamed?.stopNow();
      throw err;
    });
}

/** Starts the PDF's copy of one written image, at most PDF_COPIES_AT_ONCE at a time; the layout awaits what it returns. */
function pdfCopies(vault: Vault, { recipient, copies, copyJobs }: PacketItemsTarget) {
  const copyLimit = createLimiter(PDF_COPIES_AT_ONCE);
  return (item: ItemRecord, n: string, abs: string, out: Omit<WrittenOriginal, 'bytes'>, info: ImageInfo): NonNullable<PacketItem['pdfImage']> => {
    // A JPEG whose EXIF was removed has the stored pixels and no location: the PDF can carry it as it is. Any
    // other changed file is copied from the stored bytes (a stripped JPEG lost its orientation tag as well).
    const asWritten = { ...info, hasGps: info.hasGps && out.transform !== 'exif-removed' && out.transform !== 'gps-removed' };
    const compact = !!recipient.attachmentLimit;
    const fromStored = out.transform !== null && (compact || !embeddableAsIs(asWritten, out.size));
    const job = copyLimit(async () => pdfCopy(fromStored ? { path: abs, data: await readItem(vault, item.id) } : { path: abs }, fromStored ? info : asWritten, join(copies, `${n}.jpg`), { compact }));
    job.catch(() => undefined); // awaited by the layout; a build that fails first must not leave it unhandled
    copyJobs.push(job);
    return () => job;
  };
}
