import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';
import { APP_VERSION } from '../../data-dir.js';
import type { PacketModel } from '../model.js';
import { blockText, sanitizeBlocks } from './blocks.js';
import { relabelCffFont } from './cff-font-dict.js';
import { coverage, subsetFor } from './fonts.js';
import { Layout, type LayoutOptions } from './layout.js';
import { packetBlocks } from './sections.js';
import { writePdfFile } from './write-pdf.js';

// Drawn by the layout itself (page numbers, bullets) rather than taken from the blocks.
const LAYOUT_CHARS = '0123456789 /•—?';

/** Lays out and writes packet.pdf; returns the page count. */
export async function renderPacketPdf(model: PacketModel, path: string, options: LayoutOptions = {}): Promise<{ pages: number }> {
  const blocks = packetBlocks(model);
  sanitizeBlocks(blocks, await coverage('regular'));
  const title = model.labels.docTitle(model.kase.title);
  const used = [...new Set(blockText(blocks) + title + LAYOUT_CHARS)].join('');
  const [regularBytes, boldBytes] = await Promise.all([subsetFor('regular', used), subsetFor('bold', used)]);

  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.registerFontkit(fontkit);
  // No ligatures: "fi" drawn as one glyph would break text search and copying of commands and file names.
  const features = { liga: false, dlig: false, clig: false, calt: false };
  const regular = await doc.embedFont(regularBytes, { subset: false, features });
  const bold = await doc.embedFont(boldBytes, { subset: false, features });

  const layout = new Layout(doc, regular, bold);
  await layout.render(blocks, options);
  layout.footers(title);
  layout.writeOutline();
  await relabelCffFont(doc, regular);
  await relabelCffFont(doc, bold);

  doc.setTitle(title, { showInWindowTitleBar: true });
  doc.setAuthor(model.masked.name ?? '');
  doc.setSubject(`${model.labels.subject} — ${model.recipient.name[model.lang]}`);
  doc.setKeywords(['redress', model.recipient.id, model.kase.id]);
  doc.setCreator(`Redress ${APP_VERSION}`);
  doc.setProducer(`Redress ${APP_VERSION} (pdf-lib)`);
  doc.setCreationDate(model.generatedAt);
  doc.setModificationDate(model.generatedAt);
  doc.setLanguage(model.lang);
  await writePdfFile(doc, path, options.signal);
  return { pages: doc.getPageCount() };
}
