import { RedressError } from '../errors.js';
import { fileCap, LIMITS, limitExceeded } from './limits.js';
import { readWhole, streamChunks } from './source.js';
import type { FormatId, ParseContext } from './types.js';

const NEWLINE = 0x0a;
const LT = 0x3c;

/**
 * Formats read whole (CSV, chat text, OFX, JSON) are first streamed through once, 64 KiB at a time, and refused at
 * the first line longer than LIMITS.lineBytes or past LIMITS.lines lines (IMPORT_LIMIT), before the file is held in
 * memory and decoded, which costs two to three times its size. Bytes are scanned, not characters: the separators
 * are ASCII, and in UTF-8 and GB18030 an ASCII byte is always that character. A CSV cell quoted over several lines
 * is bounded by the file size cap, and its fields by FIELD_CAPS.
 *
 * `separator` "<" treats OFX, which may be written on one line, as one element per "line".
 */
export async function scanLines(ctx: ParseContext, separator: 'newline' | '<' = 'newline'): Promise<void> {
  const sep = separator === 'newline' ? NEWLINE : LT;
  const unit = separator === 'newline' ? 'line' : 'element';
  let lines = 1;
  let run = 0;
  await streamChunks(
    ctx,
    (chunk) => {
      let from = 0;
      for (;;) {
        const at = chunk.indexOf(sep, from);
        const end = at === -1 ? chunk.length : at;
        run += end - from;
        if (run > LIMITS.lineBytes) throw limitExceeded(ctx.path, 'lineBytes', `${unit} ${lines}`);
        if (at === -1) return;
        if (++lines > LIMITS.lines) throw limitExceeded(ctx.path, 'lines', `${unit} ${lines}`);
        run = 0;
        from = at + 1;
      }
    },
    { quiet: true },
  );
}

/**
 * JSON read whole is first streamed through once and refused (IMPORT_LIMIT) when it nests deeper than
 * LIMITS.jsonDepth (JSON.parse recurses, and the importer walks what it returns) or holds a string longer than
 * LIMITS.jsonStringBytes: before JSON.parse builds it, and before the file is held in memory.
 */
export async function scanJson(ctx: ParseContext): Promise<void> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let stringBytes = 0;
  let offset = 0;
  await streamChunks(
    ctx,
    (chunk) => {
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i]!;
        if (inString) {
          if (escaped) escaped = false;
          else if (b === 0x5c) escaped = true;
          else if (b === 0x22) {
            inString = false;
            continue;
          } else {
            // a run of plain bytes: skip to the next quote or backslash at once
            const q = chunk.indexOf(0x22, i);
            const bs = chunk.indexOf(0x5c, i);
            const next = q === -1 ? (bs === -1 ? chunk.length : bs) : bs === -1 ? q : Math.min(q, bs);
            stringBytes += next - i;
            if (stringBytes > LIMITS.jsonStringBytes) throw limitExceeded(ctx.path, 'jsonStringBytes', `byte ${offset + i}`);
            i = next - 1;
            continue;
          }
          if (++stringBytes > LIMITS.jsonStringBytes) throw limitExceeded(ctx.path, 'jsonStringBytes', `byte ${offset + i}`);
        } else if (b === 0x22) {
          inString = true;
          stringBytes = 0;
        } else if (b === 0x5b || b === 0x7b) {
          if (++depth > LIMITS.jsonDepth) throw limitExceeded(ctx.path, 'jsonDepth', `byte ${offset + i}`);
        } else if (b === 0x5d || b === 0x7d) depth--;
      }
      offset += chunk.length;
    },
    { quiet: true },
  );
}

/**
 * A file read whole, checked first: refused above its format's size cap (FILE_BYTES) without reading it, then
 * scanned (lines, OFX elements or JSON) without holding it, then read. The bytes read are the bytes scanned.
 */
export async function readScanned(ctx: ParseContext, format: FormatId, scan: 'lines' | 'elements' | 'json'): Promise<Buffer> {
  const cap = fileCap(format);
  if (ctx.size > cap) throw new RedressError('IMPORT_TOO_LARGE', { file: ctx.path, format, size: ctx.size, limit: cap });
  if (scan === 'json') await scanJson(ctx);
  else await scanLines(ctx, scan === 'elements' ? '<' : 'newline');
  const data = await readWhole(ctx, format, cap);
  if (data.length !== ctx.size) throw new RedressError('IMPORT_SOURCE_CHANGED', { file: ctx.path });
  return data;
}
