import type { PDFDocument} from 'pdf-lib';
import { PDFHexString, PDFName, PDFNull, PDFNumber, rgb, type PDFFont, type PDFPage, type PDFRef } from 'pdf-lib';
import { RedressError } from '../../errors.js';
import type { Block, Column } from './blocks.js';
import { drawString } from './draw-string.js';
import { drawJpeg, type EmbeddedJpeg } from './file-image.js';
import { textWidth, wrapText } from './wrap.js';

const A4: [number, number] = [595.28, 841.89];
const MARGIN_X = 56;
const MARGIN_TOP = 56;
const MARGIN_BOTTOM = 64;
const GRAY = rgb(0.4, 0.4, 0.4);
const RULE = rgb(0.7, 0.7, 0.7);
const HEADER_BG = rgb(0.92, 0.93, 0.95);
const YIELD_EVERY_MS = 10;

export interface OutlineEntry {
  title: string;
  page: PDFRef;
  y: number;
}

export interface LayoutOptions {
  signal?: AbortSignal;
  onBlock?: (done: number, total: number) => void;
}

/** Lays blocks out on A4 pages, top to bottom, remembering where each top-level heading landed for the outline. */
export class Layout {
  private page!: PDFPage;
  private y = 0;
  readonly outline: OutlineEntry[] = [];
  private readonly width = A4[0] - 2 * MARGIN_X;
  private lastYield = performance.now();

  constructor(
    private readonly doc: PDFDocument,
    private readonly regular: PDFFont,
    private readonly bold: PDFFont,
    /** the image object of a picture block (embedded ahead of the layout, see renderPacketPdf) */
    private readonly embed: (b: Extract<Block, { t: 'image' }>) => Promise<EmbeddedJpeg>,
  ) {}

  async render(blocks: Block[], options: LayoutOptions = {}): Promise<void> {
    this.newPage();
    for (let i = 0; i < blocks.length; i++) {
      if (options.signal?.aborted) throw new RedressError('CANCELLED');
      await this.block(blocks[i]!);
      options.onBlock?.(i + 1, blocks.length);
      await this.breathe();
    }
  }

