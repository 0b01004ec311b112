import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import iconv from 'iconv-lite';
import type { ItemRecord } from '../../../shared/case-model.js';
import type { Recipient } from '../../../shared/recipient.js';
import type { Vault } from '../vault/vault.js';
import { hasGps, imageInfo, locationFreeOriginal, RASTER_TYPES, UndecodableImage, type ImageInfo, type OriginalTransform } from './images.js';
import { readItem } from './read-item.js';

const IMAGE_IN_MEMORY_MAX = 64 * 1024 * 1024;
const TEXT_REPRODUCED_MAX = 64 * 1024;
const TEXT_LINES_MAX = 400;

export interface WrittenOriginal {
  /** of the bytes actually written, never copied from the database */
  sha256: string;
  size: number;
  /** set for images sharp can read */
  info: ImageInfo | null;
  transform: OriginalTransform | null;
  /** small text files, reproduced in the PDF's appendix */
  text?: string;
  /** the image carries a location that could not be removed (a format sharp cannot decode, e.g. HEIC) */
  locationKept: boolean;
  /** an image that cannot be decoded (cut short, damaged), and which part of it. Written as it is; the PDF shows a card */
  unrendered?: UndecodableImage['part'];
  /** the bytes written, when the file was handled in memory (images) */
  bytes?: Buffer;
}

/**
 * Writes one item into originals/: the stored bytes as they are, except images carrying a location, which lose
 * it (see locationFreeOriginal). Images are handled in memory; anything else, or anything large, is streamed.
 */
export async function writeOriginal(vault: Vault, item: ItemRecord, path: string, options: { photoMetadata: Recipient['photoMetadata']; signal?: AbortSignal }): Promise<WrittenOriginal> {
  const { signal } = options;
  if (RASTER_TYPES.has(item.mediaType) && item.size <= IMAGE_IN_MEMORY_MAX) {
    const data = await readItem(vault, item.id);
    let info: ImageInfo | null = null;
    let unrendered: UndecodableImage['part'] | undefined;
    try {
      info = await imageInfo(data);
    } catch (err) {
      if (!(err instanceof UndecodableImage)) throw err;
      unrendered = err.part;
    }
    const locationKept = !info && (await hasGps(data));
    const out = info ? await locationFreeOriginal(data, info, options.photoMetadata) : { bytes: data, transform: null };
    await writeFile(path, out.bytes, { signal });
    return { sha256: createHash('sha256').update(out.bytes).digest('hex'), size: out.bytes.length, info, transform: out.transform, locationKept, bytes: out.bytes, ...(unrendered ? { unrendered } : {}) };
  }
  const hash = createHash('sha256');
  let size = 0;
  const source = vault.items.read(item.id);
  const counted = async function* () {
    for await (const chunk of source) {
      hash.update(chunk);
      size += chunk.length;
      yield chunk;
    }
  };
  await pipeline(Readable.from(counted()), createWriteStream(path), { signal });
  const text = isText(item.mediaType) && item.size <= TEXT_REPRODUCED_MAX ? decodeText(await readFile(path)) : undefined;
  return { sha256: hash.digest('hex'), size, info: null, transform: null, locationKept: false, ...(text !== undefined ? { text } : {}) };
}

function isText(mediaType: string): boolean {
  return mediaType.startsWith('text/') || mediaType === 'application/json';
}

/** UTF-8 first; Chinese exports that are not valid UTF-8 are almost always GB18030/GBK. */
function decodeText(data: Buffer): string {
  let text = data.toString('utf8');
  if (text.includes('\uFFFD')) text = iconv.decode(data, 'gb18030');
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  return lines.length > TEXT_LINES_MAX ? lines.slice(0, TEXT_LINES_MAX).join('\n') + `\n… (${lines.length - TEXT_LINES_MAX} more lines in the original file)` : lines.join('\n');
}
