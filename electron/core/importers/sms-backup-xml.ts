import type { SaxesTagPlain } from 'saxes';
import type { Direction } from '../../../shared/records.js';
import { RedressError } from '../errors.js';
import { addRecord, FIELD_CAPS, LIMITS, MiB, ownString, warn } from './limits.js';
import { zonedFromInstant } from './time.js';
import { streamXml } from './xml.js';
import type { XmlCaps } from './xml-guard.js';
import { emptyOutput, type AttachmentFound, type Importer, type MessageDraft, type ParseOutput } from './types.js';

/** SMS Backup & Restore writes the string "null" for a missing attribute. */
function attr(tag: SaxesTagPlain, name: string): string | undefined {
  const v = tag.attributes[name];
  return v === undefined || v === 'null' || v === '' ? undefined : ownString(v);
}

/** SMS Backup & Restore always writes UTF-8: other bytes mean a damaged or re-encoded file, and altered text. */
export const INVALID_UTF8 = 'the file is not valid UTF-8: characters that could not be read are shown as U+FFFD (�)';

/** What saxes may see of each attribute this importer reads (the rest: LIMITS.xmlValue). See limits.ts. */
const CAPS: XmlCaps = {
  attributes: {
    body: FIELD_CAPS.body,
    text: FIELD_CAPS.body,
    sub: FIELD_CAPS.body,
    address: FIELD_CAPS.address,
    contact_name: FIELD_CAPS.name,
    cl: FIELD_CAPS.name,
    name: FIELD_CAPS.name,
    fn: FIELD_CAPS.name,
  },
  // attachments are decoded as they stream, never held as base64 text (xml-guard.ts)
  binary: { data: LIMITS.attachmentBytes },
};

const SMS_OUT_TYPES = new Set(['2', '3', '4', '5', '6']);
const ADDR_FROM = '137';
const ADDR_TO = '151';

interface MmsState {
  index: number;
  line: number;
  tag: SaxesTagPlain;
  texts: string[];
  /** characters of text parts seen, collected or not */
  textLength: number;
  /** bytes of the attachments held */
  partBytes: number;
  /** attachments not stored, and why (the first ten; the rest counted) */
  skipped: string[];
  skippedMore: number;
  parts: { ct: string; name: string; data: Buffer; seq: string }[];
  addrs: { address: string; type: string }[];
}

/**
 * Android "SMS Backup & Restore" XML, streamed: a 50 MB backup is never held as one string. Each <sms>/<mms> is one
 * message; its locator is its element number under <smses> (1-based) and the line it starts on. MMS image parts
 * are stored as items derived from the backup and listed as the message's attachments.
 */
