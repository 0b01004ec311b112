import type { ItemRecord } from '../../../shared/case-model.js';
import { RedressError } from '../errors.js';
import type { Vault } from '../vault/vault.js';
import { burnBoxes, RASTER_TYPES, type RedactionBox } from './images.js';
import { readItem } from './read-item.js';
import { REDACTED_TAG } from './selection.js';

/**
 * Visual redaction: burns black boxes (image pixel coordinates) into a copy of an image item and stores the copy as
 * a new item derived from the original. The original stays untouched in the vault; the copy's custody entry names
 * the original's id and SHA-256 and the boxes, and packets carry the copy instead of the original.
 */
export async function redactImage(vault: Vault, itemId: string, boxes: RedactionBox[], options: { title?: string } = {}): Promise<ItemRecord> {
  const original = vault.items.get(vault.items.resolve(itemId));
  if (!RASTER_TYPES.has(original.mediaType)) throw new RedressError('INVALID_INPUT', { field: 'item', reason: `${original.mediaType} is not an image` });
  if (!boxes.length) throw new RedressError('INVALID_INPUT', { field: 'boxes', reason: 'draw at least one box' });
  for (const b of boxes) {
    if (![b.x, b.y, b.w, b.h].every(Number.isFinite) || b.w <= 0 || b.h <= 0) throw new RedressError('INVALID_INPUT', { field: 'boxes', reason: 'each box needs x, y and a positive width and height' });
  }
  const { bytes, mediaType } = await burnBoxes(await readItem(vault, original.id), boxes);
  const base = (original.originalName ?? original.title).replace(/\.[A-Za-z0-9]{1,5}$/, '');
  const { item } = await vault.items.addBuffer(original.caseId, bytes, {
    name: `${base}-redacted.${mediaType === 'image/png' ? 'png' : 'jpg'}`,
    mediaType,
    kind: original.kind,
    // the UI names the copy in the user's language; packets print the title as it is
    title: options.title?.trim() || `${original.title} (redacted)`,
    tags: [...new Set([...original.tags, REDACTED_TAG])],
    source: 'redaction',
    derivedFrom: original.id,
    capture: { redaction: { originalItemId: original.id, originalSha256: original.sha256, boxes: boxes.map((b) => ({ x: b.x, y: b.y, w: b.w, h: b.h })) } },
  });
  return item;
}
