import { PDFArray, PDFDict, PDFName, PDFRef, PDFStream, type PDFDocument, type PDFFont } from 'pdf-lib';

/**
 * pdf-lib's fontkit fork never reports a CFF-flavoured OpenType font as CFF (it reads `font.cff`, which the fork
 * does not define), so it labels our Noto Sans SC subset as a TrueType CIDFont (CIDFontType2 / FontFile2). Poppler
 * warns "Mismatch between font type and embedded font file" and strict readers may refuse the font. After the font
 * is written, relabel it as what it is: CIDFontType0 with a FontFile3 stream of Subtype OpenType.
 */
export async function relabelCffFont(doc: PDFDocument, font: PDFFont): Promise<void> {
  await font.embed();
  const type0 = doc.context.lookup(font.ref, PDFDict);
  const descendants = type0.lookup(PDFName.of('DescendantFonts'), PDFArray);
  const cidFont = descendants.lookup(0, PDFDict);
  const descriptor = cidFont.lookup(PDFName.of('FontDescriptor'), PDFDict);
  const fileRef = descriptor.get(PDFName.of('FontFile2'));
  if (!(fileRef instanceof PDFRef)) return;
  const stream = doc.context.lookup(fileRef);
  if (!(stream instanceof PDFStream)) return;
  stream.dict.set(PDFName.of('Subtype'), PDFName.of('OpenType'));
  stream.dict.delete(PDFName.of('Length1'));
  descriptor.delete(PDFName.of('FontFile2'));
  descriptor.set(PDFName.of('FontFile3'), fileRef);
  cidFont.set(PDFName.of('Subtype'), PDFName.of('CIDFontType0'));
  cidFont.delete(PDFName.of('CIDToGIDMap'));
}
