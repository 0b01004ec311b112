import { fileTypeFromBuffer } from 'file-type';
import mime from 'mime-types';
import { basename } from 'node:path';
import type { ItemKind } from '../../../shared/case-model.js';

/** Sniffs the bytes (a file's first chunk will do) first: a renamed .jpg is still a PNG; then the extension. */
export async function detectMediaType(source: { buffer: Buffer; name?: string }): Promise<string> {
  const sniffed = await fileTypeFromBuffer(source.buffer).catch(() => undefined);
  if (sniffed) return sniffed.mime;
  const byName = source.name ? mime.lookup(basename(source.name)) : false;
  return byName || 'application/octet-stream';
}

const SCREENSHOT_NAME = /screen ?shot|screenshot|截屏|截图|屏幕快照|scrnli|^img_\d{8}_\d{6}_/i;

export function guessKind(mediaType: string, name: string | null): ItemKind {
  if (mediaType.startsWith('image/')) return name && SCREENSHOT_NAME.test(name) ? 'screenshot' : 'photo';
  if (mediaType.startsWith('video/')) return 'video';
  if (mediaType.startsWith('audio/')) return 'audio';
  if (/pdf|msword|officedocument|opendocument|text\/plain|rtf/.test(mediaType)) return 'document';
  return 'other';
}
