import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { drawObject, popGraphicsState, PDFStream, pushGraphicsState, scale, translate, type PDFDict, type PDFDocument, type PDFPage, type PDFRef } from 'pdf-lib';

/** A JPEG file on disk that becomes an image XObject as is (DCTDecode): the PDF carries the JPEG's bytes unchanged. */
export interface JpegFile {
  path: string;
  size: number;
  width: number;
  height: number;
  colorSpace: 'DeviceRGB' | 'DeviceGray';
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const STREAM = ascii('\nstream\n');
const ENDSTREAM = ascii('\nendstream');

/**
 * An image stream whose contents stay in their file until pdf-lib serialises the document, and are then read
 * straight into pdf-lib's output buffer. pdf-lib's own embedJpg keeps every image in memory until save() and copies
 * streams byte by byte in JavaScript; with 200 phone photos that alone exceeded the 1 GB memory budget.
 */
class FileJpegStream extends PDFStream {
  constructor(
    dict: PDFDict,
    private readonly file: JpegFile,
  ) {
    super(dict);
  }

  override getContentsSize(): number {
    return this.file.size;
  }

  override getContents(): Uint8Array {
    return readFileSync(this.file.path);
  }

  override getContentsString(): string {
    return Buffer.from(this.getContents()).toString('latin1');
  }

  override clone(): FileJpegStream {
    return new FileJpegStream(this.dict.clone(), this.file);
  }

  override copyBytesInto(buffer: Uint8Array, offset: number): number {
    this.updateDict();
    const start = offset;
    offset += this.dict.copyBytesInto(buffer, offset);
    buffer.set(STREAM, offset);
    offset += STREAM.length;
    const fd = openSync(this.file.path, 'r');
    try {
      let done = 0;
      while (done < this.file.size) {
        const n = readSync(fd, buffer, offset + done, this.file.size - done, done);
        if (n === 0) throw new Error(`${this.file.path} shrank while the PDF was written`);
        done += n;
      }
    } finally {
      closeSync(fd);
    }
    offset += this.file.size;
    buffer.set(ENDSTREAM, offset);
    offset += ENDSTREAM.length;
    return offset - start;
  }
}

/** A JPEG file registered in a document as an image object. */
export interface EmbeddedJpeg {
  ref: PDFRef;
  file: JpegFile;
}

/** Registers a JPEG file as an image object; returns it too, for writing it out early (it never changes). */
export function embedJpegFile(doc: PDFDocument, file: JpegFile): { embedded: EmbeddedJpeg; object: PDFStream } {
  const dict = doc.context.obj({ Type: 'XObject', Subtype: 'Image', Width: file.width, Height: file.height, BitsPerComponent: 8, ColorSpace: file.colorSpace, Filter: 'DCTDecode' });
  const object = new FileJpegStream(dict, file);
  return { embedded: { ref: doc.context.register(object), file }, object };
}

/** Draws an embedded JPEG into a rectangle of a page. */
export function drawJpeg(page: PDFPage, image: EmbeddedJpeg, box: { x: number; y: number; width: number; height: number }): void {
  const name = page.node.newXObject('Image', image.ref);
  page.pushOperators(pushGraphicsState(), translate(box.x, box.y), scale(box.width, box.height), drawObject(name), popGraphicsState());
}