export const smsBackupXml: Importer = {
  format: 'sms-backup-xml',
  async parse(ctx): Promise<ParseOutput> {
    const out = emptyOutput();
    let depth = 0;
    let index = 0;
    let mms: MmsState | null = null;
    const pending: { draft: MessageDraft; attachments: AttachmentFound[] }[] = [];
    let badTimes = 0;
    let textTooLong = false;

    const timeOf = (tag: SaxesTagPlain, isMms: boolean) => {
      const raw = attr(tag, 'date');
      if (!raw || !/^-?\d{1,16}$/.test(raw)) return null;
      // MMS dates are seconds in some phone databases, milliseconds in others.
      const ms = isMms && raw.length <= 10 ? Number(raw) * 1000 : Number(raw);
      return zonedFromInstant(ms, ctx.zone);
    };

    const parser = await streamXml(ctx, 'sms-backup-xml', {
      async drain() {
        // Attachments are stored in file order as the stream goes, so their bytes are not all held at once.
        for (const { draft, attachments } of pending.splice(0)) {
          for (const a of attachments) draft.attachments.push(await ctx.storeAttachment!(a));
        }
      },
      open(tag, binary) {
        depth++;
        if (depth === 1) {
          if (tag.name !== 'smses') throw new RedressError('IMPORT_PARSE_FAILED', { file: ctx.path, format: 'sms-backup-xml', detail: `root element is <${tag.name}>, not <smses>`, locator: 'line 1' });
          const count = attr(tag, 'count');
          if (count && /^\d+$/.test(count)) out.declared = { count: Number(count), totals: [] };
          return;
        }
        if (depth === 2) {
          index++;
          if (tag.name === 'sms') {
            const time = timeOf(tag, false);
            if (!time) return void badTimes++;
            const address = attr(tag, 'address');
            const name = attr(tag, 'contact_name');
            addRecord(out, {
              kind: 'message',
              locator: `element ${index}`,
              time,
              direction: SMS_OUT_TYPES.has(tag.attributes.type ?? '') ? 'out' : 'in',
              channel: 'sms',
              ...(address ? { counterpartAddress: address, thread: address } : {}),
              ...(name && name !== '(Unknown)' ? { counterpartName: name } : {}),
              // the body is kept exactly, even when it is the text "null"
              body: ownString(tag.attributes.body ?? ''),
              attachments: [],
            }, ctx.path);
          } else if (tag.name === 'mms') {
            mms = { index, line: 0, tag, texts: [], textLength: 0, partBytes: 0, parts: [], skipped: [], skippedMore: 0, addrs: [] };
          }
          return;
        }
        if (mms && tag.name === 'part') {
          const ct = (tag.attributes.ct ?? '').toLowerCase();
          if (ct === 'application/smil') return;
          if (ct.startsWith('text/')) {
            const text = tag.attributes.text;
            // the parts of one message together are one body: beyond its cap they are not collected (the record is cut)
            if (text !== undefined && text !== 'null') {
              if (mms.textLength <= FIELD_CAPS.body) mms.texts.push(ownString(text));
              else textTooLong = true;
              mms.textLength += text.length;
            }
          } else if (tag.attributes.data) {
            const seq = (tag.attributes.seq ?? String(mms.parts.length)).slice(0, 16);
            const skip = (why: string) => (mms!.skipped.length < 10 ? mms!.skipped.push(why) : mms!.skippedMore++);
            const data = binary(tag.attributes.data) ?? Buffer.from(tag.attributes.data, 'base64');
            // one message's attachments are held until it ends: together they are bounded like one
            if (mms.parts.length >= LIMITS.attachmentsPerMessage) skip(`part ${seq}: more than ${LIMITS.attachmentsPerMessage} attachments in one message`);
            else if (data === 'too-large' || mms.partBytes + data.length > LIMITS.attachmentBytes) skip(`part ${seq}: its attachments are larger than ${LIMITS.attachmentBytes / MiB} MiB together`);
            else {
              mms.partBytes += data.length;
              mms.parts.push({ ct, name: attr(tag, 'cl') ?? attr(tag, 'name') ?? attr(tag, 'fn') ?? `part-${seq}`, data, seq: tag.attributes.seq === undefined ? '' : seq });
            }
          }
        } else if (mms && tag.name === 'addr' && mms.addrs.length < LIMITS.mmsAddresses) {
          mms.addrs.push({ address: ownString(tag.attributes.address ?? ''), type: tag.attributes.type ?? '' });
        }
      },
      close(tag) {
        depth--;
        if (depth === 1 && tag.name === 'mms' && mms) {
          const m: MmsState = mms;
          mms = null;
          const time = timeOf(m.tag, true);
          if (!time) return void badTimes++;
          const direction: Direction = m.tag.attributes.msg_box === '2' || m.tag.attributes.msg_box === '4' ? 'out' : 'in';
          const wanted = direction === 'out' ? ADDR_TO : ADDR_FROM;
          const address = m.addrs.find((a) => a.type === wanted && a.address !== 'insert-address-token')?.address ?? attr(m.tag, 'address');
          const name = attr(m.tag, 'contact_name');
          const draft: MessageDraft = {
            kind: 'message',
            locator: `element ${m.index}`,
            time,
            direction,
            channel: 'mms',
            ...(address ? { counterpartAddress: address, thread: address } : {}),
            ...(name && name !== '(Unknown)' ? { counterpartName: name } : {}),
            body: [attr(m.tag, 'sub'), ...m.texts].filter((s): s is string => s !== undefined).join('\n'),
            attachments: [],
          };
          addRecord(out, draft, ctx.path);
          for (const why of m.skipped) warn(out, `element ${m.index} ${why}: not stored as an item of its own (it stays in the stored backup)`);
          if (m.skippedMore) warn(out, `element ${m.index}: ${m.skippedMore} more attachment(s) not stored as items of their own`);
          const attachments = m.parts.map((p, i) => ({ data: p.data, name: p.name, mediaType: p.ct || 'application/octet-stream', locator: `element ${m.index} part ${p.seq || i}` }));
          out.attachmentsFound += attachments.length;
          if (attachments.length && ctx.storeAttachment) pending.push({ draft, attachments });
        }
      },
    }, CAPS);
    if (badTimes) warn(out, `${badTimes} message(s) without a readable date were skipped`);
    if (textTooLong) warn(out, `an MMS holds more text than Redress keeps for one message: the rest of its text parts were not read`);
    if (parser.loneSurrogates) warn(out, `${parser.loneSurrogates} broken emoji reference(s) replaced by U+FFFD`);
    if (parser.invalidUtf8) warn(out, INVALID_UTF8);
    if (parser.error) out.partial = { reason: `the XML breaks off: ${parser.error.detail}`, locator: `line ${parser.error.line}, after element ${index - (mms ? 1 : 0)}` };
    if (!out.declared && !out.records.length && !parser.error) warn(out, 'no <sms> or <mms> elements');
    return out;
  },
};