  /**
   * Layout is synchronous work; the packet's ZIP is written meanwhile and only moves on when the event loop gets a
   * turn. A long table would otherwise hold its reads and writes back for a second.
   */
  private async breathe(): Promise<void> {
    if (performance.now() - this.lastYield < YIELD_EVERY_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.lastYield = performance.now();
  }

  private newPage(): void {
    this.page = this.doc.addPage(A4);
    this.y = A4[1] - MARGIN_TOP;
  }

  private atTop(): boolean {
    return this.y >= A4[1] - MARGIN_TOP - 0.5;
  }

  private ensure(height: number): void {
    if (this.y - height < MARGIN_BOTTOM && !this.atTop()) this.newPage();
  }

  private lines(text: string, size: number, font: PDFFont, maxWidth = this.width): string[] {
    return wrapText(text, font, size, maxWidth);
  }

  private text(lines: string[], size: number, font: PDFFont, options: { x?: number; color?: ReturnType<typeof rgb>; leading?: number } = {}): void {
    const leading = options.leading ?? size * 1.55;
    for (const line of lines) {
      this.ensure(leading);
      this.y -= leading;
      if (line) drawString(this.page, line, { x: options.x ?? MARGIN_X, y: this.y + size * 0.3, size, font, ...(options.color ? { color: options.color } : {}) });
    }
  }

  private async block(b: Block): Promise<void> {
    switch (b.t) {
      case 'title':
        this.text(this.lines(b.text, 18, this.bold), 18, this.bold);
        this.y -= 6;
        return;
      case 'h1': {
        if (b.newPage && !this.atTop()) this.newPage();
        this.ensure(60);
        this.y -= 6;
        this.outline.push({ title: b.text, page: this.page.ref, y: this.y + 6 });
        this.text(this.lines(b.text, 14, this.bold), 14, this.bold);
        this.page.drawLine({ start: { x: MARGIN_X, y: this.y - 3 }, end: { x: MARGIN_X + this.width, y: this.y - 3 }, thickness: 0.6, color: RULE });
        this.y -= 10;
        return;
      }
      case 'h2':
        this.ensure(40);
        this.y -= 4;
        this.text(this.lines(b.text, 11.5, this.bold), 11.5, this.bold);
        this.y -= 2;
        return;
      case 'p': {
        const size = b.size ?? 10;
        const font = b.bold ? this.bold : this.regular;
        this.text(this.lines(b.text, size, font), size, font, b.gray ? { color: GRAY } : {});
        this.y -= size * 0.5;
        return;
      }
      case 'bullets':
        for (const item of b.items) {
          const lines = this.lines(item, 10, this.regular, this.width - 14);
          this.ensure(16);
          drawString(this.page, '•', { x: MARGIN_X + 2, y: this.y - 15.5 + 3, size: 10, font: this.regular });
          this.text(lines, 10, this.regular, { x: MARGIN_X + 14 });
        }
        this.y -= 5;
        return;
      case 'kv':
        return this.kv(b.rows, b.alignKeys ?? []);
      case 'table':
        return await this.table(b.columns, b.rows, b.size ?? 8.5, b.boldLastRows ?? 0);
      case 'image':
        return this.image(b.caption, await this.embed(b));
      case 'space':
        this.y -= b.h;
        return;
      case 'signature':
        this.ensure(40 * b.labels.length);
        {
          // one column for all lines, so "Signature" and "Date" lines start and end together
          const w = Math.max(...b.labels.map((label) => this.regular.widthOfTextAtSize(label, 10)));
          for (const label of b.labels) {
            this.y -= 34;
            drawString(this.page, label, { x: MARGIN_X, y: this.y, size: 10, font: this.regular });
            this.page.drawLine({ start: { x: MARGIN_X + w + 8, y: this.y - 2 }, end: { x: MARGIN_X + w + 220, y: this.y - 2 }, thickness: 0.6 });
          }
        }
        this.y -= 10;
        return;
      case 'pagebreak':
        if (!this.atTop()) this.newPage();
        return;
    }
  }

  private kv(rows: [string, string][], alignKeys: string[]): void {
    const keyWidth = Math.min(150, Math.max(...[...rows.map(([k]) => k), ...alignKeys].map((k) => this.bold.widthOfTextAtSize(k, 10))) + 12);
    for (const [k, v] of rows) {
      const lines = this.lines(v || '—', 10, this.regular, this.width - keyWidth);
      const keyLines = this.lines(k, 10, this.bold, keyWidth - 8);
      const h = Math.max(lines.length, keyLines.length) * 15.5;
      this.ensure(Math.min(h, 200));
      const startPage = this.page;
      const top = this.y;
      this.text(keyLines, 10, this.bold, { color: GRAY });
      const afterKey = this.y;
      this.y = top;
      // a value longer than the page continues on the next; the key stays with its first line
      this.text(lines, 10, this.regular, { x: MARGIN_X + keyWidth });
      if (this.page === startPage) this.y = Math.min(this.y, afterKey);
      this.y -= 3;
    }
    this.y -= 6;
  }

  private async table(columns: Column[], rows: string[][], size: number, boldLastRows: number): Promise<void> {
    const total = columns.reduce((a, c) => a + c.width, 0);
    const widths = columns.map((c) => (c.width / total) * this.width);
    const pad = 3;
    const leading = size * 1.4;
    const drawRow = (cells: string[], font: PDFFont, header: boolean) => {
      const wrapped = cells.map((cell, i) => this.lines(cell ?? '', size, font, widths[i]! - 2 * pad));
      const h = Math.max(...wrapped.map((l) => l.length)) * leading + 2 * pad;
      if (this.y - h < MARGIN_BOTTOM && !this.atTop()) {
        this.newPage();
        if (!header) drawRow(columns.map((c) => c.title), this.bold, true);
      }
      if (header) this.page.drawRectangle({ x: MARGIN_X, y: this.y - h, width: this.width, height: h, color: HEADER_BG });
      let x = MARGIN_X;
      wrapped.forEach((lines, i) => {
        let ly = this.y - pad;
        for (const line of lines) {
          ly -= leading;
          if (this.y - h > MARGIN_BOTTOM - 200 && ly < MARGIN_BOTTOM - 40) break; // a single row taller than a page is cut, never drawn off-page
          const w = textWidth(font, line, size);
          const tx = columns[i]!.align === 'right' ? x + widths[i]! - pad - w : x + pad;
          if (line) drawString(this.page, line, { x: tx, y: ly + size * 0.32, size, font });
        }
        x += widths[i]!;
      });
      this.y -= h;
      this.page.drawLine({ start: { x: MARGIN_X, y: this.y }, end: { x: MARGIN_X + this.width, y: this.y }, thickness: 0.4, color: RULE });
    };
    this.ensure(leading * 3);
    drawRow(columns.map((c) => c.title), this.bold, true);
    for (const [i, row] of rows.entries()) {
      drawRow(row, i >= rows.length - boldLastRows ? this.bold : this.regular, false);
      await this.breathe();
    }
    this.y -= 10;
  }

  private async image(caption: string[], embedded: EmbeddedJpeg): Promise<void> {
    const img = embedded.file;
    // A page that has room for a decent picture (e.g. just a section heading so far) is used; otherwise a new one.
    if (this.y - MARGIN_BOTTOM < 0.6 * (A4[1] - MARGIN_TOP - MARGIN_BOTTOM)) this.newPage();
    for (const line of caption) this.text(this.lines(line, 9, this.regular), 9, this.regular, { color: GRAY });
    this.y -= 6;
    const maxH = this.y - MARGIN_BOTTOM;
    const scale = Math.min(this.width / img.width, maxH / img.height, 1.5);
    const w = img.width * scale;
    const h = img.height * scale;
    drawJpeg(this.page, embedded, { x: MARGIN_X + (this.width - w) / 2, y: this.y - h, width: w, height: h });
    this.page.drawRectangle({ x: MARGIN_X + (this.width - w) / 2, y: this.y - h, width: w, height: h, borderColor: RULE, borderWidth: 0.5 });
    this.y -= h + 8;
  }

  /** "x / y" on every page, with the document's short title on the left. */
  footers(left: string): void {
    const pages = this.doc.getPages();
    pages.forEach((page, i) => {
      const label = `${i + 1} / ${pages.length}`;
      const w = this.regular.widthOfTextAtSize(label, 8.5);
      drawString(page, label, { x: A4[0] - MARGIN_X - w, y: 30, size: 8.5, font: this.regular, color: GRAY });
      const short = this.lines(left, 8.5, this.regular, this.width - w - 20)[0] ?? '';
      drawString(page, short, { x: MARGIN_X, y: 30, size: 8.5, font: this.regular, color: GRAY });
      page.drawLine({ start: { x: MARGIN_X, y: 42 }, end: { x: A4[0] - MARGIN_X, y: 42 }, thickness: 0.4, color: RULE });
    });
  }

  /** A flat PDF outline (bookmarks), one entry per top-level heading. */
  writeOutline(): void {
    if (!this.outline.length) return;
    const ctx = this.doc.context;
    const root = ctx.nextRef();
    const refs = this.outline.map(() => ctx.nextRef());
    this.outline.forEach((entry, i) => {
      const dict = ctx.obj({
        Title: PDFHexString.fromText(entry.title),
        Parent: root,
        Dest: ctx.obj([entry.page, PDFName.of('XYZ'), PDFNull, PDFNumber.of(entry.y), PDFNull]),
        ...(i > 0 ? { Prev: refs[i - 1]! } : {}),
        ...(i < refs.length - 1 ? { Next: refs[i + 1]! } : {}),
      });
      ctx.assign(refs[i]!, dict);
    });
    ctx.assign(root, ctx.obj({ Type: 'Outlines', First: refs[0]!, Last: refs[refs.length - 1]!, Count: refs.length }));
    this.doc.catalog.set(PDFName.of('Outlines'), root);
    this.doc.catalog.set(PDFName.of('PageMode'), PDFName.of('UseOutlines'));
  }
}
