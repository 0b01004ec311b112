import { cleanText, degrees, drawText, rgb, type Color, type PDFFont, type PDFHexString, type PDFName, type PDFPage } from 'pdf-lib';
import { rememberPer } from './remembered.js';

const BLACK = rgb(0, 0, 0);
const UPRIGHT = degrees(0);
const fontKeys = new WeakMap<PDFPage, Map<PDFFont, PDFName>>();

/** A string in the font's glyph ids, remembered per font (see rememberPer). */
const encode = rememberPer((font: PDFFont, text: string): PDFHexString => font.encodeText(text));

/**
 * One line of text on a page, with pdf-lib's own operators. page.drawText({ font }) registers the font in the
 * page's resources under a new key on every call (its setFont always mints one): a transcript page ended up with
 * hundreds of /Font entries, and minting them cost a tenth of the PDF's layout time. Here each font gets one key
 * per page.
 */
export function drawString(page: PDFPage, text: string, options: { x: number; y: number; size: number; font: PDFFont; color?: Color }): void {
  let keys = fontKeys.get(page);
  if (!keys) fontKeys.set(page, (keys = new Map()));
  let key = keys.get(options.font);
  if (!key) keys.set(options.font, (key = page.node.newFontDictionary(options.font.name, options.font.ref)));
  page.pushOperators(
    ...drawText(encode(options.font, cleanText(text)), { color: options.color ?? BLACK, font: key, size: options.size, rotate: UPRIGHT, xSkew: UPRIGHT, ySkew: UPRIGHT, x: options.x, y: options.y }),
  );
}
