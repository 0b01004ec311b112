import { RedressError } from '../errors.js';
import { addRecord, FIELD_CAPS, fileCap, warn } from './limits.js';
import { readScanned } from './scan.js';
import { decodeText } from './source.js';
import { fixedZone, zonedFromInstant } from './time.js';
import { emptyOutput, type Importer, type MessageDraft, type ParseOutput } from './types.js';

type TextPart = string | { type?: string; text?: string; href?: string };
interface TgMessage {
  id?: number;
  type?: string;
  date?: string;
  date_unixtime?: string;
  from?: string | null;
  from_id?: string;
  text?: string | TextPart[];
  photo?: string;
  file?: string;
  media_type?: string;
}
interface TgChat {
  name?: string;
  type?: string;
  id?: number;
  messages?: TgMessage[];
}

/** A message's text, from its parts; parts past the body's cap are not joined (the record is then cut and marked). */
function textOf(t: TgMessage['text']): string {
  if (typeof t === 'string') return t;
  if (!Array.isArray(t)) return '';
  let text = '';
  for (const p of t) {
    if (text.length > FIELD_CAPS.body) break;
    text += typeof p === 'string' ? p : typeof p?.text === 'string' ? p.text : '';
  }
  return text;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

/**
 * Telegram Desktop "Export chat history" JSON (one chat, result.json) or a full export (chats.list). Times come as
 * Unix seconds plus the exporter's wall time, whose difference is the offset they saw. The exporter's own
 * messages (personal_information.user_id, or the name given as selfName) are "out".
 */
export const telegram: Importer = {
  format: 'telegram-json',
  maxBytes: fileCap('telegram-json'),
  async parse(ctx): Promise<ParseOutput> {
    let doc: unknown;
    try {
      // depth and string lengths are checked before JSON.parse builds anything (scan.ts)
      doc = JSON.parse(decodeText(await readScanned(ctx, 'telegram-json', 'json')));
    } catch (err) {
      if (err instanceof RedressError) throw err;
      throw new RedressError('IMPORT_PARSE_FAILED', { file: ctx.path, format: 'telegram-json', detail: (err as Error).message.slice(0, 200), locator: 'JSON' });
    }
    const root = (doc && typeof doc === 'object' ? doc : {}) as { chats?: { list?: TgChat[] }; personal_information?: { user_id?: number } } & TgChat;
    const chats: TgChat[] = Array.isArray(root.chats?.list) ? root.chats!.list! : Array.isArray(root.messages) ? [root] : [];
    if (!chats.length) throw new RedressError('IMPORT_PARSE_FAILED', { file: ctx.path, format: 'telegram-json', detail: 'no "messages" list or "chats.list"', locator: 'JSON root' });
    const selfId = root.personal_information?.user_id !== undefined ? `user${root.personal_information.user_id}` : undefined;
    const out = emptyOutput();
    let skipped = 0;
    chats.forEach((chat, c) => {
      if (!chat || !Array.isArray(chat.messages)) return;
      const thread = typeof chat.name === 'string' ? chat.name : String(chat.id ?? c + 1);
      chat.messages.forEach((m, i) => {
        if (!m || typeof m !== 'object' || m.type !== 'message') return void skipped++;
        const seconds = Number(m.date_unixtime);
        const id = str(m.id);
        const locator = `${chats.length > 1 ? `chat ${c + 1} ` : ''}message ${i + 1}${id !== undefined ? ` (id ${id.slice(0, 24)})` : ''}`;
        let time = Number.isFinite(seconds) && m.date_unixtime ? zonedFromInstant(seconds * 1000, 'UTC') : null;
        if (time && typeof m.date === 'string') {
          // the wall time the exporter saw, minus the instant, is their offset
          const wall = Date.parse(m.date + 'Z');
          if (!Number.isNaN(wall)) {
            const offset = Math.round((wall - seconds * 1000) / 60_000);
            if (Math.abs(offset) <= 14 * 60) time = { instant: time.instant, offsetMinutes: offset, zone: fixedZone(offset) };
          }
        }
        if (!time) return void warn(out, `${locator} skipped: no readable date`);
        const from = typeof m.from === 'string' ? m.from : undefined;
        const fromId = str(m.from_id);
        const mine = (selfId && fromId === selfId) || (ctx.selfName && from === ctx.selfName);
        let body = textOf(m.text);
        const media = str(m.photo) ?? str(m.file);
        if (!body && media !== undefined) body = `[${str(m.media_type) ?? (m.photo ? 'photo' : 'file')}: ${media}]`;
        const draft: MessageDraft = {
          kind: 'message',
          locator,
          time,
          direction: mine ? 'out' : 'in',
          channel: 'telegram',
          ...(!mine && from ? { counterpartName: from } : {}),
          ...(!mine && fromId ? { counterpartAddress: fromId } : {}),
          body,
          thread,
          attachments: [],
        };
        addRecord(out, draft, ctx.path);
      });
    });
    if (skipped) warn(out, `${skipped} service entr(ies) (joins, calls, pins) not imported as messages`);
    return out;
  },
};
