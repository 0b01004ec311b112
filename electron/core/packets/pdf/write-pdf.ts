import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { deflateSync } from 'node:zlib';
import { RedressError } from '../../errors.js';
import type { ZipSink } from '../zip.js';
import { PDFContentStream, PDFCrossRefSection, PDFHeader, PDFName, PDFRawStream, PDFTrailer, PDFTrailerDict, type PDFDocument, type PDFObject, type PDFRef } from 'pdf-lib';

interface Serializable {
  sizeInBytes(): number;
  copyBytesInto(buffer: Uint8Array, offset: number): number;
}

const ascii = (s: string) => Buffer.from(s, 'latin1');
const BATCH = 8 << 20;
const FILTER = PDFName.of('Filter');

/**
 * pdf-lib deflates each page's content stream with pako, in JavaScript, when it is serialised: about 130 ms of a
 * 338-page packet's main thread. Node's zlib makes the same FlateDecode stream natively (about 50 ms in all).
 */
function nativelyDeflated(object: PDFObject): PDFObject {
  if (!(object instanceof PDFContentStream) || !object.dict.has(FILTER)) return object;
  return PDFRawStream.of(object.dict, deflateSync(object.getUnencodedContents()));
}

/**
 * Writes a document object by object to a file, with a classic cross-reference table. pdf-lib's save() builds the
 * whole file in one buffer first: for a packet of 200 photos that is another copy of every photo in memory, on top
 * of everything else. The objects and their serialisation are pdf-lib's own; only the order of writing differs.
 *
 * Objects that will not change (the pictures) can be written as soon as they exist, while the rest is still being
 * laid out: the PDF's bulk then reaches the disk alongside the layout's work instead of after it. Everything else
 * is written by finish(). The SHA-256 and size of the bytes written are kept, so the file need not be read back to
 * be listed in SHA256SUMS; `sink` gets the same bytes (the packet's ZIP), so it need not be read back to be zipped.
 */
export class PdfFileWriter {
  private readonly hash = createHash('sha256');
  private offset = 0;
  // Objects are serialised straight into the batch that is written next: a picture is copied once, not into a
  // buffer of its own and then into the batch (that doubled the memory churn, and garbage collection with it).
  private batch = Buffer.allocUnsafe(BATCH);
  private used = 0;
  private readonly written = new Map<number, { ref: PDFRef; offset: number }>();

  private constructor(
    private readonly handle: FileHandle,
    private readonly sink?: ZipSink,
  ) {}

  static async create(path: string, sink?: ZipSink): Promise<PdfFileWriter> {
    const writer = new PdfFileWriter(await open(path, 'w'), sink);
    await writer.put(PDFHeader.forVersion(1, 7));
    await writer.putBytes(ascii('\n\n'));
    return writer;
  }

  /** Writes one indirect object now; finish() will not write it again. */
  async writeObject(ref: PDFRef, object: PDFObject): Promise<void> {
    this.written.set(ref.objectNumber, { ref, offset: this.offset });
    await this.putBytes(ascii(`${ref.objectNumber} ${ref.generationNumber} obj\n`));
    await this.put(nativelyDeflated(object));
    await this.putBytes(ascii('\nendobj\n\n'));
  }

  /** Writes every object not written yet, the cross-reference table and the trailer, and closes the file. */
  async finish(doc: PDFDocument, signal?: AbortSignal): Promise<{ sha256: string; size: number }> {
    await doc.flush();
    const ctx = doc.context;
    for (const [ref, object] of ctx.enumerateIndirectObjects()) {
      if (signal?.aborted) throw new RedressError('CANCELLED');
      if (!this.written.has(ref.objectNumber)) await this.writeObject(ref, object);
    }
    // the table lists objects by number, whatever order they were written in
    const xref = PDFCrossRefSection.create();
    for (const { ref, offset } of [...this.written.values()].sort((a, b) => a.ref.objectNumber - b.ref.objectNumber)) xref.addEntry(ref, offset);
    const xrefOffset = this.offset;
    await this.put(xref);
    await this.putBytes(ascii('\n'));
    const { Root, Encrypt, Info, ID } = ctx.trailerInfo;
    const trailer = ctx.obj({ Size: ctx.largestObjectNumber + 1, Root, ...(Encrypt ? { Encrypt } : {}), ...(Info ? { Info } : {}), ...(ID ? { ID } : {}) });
    await this.put(PDFTrailerDict.of(trailer));
    await this.putBytes(ascii('\n\n'));
    await this.put(PDFTrailer.forLastCrossRefSectionOffset(xrefOffset));
    await this.drain();
    this.sink?.end();
    await this.handle.close();
    return { sha256: this.hash.digest('hex'), size: this.offset };
  }

  /** Closes the file after a failure (the caller removes it). */
  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }

  private async put(object: Serializable): Promise<void> {
    await this.room(object.sizeInBytes());
    const written = object.copyBytesInto(this.batch, this.used);
    this.used += written;
    this.offset += written;
  }

  private async putBytes(bytes: Buffer): Promise<void> {
    await this.room(bytes.length);
    bytes.copy(this.batch, this.used);
    this.used += bytes.length;
    this.offset += bytes.length;
  }

  private async room(size: number): Promise<void> {
    if (this.used + size <= this.batch.length) return;
    await this.drain();
    if (size > this.batch.length) this.batch = Buffer.allocUnsafe(size);
  }

  private async drain(): Promise<void> {
    if (!this.used) return;
    const bytes = this.batch.subarray(0, this.used);
    this.hash.update(bytes);
    // a fresh batch: the last one is still being written to the file and the ZIP
    this.batch = Buffer.allocUnsafe(BATCH);
    this.used = 0;
    await Promise.all([this.handle.write(bytes), this.sink?.write([bytes])]);
  }
}
