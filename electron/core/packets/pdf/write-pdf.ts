import { open } from 'node:fs/promises';
import { RedressError } from '../../errors.js';
import { PDFCrossRefSection, PDFHeader, PDFTrailer, PDFTrailerDict, type PDFDocument } from 'pdf-lib';

interface Serializable {
  sizeInBytes(): number;
  copyBytesInto(buffer: Uint8Array, offset: number): number;
}

const ascii = (s: string) => Buffer.from(s, 'latin1');

function serialize(o: Serializable): Buffer {
  const bytes = Buffer.allocUnsafe(o.sizeInBytes());
  const written = o.copyBytesInto(bytes, 0);
  return written === bytes.length ? bytes : bytes.subarray(0, written);
}

/**
 * Writes the document object by object to a file, with a classic cross-reference table. pdf-lib's save() builds the
 * whole file in one buffer first: for a packet of 200 photos that is another copy of every photo in memory, on top
 * of everything else. The objects and their serialisation are pdf-lib's own; only the order of writing differs.
 */
export async function writePdfFile(doc: PDFDocument, path: string, signal?: AbortSignal): Promise<void> {
  await doc.flush();
  const ctx = doc.context;
  const handle = await open(path, 'w');
  let offset = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const drain = async () => {
    if (!pending.length) return;
    await handle.write(pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes));
    pending = [];
    pendingBytes = 0;
  };
  const emit = async (bytes: Buffer) => {
    pending.push(bytes);
    pendingBytes += bytes.length;
    offset += bytes.length;
    if (pendingBytes >= 4 << 20) await drain();
  };
  try {
    await emit(serialize(PDFHeader.forVersion(1, 7)));
    await emit(ascii('\n\n'));
    const xref = PDFCrossRefSection.create();
    for (const [ref, object] of ctx.enumerateIndirectObjects()) {
      if (signal?.aborted) throw new RedressError('CANCELLED');
      xref.addEntry(ref, offset);
      await emit(ascii(`${ref.objectNumber} ${ref.generationNumber} obj\n`));
      await emit(serialize(object));
      await emit(ascii('\nendobj\n\n'));
    }
    const xrefOffset = offset;
    await emit(serialize(xref));
    await emit(ascii('\n'));
    const { Root, Encrypt, Info, ID } = ctx.trailerInfo;
    const trailer = ctx.obj({ Size: ctx.largestObjectNumber + 1, Root, ...(Encrypt ? { Encrypt } : {}), ...(Info ? { Info } : {}), ...(ID ? { ID } : {}) });
    await emit(serialize(PDFTrailerDict.of(trailer)));
    await emit(ascii('\n\n'));
    await emit(serialize(PDFTrailer.forLastCrossRefSectionOffset(xrefOffset)));
    await drain();
  } finally {
    await handle.close();
  }
}
