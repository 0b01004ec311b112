import { basename } from 'node:path';
import { RedressError } from '../errors.js';
import { addRecord, FIELD_CAPS, fileCap, warn } from './limits.js';
import { readScanned } from './scan.js';
import { decodeText } from './source.js';
import { zonedFromLocal } from './time.js';
import { emptyOutput, type Importer, type MessageDraft, type ParseOutput } from './types.js';

/**
 * One message line of a WhatsApp "export chat" text, in the shapes phones write depending on OS and locale:
 *   Android  "31/01/2024, 14:05 - Name: text"     "1/31/24, 2:05 PM - Name: text"   "31.01.24, 14:05 - Name: text"
 *   iOS      "[31/01/2024, 14:05:09] Name: text"  "[1/31/24, 2:05:09 PM] Name: text"
 *   zh-CN    "2024/1/31 下午2:05 - Name: text"
 */
export const WHATSAPP_LINE =
  /^[\u200e\u200f]?\[?(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})[,，]?\s+(上午|下午|晚上|凌晨)?\s*(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?(?:\s*([AaPp])\.?\s?[Mm]\.?)?\]?\s*(?:[-–]\s+)?(.*)$/;

type Order = 'ymd' | 'dmy' | 'mdy';

/** Day-first or month-first is not written in the file: a day above 12 anywhere in it decides; else day-first. */
export function inferOrder(lines: Iterable<RegExpExecArray>): Order {
  let dmy = false;
  let mdy = false;
  for (const m of lines) {
    if (m[1]!.length === 4) return 'ymd';
    if (Number(m[1]) > 12) dmy = true;
    if (Number(m[2]) > 12) mdy = true;
  }
  return mdy && !dmy ? 'mdy' : 'dmy';
}

export const whatsapp: Importer = {
  format: 'whatsapp',
  maxBytes: fileCap('whatsapp'),
  async parse(ctx): Promise<ParseOutput> {
    const text = decodeText(await readScanned(ctx, 'whatsapp', 'lines'));
    const lines = text.split(/\r?\n/);
    // Two passes rather than every line's match kept: a million match arrays would take hundreds of MB.
    const heads = function* () {
      for (const l of lines) {
        const m = WHATSAPP_LINE.exec(l);
        if (m) yield m;
      }
    };
    if (heads().next().done) throw new RedressError('IMPORT_PARSE_FAILED', { file: ctx.path, format: 'whatsapp', detail: 'no line starts with a WhatsApp date and time', locator: 'line 1' });
    const order = inferOrder(heads());
    const out = emptyOutput();
    out.facts.dateOrder = order;
    const thread = basename(ctx.path).replace(/\.txt$/i, '');
    let current: MessageDraft | null = null;
    // Lines that continue a message: past the body's cap they are not appended (the record is then cut and marked).
    const more = (line: string) => {
      if (current && current.body.length <= FIELD_CAPS.body) current.body += '\n' + line;
    };
    for (let i = 0; i < lines.length; i++) {
      const m = WHATSAPP_LINE.exec(lines[i]!);
      if (!m) {
        if (current) more(lines[i]!);
        else if (lines[i]!.trim()) warn(out, `line ${i + 1} skipped: before the first message`);
        continue;
      }
      const [a, b, c] = [m[1]!, m[2]!, m[3]!];
      const [y, mo, d] = order === 'ymd' ? [a, b, c] : order === 'dmy' ? [c, b, a] : [c, a, b];
      let h = Number(m[5]);
      const half = m[8]?.toLowerCase() ?? (m[4] === '上午' || m[4] === '凌晨' ? 'a' : m[4] ? 'p' : undefined);
      if (half === 'p' && h < 12) h += 12;
      if (half === 'a' && h === 12) h = 0;
      const year = y.length <= 2 ? 2000 + Number(y) : Number(y);
      const time = zonedFromLocal({ y: year, mo: Number(mo), d: Number(d), h, mi: Number(m[6]), s: Number(m[7] ?? 0) }, ctx.zone);
      if (!time) {
        more(lines[i]!);
        continue;
      }
      const rest = m[9]!.replace(/^[\u200e\u200f]/, '');
      const colon = rest.indexOf(': ');
      const name = colon > 0 ? rest.slice(0, colon) : undefined;
      const body = colon > 0 ? rest.slice(colon + 2) : rest;
      const previous: MessageDraft | null = current;
      current = {
        kind: 'message',
        locator: `line ${i + 1}`,
        time,
        direction: !name ? 'neutral' : ctx.selfName && name === ctx.selfName ? 'out' : 'in',
        channel: 'whatsapp',
        ...(name && name !== ctx.selfName ? { counterpartName: name } : {}),
        body,
        thread,
        attachments: [],
      };
      // its continuation lines come after: the message is added (and capped) when the next one starts
      if (previous) addRecord(out, previous, ctx.path);
    }
    // A trailing newline of the file is not part of the last message.
    if (current) {
      current.body = current.body.replace(/\n+$/, '');
      addRecord(out, current, ctx.path);
    }
    return out;
  },
};
