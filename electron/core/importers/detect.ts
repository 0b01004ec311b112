import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { RedressError } from '../errors.js';
import { decodeText, detectEncoding } from './source.js';
import { WHATSAPP_LINE } from './whatsapp.js';
import { FORMATS, type FormatId } from './types.js';

const HEAD_BYTES = 64 * 1024;

/** Formats recognised from content; bank CSV needs a column mapping, so it is only chosen when one is given. */
export const AUTO_FORMATS: FormatId[] = FORMATS.filter((f) => f !== 'bank-csv');

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r').catch((err: NodeJS.ErrnoException) => {
    throw new RedressError('FILE_UNREADABLE', { file: path, reason: err.code ?? err.message });
  });
  try {
    const buf = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Recognises a file's format from its first 64 KiB (and, for a zip, its name). Throws IMPORT_FORMAT_UNKNOWN
 * naming every format tried, so the user knows what Redress looked for.
 */
export async function detectFormat(path: string, options: { hasBankProfile?: boolean; data?: Buffer } = {}): Promise<FormatId> {
  // bytes held in memory (a dropped file) are never written anywhere to be read back: `path` is then only the name
  const head = options.data ? options.data.subarray(0, HEAD_BYTES) : await readHead(path);
  const found = detectFromHead(head, basename(path), options);
  if (found) return found;
  const sniffed = await fileTypeFromBuffer(head).catch(() => undefined);
  if (sniffed?.mime.startsWith('image/')) return 'image';
  const tried = options.hasBankProfile ? FORMATS : AUTO_FORMATS;
  throw new RedressError('IMPORT_FORMAT_UNKNOWN', { file: path, tried: tried.join(', ') });
}

export function detectFromHead(head: Buffer, name: string, options: { hasBankProfile?: boolean } = {}): FormatId | null {
  if (head.subarray(0, 16).toString('latin1') === 'SQLite format 3\0') return 'ios-sms-db';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    return /\.xlsx$/i.test(name) || head.includes('xl/') ? 'wechat-pay-xlsx' : null;
  }
  // Text exports hold no NUL byte; judge only what comes before one (a file padded with zeros is still its format).
  const nul = head.indexOf(0);
  const textPart = nul === -1 ? head : head.subarray(0, nul);
  if (textPart.length < 8) return null; // binary (images are sniffed by the caller)
  const text = decodeText(textPart, detectEncoding(textPart));
  const start = text.slice(0, 4096);
  if (/<smses[\s>]/.test(text)) return 'sms-backup-xml';
  if (/camt\.053|<(\w+:)?BkToCstmrStmt[\s>]/.test(text)) return 'camt053';
  if (/OFXHEADER|<OFX>/i.test(start)) return 'ofx';
  if (/支付宝/.test(text) || (/交易时间/.test(text) && /交易订单号/.test(text)) || (/交易号/.test(text) && /交易创建时间/.test(text))) return 'alipay-csv';
  if (/微信支付/.test(text) || (/交易单号/.test(text) && /金额\(元\)/.test(text))) return 'wechat-pay-csv';
  if (/^\s*\{/.test(start) && /"(messages|chats)"\s*:/.test(text)) return 'telegram-json';
  const lines = text.split(/\r?\n/).filter((l) => l.trim()).slice(0, 5);
  if (lines.length && lines.filter((l) => WHATSAPP_LINE.test(l)).length >= Math.ceil(lines.length / 2)) return 'whatsapp';
  if (options.hasBankProfile) return 'bank-csv';
  return null;
}
