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
 */
export function wrapLine(text: string, font: Measurer, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  let line = '';
  const width = (s: string) => font.widthOfTextAtSize(s, size);
  for (const token of tokens(text)) {
    const candidate = line + token;
    if (width(candidate.trimEnd()) <= maxWidth) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line.trimEnd());
    line = '';
    if (width(token.trimEnd()) <= maxWidth) {
      line = token;
      continue;
    }
    for (const ch of token) {
      if (width(line + ch) > maxWidth && line) {
        lines.push(line);
        line = '';
      }
      line += ch;
    }
  }
  if (line.trimEnd() || !lines.length) lines.push(line.trimEnd());
  return lines;
}

/** Wraps text with hard line breaks kept. */
export function wrapText(text: string, font: Measurer, size: number, maxWidth: number): string[] {
  return text.split(/\r?\n/).flatMap((para) => wrapLine(para, font, size, maxWidth));
}
