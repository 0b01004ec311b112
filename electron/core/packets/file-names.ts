import { extension } from 'mime-types';
import type { ItemRecord } from '../../../shared/case-model.js';

/**
 * Characters that change how a name is shown without being seen: bidi embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069), marks (U+200E, U+200F, U+061C), zero-width characters (U+200B–U+200D, U+2060,
 * U+FEFF), the soft hyphen, tag characters... (general category Cf), lone surrogates (Cs, invalid in UTF-8 file
 * names), noncharacters, and letters that render as nothing (Hangul fillers, the combining grapheme joiner, Khmer
 * inherent vowels). "invoice\u202Efdp.exe" shows as "invoiceexe.pdf": the name a recipient reads must be the name
 * the file has. They are removed.
 */
const INVISIBLE = /[\p{Cf}\p{Cs}\u115F\u1160\u3164\uFFA0\uFDD0-\uFDEF\uFFFE\uFFFF]|\u034F|\u17B4|\u17B5/gu;
/** C0 and C1 controls and DEL (Cc), and what Windows forbids in a name, become "_". */
const FORBIDDEN = /[\p{Cc}<>:"/\\|?*]/gu;
/** Every kind of space (NBSP, U+3000, line and paragraph separators...) is one plain space. */
const SPACES = /[\p{Z}\s]+/gu;
/** Windows device names, reserved with any extension and in any case ("con.txt", "COM¹"). */
const RESERVED = /^(?:CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|COM[0-9¹²³]|LPT[0-9¹²³])$/i;

/**
 * Bytes of UTF-8 a stem may take. File systems allow 255 bytes (ext4, APFS) or 255 UTF-16 units (NTFS) for a name,
 * and Windows 260 characters for a whole path, of which the packet folder and originals/ take about 70 and the
 * folder the recipient unpacks to another 60–100. 96 bytes is 32 Chinese characters or 96 Latin ones.
 */
export const STEM_MAX_BYTES = 96;

/** Cut to at most `maxBytes` of UTF-8, at a code point boundary (never half a surrogate pair or a UTF-8 sequence). */
function cutToBytes(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > maxBytes) break;
    bytes += n;
    end += ch.length;
  }
  return text.slice(0, end);
}

/**
 * Any text (a title, an original file name) as a file name stem that shows what it is and that every file system,
 * ZIP tool and SHA256SUMS line accepts: NFC, invisible and bidi characters removed, controls and Windows-reserved
 * characters replaced, spaces collapsed, no leading or trailing dots and spaces, at most `maxBytes` of UTF-8, never
 * a Windows device name. Empty when nothing is left.
 */
export function safeFileStem(text: string, maxBytes = STEM_MAX_BYTES): string {
  const clean = (s: string) =>
    s
      .normalize('NFC')
      .replace(INVISIBLE, '')
      .replace(FORBIDDEN, '_')
      .replace(SPACES, ' ')
      .replace(/^[. ]+|[. ]+$/g, '');
  let stem = clean(cutToBytes(clean(text), maxBytes));
  const base = stem.split('.')[0]!.trim();
  if (RESERVED.test(base)) stem = cutToBytes(`${base}_${stem.slice(base.length)}`, maxBytes).replace(/[. ]+$/, '');
  return stem;
}

/**
 * A file name safe on Windows, macOS and Linux and in SHA256SUMS lines; keeps CJK and the extension. `mask` masks
 * the personal numbers the recipient must not get (a photo saved as "身份证110101….jpg"), as the PDF masks them.
 */
export function packetFileName(n: string, item: ItemRecord, mask: (text: string) => string = (t) => t): string {
  // cleaned before the extension is looked for: "x.\u202Eexe" has the extension "exe"
  const given = mask((item.originalName || item.title || 'item').normalize('NFC').replace(INVISIBLE, ''));
  const dot = given.lastIndexOf('.');
  const ext = dot > 0 && given.length - dot <= 6 ? given.slice(dot + 1).replace(/[^A-Za-z0-9]/g, '') : '';
  const stem = safeFileStem(ext ? given.slice(0, dot) : given);
  const safeExt = (ext || extension(item.mediaType) || 'bin').replace(/[^A-Za-z0-9]/g, '').slice(0, 5).toLowerCase() || 'bin';
  return `${n}-${stem || 'item'}.${safeExt}`;
}
