import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import fontkit from '@pdf-lib/fontkit';
import subsetFont from 'subset-font';

export type FontWeight = 'regular' | 'bold';

const FILES: Record<FontWeight, string> = { regular: 'NotoSansHans-Regular.otf', bold: 'NotoSansHans-Bold.otf' };

/** Noto Sans SC (Simplified Chinese with Latin) as shipped by @embedpdf/fonts-sc. */
export function fontPath(weight: FontWeight): string {
  const entry = import.meta.resolve('@embedpdf/fonts-sc');
  return fileURLToPath(new URL(`../fonts/${FILES[weight]}`, entry));
}

const cache = new Map<FontWeight, Promise<Buffer>>();
function fullFont(weight: FontWeight): Promise<Buffer> {
  let font = cache.get(weight);
  if (!font) {
    font = readFile(fontPath(weight));
    cache.set(weight, font);
  }
  return font;
}

/** Code points the font has no glyph for: the layout replaces them so nothing silently renders as a blank box. */
export async function coverage(weight: FontWeight): Promise<(cp: number) => boolean> {
  const font = fontkit.create(await fullFont(weight)) as unknown as { hasGlyphForCodePoint(cp: number): boolean };
  return (cp) => font.hasGlyphForCodePoint(cp);
}

/**
 * Tables dropped from the subset. pdf-lib draws glyph advances only (no GPOS positioning), so OpenType layout buys
 * nothing but cost: with GSUB/GPOS present fontkit shapes every measured and drawn string, which dominated the time
 * of a 2,000-message transcript. Without them there are no ligatures either, so "fi" stays two searchable letters.
 * Vertical metrics are unused in horizontal text.
 */
const DROPPED_TABLES = ['GSUB', 'GPOS', 'GDEF', 'BASE', 'JSTF', 'vhea', 'vmtx', 'VORG'];

/**
 * HarfBuzz subset of the font to exactly the characters used. pdf-lib's own subsetter produces blank glyphs for
 * CFF-flavoured CJK fonts, so the PDF embeds this subset whole ({ subset: false }).
 */
export async function subsetFor(weight: FontWeight, text: string): Promise<Buffer> {
  return subsetFont(await fullFont(weight), text, { targetFormat: 'sfnt', dropTables: DROPPED_TABLES });
}
