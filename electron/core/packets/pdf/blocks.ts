import type { PdfImage } from '../images.js';

export interface Column {
  title: string;
  /** share of the content width */
  width: number;
  align?: 'left' | 'right';
}

/**
 * The packet PDF as a list of blocks, built before any font exists: every string is known up front, so the CJK font
 * can be subset to exactly the characters used.
 */
export type Block =
  | { t: 'title'; text: string }
  | { t: 'h1'; text: string; newPage?: boolean }
  | { t: 'h2'; text: string }
  | { t: 'p'; text: string; size?: number; bold?: boolean; gray?: boolean }
  | { t: 'bullets'; items: string[] }
  /** alignKeys: keys of neighbouring kv blocks, so consecutive blocks share one key column */
  | { t: 'kv'; rows: [string, string][]; alignKeys?: string[] }
  | { t: 'table'; columns: Column[]; rows: string[][]; size?: number; boldLastRows?: number }
  | { t: 'image'; caption: string[]; load: () => Promise<PdfImage> }
  | { t: 'space'; h: number }
  | { t: 'signature'; labels: string[] }
  | { t: 'pagebreak' };

/** Every string in the blocks, for font subsetting. */
export function blockText(blocks: Block[]): string {
  const parts: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === 'string') parts.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(blocks);
  return parts.join('');
}

/** Replaces characters the font cannot draw (and control characters) so nothing renders as an invisible glyph. */
export function sanitizeBlocks(blocks: Block[], has: (cp: number) => boolean): void {
  const fix = (s: string) =>
    // eslint-disable-next-line no-control-regex -- control characters have no glyph and must not reach the PDF
    [...s.replace(/\t/g, '    ').replace(/[\u0000-\u0008\u000B-\u001F\u007F\u200B-\u200F\uFEFF]/g, '')]
      .map((ch) => (ch === '\n' || has(ch.codePointAt(0)!) ? ch : '?'))
      .join('');
  const walk = (o: Record<string, unknown> | unknown[]) => {
    for (const [k, v] of Object.entries(o)) {
      if (typeof v === 'string') (o as Record<string, unknown>)[k] = fix(v);
      else if (v && typeof v === 'object') walk(v as Record<string, unknown>);
    }
  };
  walk(blocks as unknown as unknown[]);
}
