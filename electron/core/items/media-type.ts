import { fileTypeFromBuffer, fileTypeFromFile } from 'file-type';
import mime from 'mime-types';
import { basename } from 'node:path';
import type { ItemKind } from '../../../shared/case-model.js';

/** Sniffs the bytes first (a renamed .jpg is still a PNG), then falls back on the extension. */
export async function detectMediaType(source: { path: string } | { buffer: Buffer; name?: string }): Promise<string> {
  const sniffed = 'path' in source ? await fileTypeFromFile(source.path).catch(() => undefined) : await fileTypeFromBuffer(source.buffer);
  if (sniffed) return sniffed.mime;
  const name = 'path' in source ? source.path : source.name;
  const byName = name ? mime.lookup(basename(name)) : false;
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
