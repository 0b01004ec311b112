import { extension } from 'mime-types';
import type { ItemRecord } from '../../../shared/case-model.js';

/** A file name safe on Windows, macOS and Linux and in SHA256SUMS lines; keeps CJK and the extension. */
export function packetFileName(n: string, item: ItemRecord): string {
  const given = item.originalName || item.title || 'item';
  const dot = given.lastIndexOf('.');
  const hasExt = dot > 0 && given.length - dot <= 6;
  const ext = hasExt ? given.slice(dot + 1) : extension(item.mediaType) || 'bin';
  const stem = (hasExt ? given.slice(0, dot) : given)
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must not reach a file name
    .replace(/[\\/:*?"<>|\u0000-\u001F\u007F]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 60)
    .replace(/[. ]+$/, '');
  const safeExt = ext.replace(/[^A-Za-z0-9]/g, '').slice(0, 5).toLowerCase() || 'bin';
  return `${n}-${stem || 'item'}.${safeExt}`;
}
