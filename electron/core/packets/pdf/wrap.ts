import { rememberPer } from './remembered.js';

/** Anything that can measure a string at a size (a pdf-lib PDFFont). */
export interface Measurer {
  widthOfTextAtSize(text: string, size: number): number;
}

// CJK ideographs, kana, hangul and fullwidth forms: a line may break before or after any of them.
const CJK = /[\u2E80-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFFEF]/u;
// Closing punctuation must not start a line (kinsoku): it stays with the character before it.
const NO_LINE_START = /[，。、；：！？）》」』】〕,.;:!?)\]}%]/u;

/** Splits text into units that must not be broken: Latin words (with their trailing spaces) and single CJK characters. */
function tokens(text: string): string[] {
  const out: string[] = [];
  let word = '';
  for (const ch of text) {
    if (CJK.test(ch)) {
      if (word) {
        out.push(word);
        word = '';
      }
      if (NO_LINE_START.test(ch) && out.length) out[out.length - 1] += ch;
      else out.push(ch);
    } else if (ch === ' ') {
      word += ch;
      out.push(word);
      word = '';
    } else if (NO_LINE_START.test(ch) && !word && out.length && CJK.test(out[out.length - 1]!.slice(-1))) {
      out[out.length - 1] += ch;
    } else {
      word += ch;
    }
  }
  if (word) out.push(word);
  return out;
}

/**
 * Wraps one paragraph to a width: Latin text breaks at spaces, CJK anywhere (except before closing punctuation),
 * and a token wider than the line (a URL, a hash) is broken by character as a last resort.
 *
 * Lines are first built from the widths of their tokens added up (each token measured once per font), then every
 * line is measured whole. Measuring each candidate line whole instead made wrapping quadratic in the line's length
 * and was a third of a packet's layout time. A line that the sum let through but that is wider when measured whole
 * (kerning across tokens) sends the paragraph through the exact, slower way.
 */
export function wrapLine(text: string, font: Measurer, size: number, maxWidth: number): string[] {
  const fast = wrapWith(text, maxWidth, (s) => textWidth(font, s, size), true);
  if (fast.every((line) => textWidth(font, line, size) <= maxWidth)) return fast;
  return wrapWith(text, maxWidth, (s) => font.widthOfTextAtSize(s, size), false);
}

/** `additive`: the width of a string is the sum of its tokens' widths, so a line's width is carried along. */
function wrapWith(text: string, maxWidth: number, width: (s: string) => number, additive: boolean): string[] {
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  const fits = (head: string, headWidth: number, tail: string) => (additive ? headWidth + width(tail) : width(head + tail)) <= maxWidth;
  for (const token of tokens(text)) {
    if (fits(line, lineWidth, token.trimEnd())) {
      line += token;
      if (additive) lineWidth += width(token);
      continue;
    }
    if (line) lines.push(line.trimEnd());
    line = '';
    lineWidth = 0;
    if (fits('', 0, token.trimEnd())) {
      line = token;
      if (additive) lineWidth = width(token);
      continue;
    }
    for (const ch of token) {
      if (line && !fits(line, lineWidth, ch)) {
        lines.push(line);
        line = '';
        lineWidth = 0;
      }
      line += ch;
      if (additive) lineWidth += width(ch);
    }
  }
  if (line.trimEnd() || !lines.length) lines.push(line.trimEnd());
  return lines;
}

/** Width at size 1 (widths scale linearly with size), remembered per font. */
const widthAt1 = rememberPer((font: Measurer, text: string) => font.widthOfTextAtSize(text, 1));

/** The width of a string at a size, remembered per font (see rememberPer). */
export function textWidth(font: Measurer, text: string, size: number): number {
  return widthAt1(font, text) * size;
}

/** Wraps text with hard line breaks kept. */
export function wrapText(text: string, font: Measurer, size: number, maxWidth: number): string[] {
  return text.split(/\r?\n/).flatMap((para) => wrapLine(para, font, size, maxWidth));
}
